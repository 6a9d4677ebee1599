"""Per-project limits and usage, checked and charged in one step.

Usage is kept in ``quota_usages`` and changed only here, inside the
caller's write transaction, after the project's row is locked: two
requests of one project queue on that lock, so a check and its charge
can never interleave with another's and no limit is ever passed.  Each
server records what it holds (``quota_charges``), so every change of
state charges or releases exactly the difference, and ``verify`` can
add the records up and compare.

Locks are always taken in one order, so that no two transactions wait
for each other: a server's row first (the compare-and-swap of its state
change takes it), then its projects' rows, sorted by id.
"""

import logging

import sqlalchemy as sa

from cyclades import conf
from cyclades.db import models
from cyclades.db.session import transaction
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

#: The resources a server holds; the others belong to networking.
SERVER_RESOURCES = (VM, TOTAL_CPU, TOTAL_RAM, DISK, CPU, RAM)


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


def settled_charges(server):
    """What a live server holds once its pending task is undone.

    A server that was built holds its flavor, with cpu and ram while it
    is powered on; one whose build never finished holds nothing, as a
    failed build leaves it.
    """
    if server.deleted or server.progress < 100:
        return {}
    return server_charges(server.flavor, server.powered_on)


def check_resource(resource):
    if resource not in RESOURCES:
        raise exception.Invalid(reason='unknown resource %r; known: %s'
                                % (resource, ', '.join(sorted(RESOURCES))))


def _lock_projects(session, project_ids=None):
    """Serialize the quota work of the projects (all when None).

    SQLite writers already hold the database's write lock; the server
    databases lock the projects' rows, in the order of their ids, until
    the transaction ends.  The lock leaves the key alone, so that rows
    referring to a project can still be added meanwhile.

    :raises Invalid: a project does not exist.
    """
    query = sa.select(models.Project.id).order_by(models.Project.id)
    if project_ids is not None:
        project_ids = set(project_ids)
        query = query.where(models.Project.id.in_(sorted(project_ids)))
    if session.get_bind().dialect.name != 'sqlite':
        query = query.with_for_update(key_share=True)
    found = set(session.scalars(query))
    if project_ids is not None and found != project_ids:
        raise exception.Invalid(reason='no project %s' % ', '.join(
            sorted(project_ids - found)))


def limits(session, project_id):
    """Resource → limit of a project (negative: unlimited)."""
    result = {resource: getattr(CONF.quota, option)
              for resource, option in RESOURCES.items()}
    overrides = session.scalars(sa.select(models.QuotaLimit).where(
        models.QuotaLimit.project_id == project_id))
    for override in overrides:
        if override.resource in RESOURCES:
            result[override.resource] = override.limit
    return result


def usage(session, project_id):
    """Resource → what the project uses now."""
    result = dict.fromkeys(RESOURCES, 0)
    rows = session.scalars(sa.select(models.QuotaUsage).where(
        models.QuotaUsage.project_id == project_id))
    for row in rows:
        if row.resource in RESOURCES:
            result[row.resource] = row.in_use
    return result


def overridden(session, project_id):
    """The resources whose limit an operator set for the project."""
    return set(session.scalars(sa.select(models.QuotaLimit.resource).where(
        models.QuotaLimit.project_id == project_id)))


def limits_and_usage(project_id):
    """(limits, usage) of a project, each resource → amount, read in
    one transaction of their own.
    """
    with transaction() as session:
        return limits(session, project_id), usage(session, project_id)


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
        sa.select(models.QuotaUsage)
        .where(models.QuotaUsage.project_id == project_id,
               models.QuotaUsage.resource.in_(list(resources)))
        .execution_options(populate_existing=True))}
    for resource in resources:
        if resource not in rows:
            rows[resource] = models.QuotaUsage(project_id=project_id,
                                               resource=resource, in_use=0)
            session.add(rows[resource])
    return rows


def over_limit(resource, limit, in_use, requested):
    """The fault of a request for more than a project has left."""
    return exception.OverLimit(
        'Quota exceeded for %s: limit %d, in use %d, requested %d'
        % (resource, limit, in_use, requested),
        details='resource=%s limit=%d usage=%d requested=%d'
                % (resource, limit, in_use, requested))


def charge(session, project_id, delta, force=False):
    """Check and apply a change of usage, atomically.

    Increases are checked against the limits; decreases always pass.

    :param delta: resource → amount, positive to take, negative to give.
    :param force: skip the check; for giving back what a failed action
        took away, which must happen whatever the project did since.
    :raises OverLimit: an increase would pass a limit; nothing changed.
    """
    delta = {resource: amount for resource, amount in delta.items()
             if amount}
    if not delta:
        return

    _lock_projects(session, [project_id])
    rows = _usage_rows(session, project_id, delta)
    project_limits = limits(session, project_id)

    for resource, amount in sorted(delta.items()):
        limit = project_limits[resource]
        in_use = rows[resource].in_use
        if (amount > 0 and not force
                and 0 <= limit < in_use + amount):
            raise over_limit(resource, limit, in_use, amount)

    for resource, amount in delta.items():
        rows[resource].in_use = max(rows[resource].in_use + amount, 0)
    session.flush()
    LOG.debug('Quota of project %s changed by %s', project_id, delta)


def difference(new, old):
    resources = set(new) | set(old)
    return {resource: new.get(resource, 0) - old.get(resource, 0)
            for resource in resources}


def _fresh(session, server):
    """Reread what the server holds and its project.

    The caller's compare-and-swap has locked the row by now on the
    server databases, so what is read stays true until the commit.
    """
    session.refresh(server, ['quota_charges', 'project_id'])
    return dict(server.quota_charges or {})


def set_server_charges(session, server, new_charges, force=False):
    """Make a server hold ``new_charges``, charging the difference.

    :param server: the Server model, in the caller's transaction, whose row the
        caller changed (and so locked) in this transaction.
    :param force: as for ``charge``.
    :returns: what the server held before.
    :raises OverLimit: the server would take more than the project has.
    """
    old = _fresh(session, server)
    charge(session, server.project_id, difference(new_charges, old),
           force=force)
    server.quota_charges = {resource: amount
                            for resource, amount in new_charges.items()
                            if amount}
    session.flush()
    return old


def set_charges_of(session, server_id, new_charges, force=False):
    """``set_server_charges`` for a server known by its id.

    :param new_charges: a dict, or a function of the server that
        returns one.
    """
    server = session.get(models.Server, server_id)
    if server is None:
        return
    if callable(new_charges):
        new_charges = new_charges(server)
    set_server_charges(session, server, new_charges, force=force)


def release_server(session, server_id):
    """Give back everything a server holds: it is gone or never built."""
    set_charges_of(session, server_id, {})


def move_server(session, server, project_id):
    """Move what a server holds from its project to another one.

    :raises OverLimit: the target project has no room; nothing moved.
    """
    held = _fresh(session, server)
    source = server.project_id
    _lock_projects(session, [source, project_id])
    charge(session, project_id, held)
    charge(session, source,
           {resource: -amount for resource, amount in held.items()})
    server.project_id = project_id
    session.flush()
    LOG.info('Quota of server %s moved from project %s to %s', server.id,
             source, project_id)


def expected_usage(session):
    """Project → resource → usage, added up from the resources."""
    result = {}
    servers = session.execute(sa.select(models.Server.project_id,
                                        models.Server.quota_charges))
    for project_id, charges in servers:
        project = result.setdefault(project_id, dict.fromkeys(RESOURCES, 0))
        for resource, amount in (charges or {}).items():
            project[resource] = project.get(resource, 0) + amount

    for resource, model, condition in (
            (NETWORK_PRIVATE, models.Network,
             models.Network.public == sa.false()),
            (FLOATING_IP, models.IPAllocation,
             models.IPAllocation.floating == sa.true())):
        counts = session.execute(
            sa.select(model.project_id, sa.func.count())
            .where(condition).group_by(model.project_id))
        for project_id, count in counts:
            project = result.setdefault(project_id,
                                        dict.fromkeys(RESOURCES, 0))
            project[resource] += count
    return result


def verify(session, fix=False):
    """Compare kept usage with what the resources add up to.

    Every project is locked first, so that no charge runs meanwhile and
    the two sides are read at one moment.

    :param fix: make the kept usage what the resources add up to.
    :returns: a list of (project id, resource, kept, expected).
    """
    _lock_projects(session)
    expected = expected_usage(session)
    kept = {}
    for row in session.scalars(sa.select(models.QuotaUsage).execution_options(
            populate_existing=True)):
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
    if fix:
        session.flush()
    if differences:
        LOG.warning('Quota usage differs from resources in %d place(s)%s',
                    len(differences), '; fixed' if fix else '')
    return differences
