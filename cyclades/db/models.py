"""The SQLAlchemy models: the whole persistent state of Cyclades.

Soft deletion (``deleted`` plus ``deleted_at``) keeps servers and images
visible as DELETED for a while, which changes-since polling relies on.
"""

import uuid

import sqlalchemy as sa
from sqlalchemy import orm

from cyclades.db.types import UTCDateTime
from cyclades import utils


def _uuid():
    return uuid.uuid4().hex


class Base(orm.DeclarativeBase):
    pass


class TimestampMixin:
    created_at = sa.Column(UTCDateTime, nullable=False, default=utils.utcnow)
    updated_at = sa.Column(UTCDateTime, nullable=False, default=utils.utcnow,
                           onupdate=utils.utcnow)


class Project(TimestampMixin, Base):
    __tablename__ = 'projects'

    id = sa.Column(sa.String(36), primary_key=True, default=_uuid)
    name = sa.Column(sa.String(255), nullable=False, unique=True)
    description = sa.Column(sa.String(255), nullable=False, default='')
    enabled = sa.Column(sa.Boolean, nullable=False, default=True)


class User(TimestampMixin, Base):
    __tablename__ = 'users'

    id = sa.Column(sa.String(36), primary_key=True, default=_uuid)
    name = sa.Column(sa.String(255), nullable=False, unique=True)
    password_hash = sa.Column(sa.String(255))
    default_project_id = sa.Column(sa.String(36),
                                   sa.ForeignKey('projects.id'))
    enabled = sa.Column(sa.Boolean, nullable=False, default=True)


class Membership(Base):
    __tablename__ = 'memberships'

    user_id = sa.Column(sa.String(36), sa.ForeignKey('users.id'),
                        primary_key=True)
    project_id = sa.Column(sa.String(36), sa.ForeignKey('projects.id'),
                           primary_key=True)
    role = sa.Column(sa.String(32), nullable=False, default='member')


class Token(Base):
    __tablename__ = 'tokens'

    #: Only the SHA-256 of a token is kept; the token itself is shown once.
    token_hash = sa.Column(sa.String(64), primary_key=True)
    user_id = sa.Column(sa.String(36), sa.ForeignKey('users.id'),
                        nullable=False, index=True)
    project_id = sa.Column(sa.String(36), sa.ForeignKey('projects.id'),
                           nullable=False)
    issued_at = sa.Column(UTCDateTime, nullable=False, default=utils.utcnow)
    expires_at = sa.Column(UTCDateTime, nullable=False, index=True)
    revoked = sa.Column(sa.Boolean, nullable=False, default=False)


class Flavor(TimestampMixin, Base):
    __tablename__ = 'flavors'

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    name = sa.Column(sa.String(255), nullable=False, unique=True)
    vcpus = sa.Column(sa.Integer, nullable=False)
    ram = sa.Column(sa.Integer, nullable=False)
    disk = sa.Column(sa.Integer, nullable=False)
    disk_template = sa.Column(sa.String(64), nullable=False, default='drbd')
    allow_create = sa.Column(sa.Boolean, nullable=False, default=True)
    deleted = sa.Column(sa.Boolean, nullable=False, default=False)


class Image(TimestampMixin, Base):
    __tablename__ = 'images'

    id = sa.Column(sa.String(36), primary_key=True,
                   default=lambda: str(uuid.uuid4()))
    name = sa.Column(sa.String(255), nullable=False)
    owner_id = sa.Column(sa.String(36), sa.ForeignKey('projects.id'),
                         index=True)
    user_id = sa.Column(sa.String(36))
    public = sa.Column(sa.Boolean, nullable=False, default=False)
    status = sa.Column(sa.String(16), nullable=False, default='ACTIVE')
    disk_format = sa.Column(sa.String(32), nullable=False, default='diskdump')
    container_format = sa.Column(sa.String(32), nullable=False,
                                 default='bare')
    size = sa.Column(sa.BigInteger, nullable=False, default=0)
    min_disk = sa.Column(sa.Integer, nullable=False, default=0)
    min_ram = sa.Column(sa.Integer, nullable=False, default=0)
    server_id = sa.Column(sa.Integer)
    deleted = sa.Column(sa.Boolean, nullable=False, default=False)
    deleted_at = sa.Column(UTCDateTime)

    metadata_items = orm.relationship(
        'ImageMetadata', lazy='selectin', cascade='all, delete-orphan',
        order_by='ImageMetadata.key')

    @property
    def meta(self):
        return {item.key: item.value for item in self.metadata_items}


class ImageMetadata(Base):
    __tablename__ = 'image_metadata'
    __table_args__ = (sa.UniqueConstraint('image_id', 'key'),)

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    image_id = sa.Column(sa.String(36), sa.ForeignKey('images.id'),
                         nullable=False)
    key = sa.Column(sa.String(255), nullable=False)
    value = sa.Column(sa.String(255), nullable=False)


class ComputeHost(TimestampMixin, Base):
    __tablename__ = 'compute_hosts'

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    host = sa.Column(sa.String(255), nullable=False, unique=True)
    vcpus = sa.Column(sa.Integer, nullable=False)
    memory_mb = sa.Column(sa.Integer, nullable=False)
    disk_gb = sa.Column(sa.Integer, nullable=False)
    #: Last heartbeat; a host silent for service_down_time is down.
    heartbeat_at = sa.Column(UTCDateTime, nullable=False,
                             default=utils.utcnow)
    disabled = sa.Column(sa.Boolean, nullable=False, default=False)


class Server(TimestampMixin, Base):
    __tablename__ = 'servers'
    __table_args__ = (
        sa.Index('ix_servers_project_deleted', 'project_id', 'deleted'),
        sa.Index('ix_servers_project_updated', 'project_id', 'updated_at'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    name = sa.Column(sa.String(255), nullable=False)
    project_id = sa.Column(sa.String(36), sa.ForeignKey('projects.id'),
                           nullable=False)
    user_id = sa.Column(sa.String(36), nullable=False)
    flavor_id = sa.Column(sa.Integer, sa.ForeignKey('flavors.id'),
                          nullable=False)
    image_id = sa.Column(sa.String(36), sa.ForeignKey('images.id'),
                         nullable=False)
    host = sa.Column(sa.String(255), index=True)
    status = sa.Column(sa.String(32), nullable=False, default='BUILD')
    task_state = sa.Column(sa.String(32), nullable=False, default='')
    #: When the pending task began, to find tasks a dead host left.
    task_started_at = sa.Column(UTCDateTime)
    #: The flavor before a resize, kept until it is confirmed or reverted.
    old_flavor_id = sa.Column(sa.Integer, sa.ForeignKey('flavors.id'))
    #: When the server entered VERIFY_RESIZE, for the automatic confirm.
    resized_at = sa.Column(UTCDateTime)
    #: Whether the server was running before a resize or an error.
    powered_on = sa.Column(sa.Boolean, nullable=False, default=True)
    #: What the server holds of its project's quota, resource → amount,
    #: so that every change charges or releases exactly the difference.
    quota_charges = sa.Column(sa.JSON, nullable=False, default=dict)
    progress = sa.Column(sa.Integer, nullable=False, default=0)
    admin_pass_hash = sa.Column(sa.String(255))
    key_name = sa.Column(sa.String(255))
    suspended = sa.Column(sa.Boolean, nullable=False, default=False)
    deleted = sa.Column(sa.Boolean, nullable=False, default=False)
    deleted_at = sa.Column(UTCDateTime)

    flavor = orm.relationship('Flavor', lazy='joined', innerjoin=True,
                              foreign_keys=[flavor_id])
    image = orm.relationship('Image', lazy='joined', innerjoin=True)
    metadata_items = orm.relationship(
        'ServerMetadata', lazy='selectin', cascade='all, delete-orphan',
        order_by='ServerMetadata.key')

    @property
    def meta(self):
        return {item.key: item.value for item in self.metadata_items}


class ServerMetadata(Base):
    __tablename__ = 'server_metadata'
    __table_args__ = (sa.UniqueConstraint('server_id', 'key'),)

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    server_id = sa.Column(sa.Integer, sa.ForeignKey('servers.id'),
                          nullable=False)
    key = sa.Column(sa.String(255), nullable=False)
    value = sa.Column(sa.String(255), nullable=False)


class Diagnostic(Base):
    __tablename__ = 'server_diagnostics'
    __table_args__ = (sa.Index('ix_diagnostics_server', 'server_id', 'id'),)

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    server_id = sa.Column(sa.Integer, sa.ForeignKey('servers.id'),
                          nullable=False)
    level = sa.Column(sa.String(16), nullable=False)
    source = sa.Column(sa.String(64), nullable=False)
    source_date = sa.Column(UTCDateTime, nullable=False,
                            default=utils.utcnow)
    message = sa.Column(sa.String(1024), nullable=False)
    details = sa.Column(sa.Text, nullable=False, default='')
    created_at = sa.Column(UTCDateTime, nullable=False, default=utils.utcnow)


class QuotaLimit(Base):
    """An operator's override of a default limit for one project."""

    __tablename__ = 'quota_limits'

    project_id = sa.Column(sa.String(36), sa.ForeignKey('projects.id'),
                           primary_key=True)
    resource = sa.Column(sa.String(64), primary_key=True)
    limit = sa.Column(sa.BigInteger, nullable=False)


class QuotaUsage(Base):
    """What a project uses of one resource, kept with every change."""

    __tablename__ = 'quota_usages'

    project_id = sa.Column(sa.String(36), sa.ForeignKey('projects.id'),
                           primary_key=True)
    resource = sa.Column(sa.String(64), primary_key=True)
    in_use = sa.Column(sa.BigInteger, nullable=False, default=0)


class ServerStatSample(Base):
    """One load sample of a server, as its compute host measured it."""

    __tablename__ = 'server_stat_samples'
    __table_args__ = (
        sa.Index('ix_server_stat_samples_server_time', 'server_id',
                 'sampled_at'),
        sa.Index('ix_server_stat_samples_time', 'sampled_at'),
    )

    #: Samples come and go all the time, so the ids outgrow 32 bits;
    #: SQLite only numbers INTEGER keys by itself.
    id = sa.Column(sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                   primary_key=True, autoincrement=True)
    server_id = sa.Column(sa.Integer, sa.ForeignKey('servers.id'),
                          nullable=False)
    sampled_at = sa.Column(UTCDateTime, nullable=False)
    cpu_percent = sa.Column(sa.Float, nullable=False)
    net_bytes_per_sec = sa.Column(sa.Float, nullable=False)


class ServiceSecret(Base):
    """A key the service made for itself, shared by all its processes."""

    __tablename__ = 'service_secrets'

    name = sa.Column(sa.String(64), primary_key=True)
    secret = sa.Column(sa.String(128), nullable=False)
    created_at = sa.Column(UTCDateTime, nullable=False, default=utils.utcnow)


def _string_uuid():
    return str(uuid.uuid4())


class Network(TimestampMixin, Base):
    """A network servers connect to through ports.

    A public network belongs to no project and every project sees it;
    a private one is its project's alone.
    """

    __tablename__ = 'networks'

    id = sa.Column(sa.String(36), primary_key=True, default=_string_uuid)
    name = sa.Column(sa.String(255), nullable=False, default='')
    project_id = sa.Column(sa.String(36), sa.ForeignKey('projects.id'),
                           index=True)
    public = sa.Column(sa.Boolean, nullable=False, default=False)

    subnets = orm.relationship('Subnet', lazy='selectin',
                               order_by='Subnet.ip_version',
                               back_populates='network')


class Subnet(TimestampMixin, Base):
    """The addresses of a network: at most one IPv4 and one IPv6 range.

    ``allocation_pools`` lists ``{"start", "end"}`` ranges, lowest
    first, that ports take their IPv4 addresses from.
    """

    __tablename__ = 'subnets'
    __table_args__ = (sa.UniqueConstraint('network_id', 'ip_version'),)

    id = sa.Column(sa.String(36), primary_key=True, default=_string_uuid)
    network_id = sa.Column(sa.String(36), sa.ForeignKey('networks.id'),
                           nullable=False)
    name = sa.Column(sa.String(255), nullable=False, default='')
    ip_version = sa.Column(sa.Integer, nullable=False)
    cidr = sa.Column(sa.String(64), nullable=False)
    gateway_ip = sa.Column(sa.String(64))
    allocation_pools = sa.Column(sa.JSON, nullable=False, default=list)
    enable_dhcp = sa.Column(sa.Boolean, nullable=False, default=True)

    network = orm.relationship('Network', lazy='joined', innerjoin=True,
                               back_populates='subnets')


class Port(TimestampMixin, Base):
    """A network interface: a MAC on a network, maybe on a server."""

    __tablename__ = 'ports'

    id = sa.Column(sa.String(36), primary_key=True, default=_string_uuid)
    name = sa.Column(sa.String(255), nullable=False, default='')
    network_id = sa.Column(sa.String(36), sa.ForeignKey('networks.id'),
                           nullable=False, index=True)
    project_id = sa.Column(sa.String(36), sa.ForeignKey('projects.id'),
                           nullable=False, index=True)
    server_id = sa.Column(sa.Integer, sa.ForeignKey('servers.id'),
                          index=True)
    #: The port's place among its server's interfaces, from 0.
    nic_index = sa.Column(sa.Integer)
    mac_address = sa.Column(sa.String(17), nullable=False, unique=True)
    firewall_profile = sa.Column(sa.String(16), nullable=False,
                                 default='DISABLED')
    status = sa.Column(sa.String(16), nullable=False, default='DOWN')
    device_owner = sa.Column(sa.String(64), nullable=False, default='')

    allocations = orm.relationship(
        'IPAllocation', lazy='selectin', cascade='all, delete-orphan',
        order_by='IPAllocation.id')


class IPAllocation(Base):
    """An address of a subnet that a port holds, or a floating IP.

    A floating IP is a public address a project keeps, with or without
    a port: deleting its port gives it back to the project, not to the
    pool.  The unique (subnet, address) pair is what finally keeps two
    ports from ever holding one address.
    """

    __tablename__ = 'ip_allocations'
    __table_args__ = (sa.UniqueConstraint('subnet_id', 'address'),)

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    subnet_id = sa.Column(sa.String(36), sa.ForeignKey('subnets.id'),
                          nullable=False)
    port_id = sa.Column(sa.String(36), sa.ForeignKey('ports.id'),
                        index=True)
    address = sa.Column(sa.String(64), nullable=False)
    floating = sa.Column(sa.Boolean, nullable=False, default=False)
    #: The project that keeps a floating IP.
    project_id = sa.Column(sa.String(36), sa.ForeignKey('projects.id'),
                           index=True)
    created_at = sa.Column(UTCDateTime, nullable=False, default=utils.utcnow)

    subnet = orm.relationship('Subnet')
