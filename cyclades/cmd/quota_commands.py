"""cyclades-manage commands for project quotas.

    cyclades-manage quota set PROJECT RESOURCE VALUE
    cyclades-manage quota show PROJECT
    cyclades-manage quota verify [--fix]

Projects are named by id or by name, resources as the API names them
(``cyclades.vm``, ``cyclades.cpu``, ...).  The rules are in
``cyclades.quota``; these classes only read arguments and print.
"""

import logging

from cyclades.cmd.common import args
from cyclades.cmd.common import print_table
from cyclades.db import api as db_api
from cyclades.db.session import transaction
from cyclades import quota

LOG = logging.getLogger(__name__)


def _limit(value):
    return 'unlimited' if value < 0 else value


class QuotaCommands:
    """Per-project limits and usage of servers, CPUs, RAM and disk."""

    @args('project', metavar='PROJECT', help='the project, by id or name')
    @args('resource', metavar='RESOURCE',
          help='one of %s' % ', '.join(sorted(quota.RESOURCES)))
    @args('value', metavar='VALUE', type=int,
          help='the new limit; a negative value means no limit')
    def set(self, project, resource, value):
        """Set a project's own limit of a resource."""
        quota.check_resource(resource)
        with transaction(writer=True) as session:
            found = db_api.project_find(session, project)
            quota.set_limit(session, found.id, resource, value)
        LOG.info('Limit of %s for project %s set to %s', resource,
                 found.id, value)
        print('Limit of %s for project %s (%s) is now %s'
              % (resource, found.name, found.id, _limit(value)))

    @args('project', metavar='PROJECT', help='the project, by id or name')
    def show(self, project):
        """Show a project's limits and what it uses."""
        with transaction() as session:
            found = db_api.project_find(session, project)
            limits = quota.limits(session, found.id)
            usage = quota.usage(session, found.id)
            own = quota.overridden(session, found.id)
        print('Project %s (%s)' % (found.name, found.id))
        print_table(
            ('RESOURCE', 'LIMIT', 'IN USE', 'SET BY'),
            [(resource, _limit(limits[resource]), usage[resource],
              'project' if resource in own else 'default')
             for resource in sorted(quota.RESOURCES)])

    @args('--fix', action='store_true',
          help='make the kept usage what the resources add up to')
    def verify(self, fix):
        """Compare the kept usage with what the resources add up to.

        Exits with status 1 when they differ and --fix is not given.
        """
        with transaction(writer=True) as session:
            differences = quota.verify(session, fix=fix)
            names = {project.id: project.name
                     for project in db_api.project_list(session)}
        if not differences:
            print('Quota usage matches the resources')
            return 0

        print_table(
            ('PROJECT', 'RESOURCE', 'KEPT', 'RESOURCES ADD UP TO'),
            [('%s (%s)' % (names.get(project_id, '?'), project_id),
              resource, kept, expected)
             for project_id, resource, kept, expected in differences])
        if fix:
            print('Fixed %d difference(s)' % len(differences))
            return 0
        print('%d difference(s); run with --fix to repair them'
              % len(differences))
        return 1
