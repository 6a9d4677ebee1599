"""Server load samples, and the keys the service makes for itself.

Revision ID: 0003
Revises: 0002
"""

from alembic import op
import sqlalchemy as sa

from cyclades.db.types import UTCDateTime

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'server_stat_samples',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(),
                                                     'sqlite'),
                  autoincrement=True, nullable=False),
        sa.Column('server_id', sa.Integer(), nullable=False),
        sa.Column('sampled_at', UTCDateTime(), nullable=False),
        sa.Column('cpu_percent', sa.Float(), nullable=False),
        sa.Column('net_bytes_per_sec', sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(['server_id'], ['servers.id']),
        sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_server_stat_samples_server_time',
                    'server_stat_samples', ['server_id', 'sampled_at'])
    op.create_index('ix_server_stat_samples_time', 'server_stat_samples',
                    ['sampled_at'])
    op.create_table(
        'service_secrets',
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('secret', sa.String(length=128), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('name'))
