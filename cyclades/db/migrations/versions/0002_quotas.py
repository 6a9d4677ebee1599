"""Per-project quota limits and usage.

Revision ID: 0002
Revises: 0001
"""

from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'quota_limits',
        sa.Column('project_id', sa.String(length=36), nullable=False),
        sa.Column('resource', sa.String(length=64), nullable=False),
        sa.Column('limit', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['project_id'], ['projects.id']),
        sa.PrimaryKeyConstraint('project_id', 'resource'))
    op.create_table(
        'quota_usages',
        sa.Column('project_id', sa.String(length=36), nullable=False),
        sa.Column('resource', sa.String(length=64), nullable=False),
        sa.Column('in_use', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['project_id'], ['projects.id']),
        sa.PrimaryKeyConstraint('project_id', 'resource'))
    with op.batch_alter_table('servers') as batch_op:
        batch_op.add_column(sa.Column('quota_charges', sa.JSON(),
                                      nullable=False,
                                      server_default='{}'))
