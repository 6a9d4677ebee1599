"""Per-project limits and usage, checked and charged in one step.

Usage is kept in ``quota_usages`` and changed only here, inside the
caller's write transaction, after the project's row is locked: two
requests of one project queue on that lock, so a check and its charge
can never interleave with another's and no limit is ever passed.  Each
server records what it holds (``quota_charges``), so every change of
state charges or releases exactly the difference, and ``verify`` can
add the records up and compare.
"""

import logging

import sqlalchemy as sa

from cyclades import conf
from cyclades.db import models
from cyclades import exception

LOG = logging.getLogger(__name__)
CONF = conf.CONF

VM = 'cyclades.vm'
TOTAL_CPU = 'cyclades.total_cpu'
TOTAL_RAM = 'cyclades.total_ram'
CPU = 'cyclades.cpu'
RAM = 'cyclades.ram'
DISK = 'cyclades.disk'
NETWORK_PRIVATE = 'cyclades.network.private'
FLOATING_IP = 'cyclades.floating_ip'

#: Resource → the [quota] option with its default limit.
RESOURCES = {
    VM: 'vm',
    TOTAL_CPU: 'total_cpu',
    TOTAL_RAM: 'total_ram',
    CPU: 'cpu',
    RAM: 'ram',
    DISK: 'disk',
    NETWORK_PRIVATE: 'network_private',
    FLOATING_IP: 'floating_ip',
}


def server_charges(flavor, running):
    """What a server of ``flavor`` holds; cpu and ram only if running."""
    return {
        VM: 1,
        TOTAL_CPU: flavor.vcpus,
        TOTAL_RAM: flavor.ram,
        DISK: flavor.disk,
        CPU: flavor.vcpus if running else 0,
        RAM: flavor.ram if running else 0,
    }


def check_resource(resource):
    if resource not in RESOURCES:
        raise exception.Invalid(reason='unknown resource %r; known: %s'
                                % (resource, ', '.join(sorted(RESOURCES))))


def _lock_project(session, project_id):
    """Serialize the quota work of one project.

    SQLite writers already hold the database's write lock; the server
    databases lock the project's row until the transaction ends.
    """
    query = sa.select(models.Project.id).where(
        models.Project.id == project_id)
    if session.get_bind().dialect.name != 'sqlite':
        query = query.with_for_update()
    if session.execute(query).first() is None:
        raise exception.Invalid(reason='no project %s' % project_id)


def limits(session, project_id):
    """Resource → limit of a project (negative: unlimited)."""
    result = {resource: getattr(CONF.quota, option)
              for resource, option in RESOURCES.items()}
    overrides = session.scalars(sa.select(models.QuotaLimit).where(
        models.QuotaLimit.project_id == project_id))
    for override in overrides:
        result[override.resource] = override.limit
    return result


def usage(session, project_id):
    """Resource → what the project uses now."""
    result = dict.fromkeys(RESOURCES, 0)
    rows = session.scalars(sa.select(models.QuotaUsage).where(
        models.QuotaUsage.project_id == project_id))
    for row in rows:
        result[row.resource] = row.in_use
    return result


def set_limit(session, project_id, resource, limit):
    check_resource(resource)
    record = session.get(models.QuotaLimit, (project_id, resource))
    if record is None:
        session.add(models.QuotaLimit(project_id=project_id,
                                      resource=resource, limit=limit))
    else:
        record.limit = limit


def _usage_rows(session, project_id, resources):
    rows = {row.resource: row for row in session.scalars(
        sa.select(models.QuotaUsage).where(
            models.QuotaUsage.project_id == project_id,
            models.QuotaUsage.resource.in_(list(resources))))}
    for resource in resources:
        if resource not in rows:
            rows[resource] = models.QuotaUsage(project_id=project_id,
                                               resource=resource, in_use=0)
            session.add(rows[resource])
    return rows


def charge(session, project_id, delta):
    """Check and apply a change of usage, atomically.

    Increases are checked against the limits; decreases always pass.

    :param delta: resource → amount, positive to take, negative to give.
    :raises OverLimit: an increase would pass a limit; nothing changed.
    """
    delta = {resource: amount for resource, amount in delta.items()
             if amount}
    if not delta:
        return

    _lock_project(session, project_id)
    rows = _usage_rows(session, project_id, delta)
    project_limits = limits(session, project_id)

    for resource, amount in sorted(delta.items()):
        limit = project_limits[resource]
        in_use = rows[resource].in_use
        if amount > 0 and 0 <= limit < in_use + amount:
            raise exception.OverLimit(
                'Quota exceeded for %s: limit %d, in use %d, requested %d'
                % (resource, limit, in_use, amount),
                details='resource=%s limit=%d usage=%d requested=%d'
                        % (resource, limit, in_use, amount))

    for resource, amount in delta.items():
        rows[resource].in_use = max(rows[resource].in_use + amount, 0)
    session.flush()
    LOG.debug('Quota of project %s changed by %s', project_id, delta)


def difference(new, old):
    resources = set(new) | set(old)
    return {resource: new.get(resource, 0) - old.get(resource, 0)
            for resource in resources}


def set_server_charges(session, server, new_charges):
    """Make a server hold ``new_charges``, charging the difference.

    :param server: the Server model, in this session.
    :raises OverLimit: the server would take more than the project has.
    """
    old = dict(server.quota_charges or {})
    charge(session, server.project_id, difference(new_charges, old))
    server.quota_charges = {resource: amount
                            for resource, amount in new_charges.items()
                            if amount}
    session.flush()


def move_server(session, server, project_id):
    """Move what a server holds from its project to another one.

    :raises OverLimit: the target project has no room; nothing moved.
    """
    held = dict(server.quota_charges or {})
    charge(session, project_id, held)
    charge(session, server.project_id,
           {resource: -amount for resource, amount in held.items()})
    server.project_id = project_id
    session.flush()


def expected_usage(session):
    """Project → resource → usage, added up from the resources."""
    result = {}
    servers = session.execute(sa.select(models.Server.project_id,
                                        models.Server.quota_charges))
    for project_id, charges in servers:
        project = result.setdefault(project_id, dict.fromkeys(RESOURCES, 0))
        for resource, amount in (charges or {}).items():
            project[resource] = project.get(resource, 0) + amount
    return result


def verify(session, fix=False):
    """Compare kept usage with what the resources add up to.

    :returns: a list of (project id, resource, kept, expected).
    """
    expected = expected_usage(session)
    kept = {}
    for row in session.scalars(sa.select(models.QuotaUsage)):
        kept.setdefault(row.project_id, {})[row.resource] = row

    differences = []
    for project_id in sorted(set(expected) | set(kept)):
        for resource in sorted(RESOURCES):
            want = expected.get(project_id, {}).get(resource, 0)
            row = kept.get(project_id, {}).get(resource)
            have = row.in_use if row is not None else 0
            if want == have:
                continue
            differences.append((project_id, resource, have, want))
            if fix:
                if row is None:
                    session.add(models.QuotaUsage(
                        project_id=project_id, resource=resource,
                        in_use=want))
                else:
                    row.in_use = want
    if differences:
        LOG.warning('Quota usage differs from resources in %d place(s)%s',
                    len(differences), '; fixed' if fix else '')
    return differences
