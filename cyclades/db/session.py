"""The engine and transactions of the process.

One engine per process, made on first use from ``[database]
connection``.  ``transaction()`` is the only way code opens a session,
so every unit of work commits or rolls back as a whole.
"""

import contextlib
import logging
import os

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy import orm

from cyclades import conf

LOG = logging.getLogger(__name__)
CONF = conf.CONF

_engine = None
_maker = None


def _sqlite_setup(engine):
    """Make SQLite behave under concurrent writers.

    NOTE: SQLite runs inside the process, so under eventlet each query
    holds the event loop for as long as it takes (well under a
    millisecond for the embedded mode's small tables).  PostgreSQL and
    MySQL connections wait cooperatively (see cyclades.monkey_patch);
    deployments with more than one host use one of those.

    pysqlite's own transaction handling is switched off so that writers
    can open their transaction with BEGIN IMMEDIATE: two deferred
    transactions that both upgrade to writing deadlock and fail at once
    instead of waiting for each other.
    """
    @event.listens_for(engine, 'connect')
    def _on_connect(dbapi_connection, record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute('PRAGMA journal_mode=WAL')
        cursor.execute('PRAGMA foreign_keys=ON')
        cursor.execute('PRAGMA busy_timeout=30000')
        cursor.close()

    @event.listens_for(engine, 'begin')
    def _on_begin(connection):
        if connection.get_execution_options().get('cyclades_writer'):
            connection.exec_driver_sql('BEGIN IMMEDIATE')
        else:
            connection.exec_driver_sql('BEGIN')


def create_engine(url):
    """Build an engine with the options that suit the URL's backend."""
    url = sa.engine.make_url(url)
    kwargs = {'echo': CONF.database.connection_debug,
              'future': True}

    if url.get_backend_name() == 'sqlite':
        if url.database and url.database != ':memory:':
            os.makedirs(os.path.dirname(os.path.abspath(url.database)),
                        exist_ok=True)
        kwargs['connect_args'] = {'check_same_thread': False,
                                  'timeout': 30}
    else:
        kwargs.update(pool_size=CONF.database.pool_size,
                      max_overflow=CONF.database.max_overflow,
                      pool_timeout=CONF.database.pool_timeout,
                      pool_pre_ping=True)

    engine = sa.create_engine(url, **kwargs)
    if url.get_backend_name() == 'sqlite':
        _sqlite_setup(engine)
    return engine


def get_engine():
    global _engine, _maker
    if _engine is None:
        _engine = create_engine(CONF.database.connection)
        _maker = orm.sessionmaker(bind=_engine, expire_on_commit=False)
        LOG.debug('Database engine for %s', _engine.url.render_as_string())
    return _engine


def dispose():
    """Forget the engine, so that the next use builds a new one.

    Forked API workers call this so that no connection crosses a fork.
    """
    global _engine, _maker
    if _engine is not None:
        _engine.dispose()
    _engine = None
    _maker = None


@contextlib.contextmanager
def transaction(writer=False):
    """A session whose work commits on success and rolls back on error.

    :param writer: the transaction will write; on SQLite it takes the
        write lock up front so that concurrent writers queue instead of
        deadlocking.
    """
    get_engine()
    bind = _engine
    if writer:
        bind = _engine.execution_options(cyclades_writer=True)
    session = _maker(bind=bind)
    try:
        with session.begin():
            yield session
    finally:
        session.close()
