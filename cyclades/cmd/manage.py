"""cyclades-manage: operator commands.

    cyclades-manage --config-file FILE db sync
    cyclades-manage --config-file FILE db version
    cyclades-manage --config-file FILE demo
"""

import sys

from oslo_config import cfg

from cyclades import config
from cyclades import conf
from cyclades.db import migration
from cyclades import demo

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


class DemoCommands:
    """Seed the demo user, project, flavors and image."""

    def __call__(self):
        token = demo.seed()
        print('OS_TOKEN=%s' % token)
        print('OS_COMPUTE_URL=%s' % demo.compute_url())


CATEGORIES = {
    'db': DbCommands,
    'demo': DemoCommands,
}


def _add_parsers(subparsers):
    for name, category in CATEGORIES.items():
        parser = subparsers.add_parser(name, help=category.__doc__)
        if callable(category()):
            parser.set_defaults(action_fn=category().__call__)
            continue
        actions = parser.add_subparsers(dest='action', required=True)
        instance = category()
        for action in sorted(vars(category)):
            if action.startswith('_'):
                continue
            method = getattr(instance, action)
            action_parser = actions.add_parser(
                action, help=(method.__doc__ or '').strip())
            action_parser.set_defaults(action_fn=method)


def main(argv=None):
    CONF.register_cli_opt(cfg.SubCommandOpt(
        'category', title='Commands', handler=_add_parsers))
    config.parse_args(sys.argv[1:] if argv is None else argv,
                      description='Cyclades operator commands')
    CONF.category.action_fn()
    return 0


if __name__ == '__main__':
    sys.exit(main())
