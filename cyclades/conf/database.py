"""Options of the database connection."""

from oslo_config import cfg

database_group = cfg.OptGroup(
    'database', title='Database',
    help='Where Cyclades keeps its state.')

database_opts = [
    cfg.StrOpt(
        'connection',
        default='sqlite:///$state_path/cyclades.sqlite',
        secret=True,
        help='SQLAlchemy URL of the database. SQLite serves a single '
             'host; production deployments use PostgreSQL '
             '(postgresql://user:password@host/cyclades) or MySQL/MariaDB '
             '(mysql+pymysql://user:password@host/cyclades).'),
    cfg.IntOpt(
        'pool_size',
        default=10,
        min=1,
        help='Connections each process keeps open to a server database.'),
    cfg.IntOpt(
        'max_overflow',
        default=20,
        min=0,
        help='Connections a process may open beyond pool_size under '
             'load.'),
    cfg.IntOpt(
        'pool_timeout',
        default=30,
        min=1,
        help='Seconds to wait for a free connection before failing.'),
    cfg.BoolOpt(
        'connection_debug',
        default=False,
        help='Log every SQL statement at DEBUG level.'),
]


def register_opts(conf):
    conf.register_group(database_group)
    conf.register_opts(database_opts, group=database_group)


def list_opts():
    return {database_group: database_opts}
