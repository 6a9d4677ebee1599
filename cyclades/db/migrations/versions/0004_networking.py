"""Networks, subnets, ports, the addresses ports hold and floating IPs.

Revision ID: 0004
Revises: 0003
"""

from alembic import op
import sqlalchemy as sa

from cyclades.db.types import UTCDateTime

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def _timestamps():
    return [sa.Column('created_at', UTCDateTime(), nullable=False),
            sa.Column('updated_at', UTCDateTime(), nullable=False)]


def upgrade():
    op.create_table(
        'networks',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('project_id', sa.String(length=36), nullable=True),
        sa.Column('public', sa.Boolean(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(['project_id'], ['projects.id']),
        sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_networks_project_id', 'networks', ['project_id'])

    op.create_table(
        'subnets',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('network_id', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('ip_version', sa.Integer(), nullable=False),
        sa.Column('cidr', sa.String(length=64), nullable=False),
        sa.Column('gateway_ip', sa.String(length=64), nullable=True),
        sa.Column('allocation_pools', sa.JSON(), nullable=False),
        sa.Column('enable_dhcp', sa.Boolean(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(['network_id'], ['networks.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('network_id', 'ip_version'))

    op.create_table(
        'ports',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('network_id', sa.String(length=36), nullable=False),
        sa.Column('project_id', sa.String(length=36), nullable=False),
        sa.Column('server_id', sa.Integer(), nullable=True),
        sa.Column('nic_index', sa.Integer(), nullable=True),
        sa.Column('mac_address', sa.String(length=17), nullable=False),
        sa.Column('firewall_profile', sa.String(length=16),
                  nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('device_owner', sa.String(length=64), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(['network_id'], ['networks.id']),
        sa.ForeignKeyConstraint(['project_id'], ['projects.id']),
        sa.ForeignKeyConstraint(['server_id'], ['servers.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('mac_address'))
    op.create_index('ix_ports_network_id', 'ports', ['network_id'])
    op.create_index('ix_ports_project_id', 'ports', ['project_id'])
    op.create_index('ix_ports_server_id', 'ports', ['server_id'])

    op.create_table(
        'ip_allocations',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('subnet_id', sa.String(length=36), nullable=False),
        sa.Column('port_id', sa.String(length=36), nullable=True),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.Column('floating', sa.Boolean(), nullable=False),
        sa.Column('project_id', sa.String(length=36), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['subnet_id'], ['subnets.id']),
        sa.ForeignKeyConstraint(['port_id'], ['ports.id']),
        sa.ForeignKeyConstraint(['project_id'], ['projects.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('subnet_id', 'address'))
    op.create_index('ix_ip_allocations_port_id', 'ip_allocations',
                    ['port_id'])
    op.create_index('ix_ip_allocations_project_id', 'ip_allocations',
                    ['project_id'])
