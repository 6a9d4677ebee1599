"""Queries and updates, each inside a transaction it is given or opens.

The compute API, the compute daemon and the identity code read and write
through these functions, so the SQL for one concept lives in one place.
Functions that take a ``session`` join the caller's transaction; the
others open their own.
"""

import datetime

import sqlalchemy as sa

from cyclades.db import models
from cyclades.db.session import transaction
from cyclades import exception
from cyclades import utils


# Servers

def server_create(session, **values):
    metadata = values.pop('metadata', {})
    server = models.Server(**values)
    server.metadata_items = [models.ServerMetadata(key=k, value=v)
                             for k, v in metadata.items()]
    session.add(server)
    session.flush()
    return server


def _server_query(project_id):
    query = sa.select(models.Server).order_by(models.Server.id)
    if project_id is not None:
        query = query.where(models.Server.project_id == project_id)
    return query


def server_get(session, server_id, project_id=None, deleted_since=None):
    """Return a server of the project, or raise ServerNotFound.

    :param deleted_since: also return a server deleted at or after this
        time; deleted servers are invisible otherwise.
    """
    query = _server_query(project_id).where(models.Server.id == server_id)
    server = session.scalars(query).first()
    if server is None or (server.deleted and (
            deleted_since is None or server.deleted_at is None
            or server.deleted_at < deleted_since)):
        raise exception.ServerNotFound(server_id=server_id)
    return server


def server_list(session, project_id, filters=None, marker=None, limit=None,
                changes_since=None):
    """List a project's servers, ordered by id.

    :param filters: dict with any of name (substring), status, image_id,
        flavor_id.
    :param changes_since: when set, return servers updated at or after it,
        deleted ones included; otherwise only live servers.
    """
    filters = filters or {}
    Server = models.Server
    query = _server_query(project_id)

    if changes_since is not None:
        query = query.where(Server.updated_at >= changes_since)
    else:
        query = query.where(Server.deleted == sa.false())

    if filters.get('name'):
        query = query.where(Server.name.contains(filters['name'],
                                                 autoescape=True))
    if filters.get('status'):
        query = query.where(Server.status == filters['status'])
    if filters.get('image_id'):
        query = query.where(Server.image_id == filters['image_id'])
    if filters.get('flavor_id') is not None:
        query = query.where(Server.flavor_id == filters['flavor_id'])
    if marker is not None:
        query = query.where(Server.id > marker)
    if limit is not None:
        query = query.limit(limit)

    return list(session.scalars(query))


def server_update_if(session, server_id, expected, **values):
    """Update a server only while it still matches ``expected``.

    This compare-and-swap is how racing requests and the compute daemon
    agree on state transitions: the loser sees False and changes nothing.

    :param expected: column → value, or column → tuple of allowed values.
    :returns: whether the row was updated.
    """
    Server = models.Server
    query = sa.update(Server).where(Server.id == server_id)
    for column, value in expected.items():
        attribute = getattr(Server, column)
        if isinstance(value, (tuple, list, set, frozenset)):
            query = query.where(attribute.in_(list(value)))
        else:
            query = query.where(attribute == value)
    values.setdefault('updated_at', utils.utcnow())
    result = session.execute(query.values(**values),
                             execution_options={'synchronize_session':
                                                False})
    return result.rowcount == 1


def server_mark_deleted(session, server_id):
    """Mark a server deleted; it stays visible as DELETED for a while."""
    now = utils.utcnow()
    return server_update_if(session, server_id, {'deleted': False},
                            status='DELETED', task_state='', deleted=True,
                            deleted_at=now, updated_at=now)


def server_latest_diagnostics(session, server_ids):
    """Map server id → its newest diagnostics entry, in one query."""
    if not server_ids:
        return {}
    Diagnostic = models.Diagnostic
    newest = (sa.select(sa.func.max(Diagnostic.id))
              .where(Diagnostic.server_id.in_(server_ids))
              .group_by(Diagnostic.server_id))
    query = sa.select(Diagnostic).where(Diagnostic.id.in_(newest))
    return {entry.server_id: entry for entry in session.scalars(query)}


def diagnostic_add(server_id, level, source, message, details='',
                   session=None):
    entry = models.Diagnostic(server_id=server_id, level=level,
                              source=source, message=message,
                              details=details or '')
    if session is not None:
        session.add(entry)
        return entry
    with transaction(writer=True) as session:
        session.add(entry)
    return entry


def diagnostic_list(session, server_id):
    Diagnostic = models.Diagnostic
    query = (sa.select(Diagnostic)
             .where(Diagnostic.server_id == server_id)
             .order_by(Diagnostic.id.desc()))
    return list(session.scalars(query))


# Flavors and images

def flavor_get(session, flavor_id):
    flavor = session.get(models.Flavor, flavor_id)
    if flavor is None:
        raise exception.FlavorNotFound()
    return flavor


def flavor_list(session, include_deleted=False):
    query = sa.select(models.Flavor).order_by(models.Flavor.id)
    if not include_deleted:
        query = query.where(models.Flavor.deleted == sa.false())
    return list(session.scalars(query))


def _visible_images(project_id):
    Image = models.Image
    query = sa.select(Image)
    if project_id is not None:
        query = query.where(sa.or_(Image.public == sa.true(),
                                   Image.owner_id == project_id))
    return query


def image_get(session, image_id, project_id=None):
    """Return an image the project may see, deleted ones included."""
    query = _visible_images(project_id).where(models.Image.id == image_id)
    image = session.scalars(query).first()
    if image is None:
        raise exception.ImageNotFound()
    return image


def image_list(session, project_id=None, include_deleted=False):
    query = _visible_images(project_id).order_by(models.Image.created_at,
                                                 models.Image.id)
    if not include_deleted:
        query = query.where(models.Image.deleted == sa.false())
    return list(session.scalars(query))


# Compute hosts

def host_report(session, host, vcpus, memory_mb, disk_gb):
    """Register a compute host or record its heartbeat."""
    record = session.scalars(sa.select(models.ComputeHost)
                             .where(models.ComputeHost.host == host)).first()
    if record is None:
        record = models.ComputeHost(host=host)
        session.add(record)
    record.vcpus = vcpus
    record.memory_mb = memory_mb
    record.disk_gb = disk_gb
    record.heartbeat_at = utils.utcnow()
    session.flush()
    return record


def host_list_alive(session, down_time):
    """Hosts that are enabled and sent a heartbeat within down_time."""
    since = utils.utcnow() - datetime.timedelta(seconds=down_time)
    ComputeHost = models.ComputeHost
    query = (sa.select(ComputeHost)
             .where(ComputeHost.disabled == sa.false(),
                    ComputeHost.heartbeat_at >= since)
             .order_by(ComputeHost.host))
    return list(session.scalars(query))


def host_is_alive(session, host, down_time):
    return any(record.host == host
               for record in host_list_alive(session, down_time))


def host_usage(session, hosts):
    """Map host → (vcpus, ram, disk) taken by its servers not deleted."""
    if not hosts:
        return {}
    Server, Flavor = models.Server, models.Flavor
    query = (sa.select(Server.host, sa.func.sum(Flavor.vcpus),
                       sa.func.sum(Flavor.ram), sa.func.sum(Flavor.disk))
             .join(Flavor, Server.flavor_id == Flavor.id)
             .where(Server.host.in_(hosts), Server.deleted == sa.false())
             .group_by(Server.host))
    return {row[0]: (int(row[1] or 0), int(row[2] or 0), int(row[3] or 0))
            for row in session.execute(query)}


# Identity

def project_get_by_name(session, name):
    return session.scalars(sa.select(models.Project)
                           .where(models.Project.name == name)).first()


def user_get_by_name(session, name):
    return session.scalars(sa.select(models.User)
                           .where(models.User.name == name)).first()


def membership_get(session, user_id, project_id):
    return session.get(models.Membership, (user_id, project_id))


def token_create(session, user_id, project_id, lifetime):
    """Issue a token; only its hash is stored, so return the clear one."""
    token = utils.generate_token()
    now = utils.utcnow()
    session.add(models.Token(
        token_hash=utils.hash_token(token), user_id=user_id,
        project_id=project_id, issued_at=now,
        expires_at=now + datetime.timedelta(seconds=lifetime)))
    session.flush()
    return token


def token_validate(session, token):
    """Return (token record, user, project) or None if not valid now."""
    query = (sa.select(models.Token, models.User, models.Project)
             .join(models.User, models.Token.user_id == models.User.id)
             .join(models.Project,
                   models.Token.project_id == models.Project.id)
             .where(models.Token.token_hash == utils.hash_token(token)))
    row = session.execute(query).first()
    if row is None:
        return None
    record, user, project = row
    if (record.revoked or record.expires_at <= utils.utcnow()
            or not user.enabled or not project.enabled):
        return None
    return record, user, project


def roles_of(session, user_id, project_id):
    membership = membership_get(session, user_id, project_id)
    if membership is None:
        return []
    roles = ['member']
    if membership.role == 'admin':
        roles.append('admin')
    return roles

