"""cyclades-manage: operator commands.

    cyclades-manage --config-file FILE db sync
    cyclades-manage --config-file FILE db version
    cyclades-manage --config-file FILE demo
    cyclades-manage --config-file FILE flavor create|list|delete ...
    cyclades-manage --config-file FILE image register|list|delete ...
    cyclades-manage --config-file FILE user|project|token ...
    cyclades-manage --config-file FILE quota set|show|verify ...

An action declares its command-line arguments with ``@args``; they
reach it as keyword arguments named by their ``dest``.  A method
``add_member`` is the action ``add-member``.  Errors print a
message on stderr and exit with status 1; an action may also return
the exit status.
"""

import sys

from oslo_config import cfg
import sqlalchemy.exc

from cyclades.cmd.common import args
from cyclades.cmd.common import print_table
from cyclades.cmd import identity_commands
from cyclades.cmd import network_commands
from cyclades.cmd import quota_commands
from cyclades.compute import flavors
from cyclades.compute import images
from cyclades import config
from cyclades import conf
from cyclades.db import migration
from cyclades import demo
from cyclades import exception

CONF = conf.CONF


class DbCommands:
    """The database schema."""

    def sync(self):
        """Create the schema or upgrade it to the newest revision."""
        migration.db_sync()
        print('Database schema is at revision %s' % migration.db_version())

    def version(self):
        """Print the schema revision of the database."""
        print(migration.db_version() or 'none')


class FlavorCommands:
    """Flavors: the sizes servers can have."""

    @args('flavor_name', metavar='NAME', help='name of the flavor; '
          'not only digits')
    @args('--vcpus', type=int, required=True, help='virtual CPUs')
    @args('--ram', type=int, required=True, help='memory in MiB')
    @args('--disk', type=int, required=True, help='disk in GiB')
    @args('--disk-template', default='drbd',
          help='how the disk is stored (default: drbd)')
    @args('--no-create', dest='allow_create', action='store_false',
          help='existing servers may keep it, new ones may not use it')
    def create(self, flavor_name, vcpus, ram, disk, disk_template,
               allow_create):
        """Add a flavor."""
        flavor = flavors.API().create(flavor_name, vcpus, ram, disk,
                                      disk_template=disk_template,
                                      allow_create=allow_create)
        print('Created flavor %s (%s)' % (flavor.id, flavor.name))

    @args('--all', dest='include_deleted', action='store_true',
          help='list deleted flavors too')
    def list(self, include_deleted):
        """List the flavors."""
        print_table(
            ('ID', 'NAME', 'VCPUS', 'RAM (MiB)', 'DISK (GiB)', 'TEMPLATE',
             'NEW SERVERS', 'DELETED'),
            [(flavor.id, flavor.name, flavor.vcpus, flavor.ram,
              flavor.disk, flavor.disk_template, flavor.allow_create,
              flavor.deleted)
             for flavor in flavors.API().list_all(include_deleted)])

    @args('flavor', metavar='ID|NAME', help='the flavor to delete')
    def delete(self, flavor):
        """Delete a flavor; servers that use it keep it."""
        deleted = flavors.API().delete(flavor)
        print('Deleted flavor %s (%s)' % (deleted.id, deleted.name))


class ImageCommands:
    """Images servers are built from."""

    @args('image_name', metavar='NAME', help='name of the image')
    @args('--disk-format', required=True,
          help='one of %s' % ', '.join(images.DISK_FORMATS))
    @args('--size', type=int, required=True, help='size in bytes')
    @args('--min-disk', type=int, required=True,
          help='smallest disk it needs, in GiB')
    @args('--min-ram', type=int, required=True,
          help='least memory it needs, in MiB')
    @args('--property', dest='properties', action='append', default=[],
          metavar='KEY=VALUE', help='a metadata item; may be repeated')
    @args('--public', action='store_true',
          help='every project can see and use it')
    @args('--owner', metavar='PROJECT',
          help='the owning project, by id or name; needed unless '
               '--public')
    def register(self, image_name, disk_format, size, min_disk, min_ram,
                 properties, public, owner):
        """Record an image that is in the image store."""
        metadata = {}
        for item in properties:
            key, sep, value = item.partition('=')
            if not sep:
                raise exception.Invalid(
                    reason='--property needs KEY=VALUE, not %r' % item)
            metadata[key] = value

        image = images.API().register(
            image_name, disk_format, size, min_disk, min_ram,
            properties=metadata, public=public, owner=owner)
        print('Registered image %s (%s)' % (image.id, image.name))

    def list(self):
        """List the images that are not deleted."""
        print_table(
            ('ID', 'NAME', 'STATUS', 'PUBLIC', 'OWNER', 'FORMAT',
             'SIZE', 'MIN DISK', 'MIN RAM'),
            [(image.id, image.name, image.status, image.public,
              image.owner_id, image.disk_format, image.size,
              image.min_disk, image.min_ram)
             for image in images.API().list_all()])

    @args('image_id', metavar='ID', help='the image to delete')
    def delete(self, image_id):
        """Delete an image, whoever owns it."""
        deleted = images.API().operator_delete(image_id)
        print('Deleted image %s (%s)' % (deleted.id, deleted.name))


class DemoCommands:
    """Seed the demo user, project, flavors and image."""

    def __call__(self):
        token = demo.seed()
        print('\n'.join(demo.shell_lines(token)))


CATEGORIES = {
    'db': DbCommands,
    'demo': DemoCommands,
    'flavor': FlavorCommands,
    'image': ImageCommands,
    'network': network_commands.NetworkCommands,
    'project': identity_commands.ProjectCommands,
    'quota': quota_commands.QuotaCommands,
    'token': identity_commands.TokenCommands,
    'user': identity_commands.UserCommands,
}


def _add_parsers(subparsers):
    for name, category in CATEGORIES.items():
        parser = subparsers.add_parser(name, help=category.__doc__)
        if callable(category()):
            parser.set_defaults(action_fn=category().__call__,
                                action_args=[])
            continue
        actions = parser.add_subparsers(dest='action', required=True)
        instance = category()
        for action in sorted(vars(category)):
            if action.startswith('_'):
                continue
            method = getattr(instance, action)
            action_parser = actions.add_parser(
                action.replace('_', '-'),
                help=(method.__doc__ or '').strip())
            dests = [action_parser.add_argument(*flags, **kwargs).dest
                     for flags, kwargs in getattr(method, 'arguments', [])]
            action_parser.set_defaults(action_fn=method, action_args=dests)


#: The category, its action and the action's arguments.
CATEGORY_OPT = cfg.SubCommandOpt('category', title='Commands',
                                 handler=_add_parsers)


def main(argv=None):
    CONF.register_cli_opt(CATEGORY_OPT)
    config.parse_args(sys.argv[1:] if argv is None else argv,
                      description='Cyclades operator commands')

    category = CONF.category
    arguments = {dest: getattr(category, dest)
                 for dest in category.action_args}
    try:
        status = category.action_fn(**arguments)
    except exception.CycladesException as exc:
        print('Error: %s' % exc.message, file=sys.stderr)
        return 1
    except sqlalchemy.exc.SQLAlchemyError as exc:
        print('Database error: %s' % exc, file=sys.stderr)
        return 1
    return status or 0


if __name__ == '__main__':
    sys.exit(main())
