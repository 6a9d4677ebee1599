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

    :param filters: dict with any of name (substring, ignoring case),
        status, image_id, flavor_id.
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
        query = query.where(Server.name.icontains(filters['name'],
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


def server_exists(session, server_id, project_id):
    """Whether the project ever had this server, deleted or not."""
    query = (sa.select(models.Server.id)
             .where(models.Server.id == server_id,
                    models.Server.project_id == project_id))
    return session.scalars(query).first() is not None


def server_metadata_get(session, server_id):
    """Map key → value of a server's metadata."""
    Meta = models.ServerMetadata
    query = sa.select(Meta.key, Meta.value).where(Meta.server_id ==
                                                  server_id)
    return dict(session.execute(query).all())


def server_metadata_set(session, server_id, items, replace=False):
    """Write metadata items; with ``replace``, drop the others.

    A key that stays is updated in place rather than deleted and added
    again, so the unique (server, key) constraint never sees two rows.
    """
    Meta = models.ServerMetadata
    rows = {row.key: row for row in session.scalars(
        sa.select(Meta).where(Meta.server_id == server_id))}

    if replace:
        for key in set(rows) - set(items):
            session.delete(rows.pop(key))
    for key, value in items.items():
        if key in rows:
            rows[key].value = value
        else:
            session.add(Meta(server_id=server_id, key=key, value=value))
    session.flush()


def server_metadata_delete(session, server_id, key):
    """Delete one item; return whether it existed."""
    Meta = models.ServerMetadata
    result = session.execute(
        sa.delete(Meta).where(Meta.server_id == server_id,
                              Meta.key == key),
        execution_options={'synchronize_session': False})
    return result.rowcount == 1


def server_list_stale_tasks(session, started_before, live_hosts):
    """Servers whose task began before ``started_before`` on a host
    that is not in ``live_hosts``: nobody is going to finish them.

    A task without a start time counts from the server's last update.
    """
    Server = models.Server
    started = sa.func.coalesce(Server.task_started_at, Server.updated_at)
    query = _server_query(None).where(Server.deleted == sa.false(),
                                      Server.task_state != '',
                                      started < started_before)
    if live_hosts:
        query = query.where(sa.or_(Server.host.is_(None),
                                   Server.host.not_in(list(live_hosts))))
    return list(session.scalars(query))


def server_list_resized(session, host, resized_before):
    """Servers of ``host`` left in VERIFY_RESIZE since before a time."""
    Server = models.Server
    query = _server_query(None).where(Server.host == host,
                                      Server.deleted == sa.false(),
                                      Server.status == 'VERIFY_RESIZE',
                                      Server.task_state == '',
                                      Server.resized_at < resized_before)
    return list(session.scalars(query))


def server_latest_diagnostics(session, server_ids, level=None):
    """Map server id → its newest diagnostics entry, in one query.

    :param level: only entries of this level (ERROR, say) count.
    """
    if not server_ids:
        return {}
    Diagnostic = models.Diagnostic
    newest = (sa.select(sa.func.max(Diagnostic.id))
              .where(Diagnostic.server_id.in_(server_ids))
              .group_by(Diagnostic.server_id))
    if level is not None:
        newest = newest.where(Diagnostic.level == level)
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


def flavor_get_by_name(session, name):
    """The flavor of that name, deleted or not, or None."""
    return session.scalars(sa.select(models.Flavor)
                           .where(models.Flavor.name == name)).first()


def flavor_create(session, **values):
    flavor = models.Flavor(**values)
    session.add(flavor)
    session.flush()
    return flavor


def flavor_mark_deleted(session, flavor_id):
    """Soft-delete a flavor; servers that use it keep their sizes.

    :returns: whether this call deleted it (False if it already was).
    """
    Flavor = models.Flavor
    result = session.execute(
        sa.update(Flavor)
        .where(Flavor.id == flavor_id, Flavor.deleted == sa.false())
        .values(deleted=True, updated_at=utils.utcnow()),
        execution_options={'synchronize_session': False})
    return result.rowcount == 1


def _visible_images(project_id):
    Image = models.Image
    query = sa.select(Image)
    if project_id is not None:
        query = query.where(sa.or_(Image.public == sa.true(),
                                   Image.owner_id == project_id))
    return query


def image_get(session, image_id, project_id=None, lock=False):
    """Return an image the project may see, deleted ones included.

    :param lock: hold the image's row until the transaction ends, so
        that concurrent changes to its metadata queue up.
    """
    query = _visible_images(project_id).where(models.Image.id == image_id)
    if lock:
        query = query.with_for_update()
    image = session.scalars(query).first()
    if image is None:
        raise exception.ImageNotFound()
    return image


def image_list(session, project_id=None, include_deleted=False,
               filters=None, after=None, limit=None, changes_since=None):
    """List the images a project may see, oldest first.

    :param filters: dict with any of name (substring, ignoring case),
        status, server_id.
    :param after: an image; list only those that come after it.
    :param changes_since: when set, return images updated at or after
        it, deleted ones included.
    """
    filters = filters or {}
    Image = models.Image
    query = _visible_images(project_id).order_by(Image.created_at,
                                                 Image.id)

    if changes_since is not None:
        query = query.where(Image.updated_at >= changes_since)
    elif not include_deleted:
        query = query.where(Image.deleted == sa.false())

    if filters.get('name'):
        query = query.where(Image.name.icontains(filters['name'],
                                                 autoescape=True))
    if filters.get('status'):
        query = query.where(Image.status == filters['status'])
    if filters.get('server_id') is not None:
        query = query.where(Image.server_id == filters['server_id'])
    if after is not None:
        query = query.where(sa.or_(
            Image.created_at > after.created_at,
            sa.and_(Image.created_at == after.created_at,
                    Image.id > after.id)))
    if limit is not None:
        query = query.limit(limit)

    return list(session.scalars(query))


def image_create(session, **values):
    metadata = values.pop('metadata', {})
    image = models.Image(**values)
    image.metadata_items = [models.ImageMetadata(key=k, value=v)
                            for k, v in metadata.items()]
    session.add(image)
    session.flush()
    return image


def image_mark_deleted(session, image_id):
    """Soft-delete an image; it stays readable with status DELETED.

    :returns: whether this call deleted it (False if it already was).
    """
    Image = models.Image
    now = utils.utcnow()
    result = session.execute(
        sa.update(Image)
        .where(Image.id == image_id, Image.deleted == sa.false())
        .values(status='DELETED', deleted=True, deleted_at=now,
                updated_at=now),
        execution_options={'synchronize_session': False})
    return result.rowcount == 1


def image_metadata_update(session, image, metadata, replace=False):
    """Set metadata items of an image loaded in ``session``.

    Existing items are changed in place rather than deleted and added
    again, since one flush inserts before it deletes and would trip the
    unique (image, key) constraint.

    :param replace: drop the items ``metadata`` does not name.
    """
    items = {item.key: item for item in image.metadata_items}
    for key, value in metadata.items():
        if key in items:
            items[key].value = value
        else:
            image.metadata_items.append(
                models.ImageMetadata(key=key, value=value))
    if replace:
        for key, item in items.items():
            if key not in metadata:
                image.metadata_items.remove(item)
    image.updated_at = utils.utcnow()
    session.flush()


def image_metadata_delete(session, image, key):
    """Remove one item; return whether the image had it."""
    for item in image.metadata_items:
        if item.key == key:
            image.metadata_items.remove(item)
            image.updated_at = utils.utcnow()
            session.flush()
            return True
    return False


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


def host_lock(session, host):
    """Hold a host's row until the transaction ends.

    SQLite writers already hold the database's write lock.
    """
    if session.get_bind().dialect.name == 'sqlite':
        return
    session.execute(sa.select(models.ComputeHost.id)
                    .where(models.ComputeHost.host == host)
                    .with_for_update())


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

def project_get(session, project_id):
    return session.get(models.Project, project_id)


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


def user_get(session, user_id):
    return session.get(models.User, user_id)


def project_find(session, ref):
    """A project by id or, when no id matches, by name.

    :raises ProjectNotFound: neither matches.
    """
    project = (session.get(models.Project, ref)
               or project_get_by_name(session, ref))
    if project is None:
        raise exception.ProjectNotFound(project=ref)
    return project


def user_find(session, ref):
    """A user by id or, when no id matches, by name.

    :raises UserNotFound: neither matches.
    """
    user = session.get(models.User, ref) or user_get_by_name(session, ref)
    if user is None:
        raise exception.UserNotFound(user=ref)
    return user


def project_list(session):
    return list(session.scalars(sa.select(models.Project)
                                .order_by(models.Project.name)))


def user_list(session):
    return list(session.scalars(sa.select(models.User)
                                .order_by(models.User.name)))


def project_create(session, name, description=''):
    """:raises Conflict: the name is taken."""
    if project_get_by_name(session, name) is not None:
        raise exception.Conflict(reason='a project named %s exists' % name)
    project = models.Project(name=name, description=description)
    session.add(project)
    session.flush()
    return project


def user_create(session, name, password_hash, default_project_id=None):
    """:raises Conflict: the name is taken."""
    if user_get_by_name(session, name) is not None:
        raise exception.Conflict(reason='a user named %s exists' % name)
    user = models.User(name=name, password_hash=password_hash,
                       default_project_id=default_project_id)
    session.add(user)
    session.flush()
    return user


def user_delete(session, user_id):
    """Delete a user with its memberships and tokens.

    Servers keep the id of the user who created them; they belong to the
    project, so nothing else refers to the user.
    """
    Token, Membership = models.Token, models.Membership
    session.execute(sa.delete(Token).where(Token.user_id == user_id))
    session.execute(sa.delete(Membership)
                    .where(Membership.user_id == user_id))
    session.execute(sa.delete(models.User)
                    .where(models.User.id == user_id))


def membership_set(session, user_id, project_id, role='member'):
    """Make the user a member of the project with this role."""
    membership = membership_get(session, user_id, project_id)
    if membership is None:
        membership = models.Membership(user_id=user_id,
                                       project_id=project_id)
        session.add(membership)
    membership.role = role
    session.flush()
    return membership


def membership_delete(session, user_id, project_id):
    """Remove a membership; return whether there was one."""
    Membership = models.Membership
    result = session.execute(sa.delete(Membership).where(
        Membership.user_id == user_id,
        Membership.project_id == project_id))
    return result.rowcount == 1


def membership_list(session):
    return list(session.scalars(sa.select(models.Membership)))


def token_revoke(session, token):
    """Revoke a token; return whether it was valid until now."""
    if token_validate(session, token) is None:
        return False
    Token = models.Token
    session.execute(sa.update(Token)
                    .where(Token.token_hash == utils.hash_token(token))
                    .values(revoked=True))
    return True


def token_revoke_all(session, user_id, project_id=None):
    """Revoke a user's tokens, or only those scoped to one project."""
    Token = models.Token
    query = sa.update(Token).where(Token.user_id == user_id,
                                   Token.revoked == sa.false())
    if project_id is not None:
        query = query.where(Token.project_id == project_id)
    session.execute(query.values(revoked=True))


# Keys of the service

def service_secret(name, make):
    """The key ``name`` the service keeps for itself, shared by all its
    processes; ``make()`` makes it on first use.

    Two processes may both find none and race to add one: the loser's
    insert fails on the primary key and it reads the winner's.
    """
    with transaction() as session:
        found = session.get(models.ServiceSecret, name)
        if found is not None:
            return found.secret

    try:
        with transaction(writer=True) as session:
            session.add(models.ServiceSecret(name=name, secret=make()))
    except sa.exc.IntegrityError:
        pass

    with transaction() as session:
        return session.get(models.ServiceSecret, name).secret
