"""Databases for tests: SQLite per test, PostgreSQL and MySQL per process.

Server databases are costly to create, so each test process makes one
database per backend the first time it needs it, empties its tables
before every test and drops it when the process exits.
"""

import atexit
import os
import shutil
import tempfile
import uuid

import fixtures
import sqlalchemy as sa

from cyclades.db import migration
from cyclades.db import models
from cyclades.db import session as db_session
from tests import services

_template_sqlite = None
_server_databases = {}


def _sqlite_template():
    """A migrated SQLite file that each test copies."""
    global _template_sqlite
    if _template_sqlite is None:
        directory = tempfile.mkdtemp(prefix='cyclades-db-template-')
        atexit.register(shutil.rmtree, directory, True)
        path = os.path.join(directory, 'template.sqlite')
        migration.db_sync('sqlite:///' + path)
        _template_sqlite = path
    return _template_sqlite


def _create_server_database(backend):
    """Create a migrated database on the local server; drop it at exit."""
    admin_url = services.require_database(backend)
    name = 'cyclades_test_%s' % uuid.uuid4().hex[:12]

    admin = sa.create_engine(admin_url, isolation_level='AUTOCOMMIT')
    with admin.connect() as connection:
        connection.exec_driver_sql('CREATE DATABASE %s' % name)
    url = admin.url.set(database=name).render_as_string(
        hide_password=False)

    def drop():
        db_session.dispose()
        with admin.connect() as connection:
            if backend == 'postgresql':
                connection.exec_driver_sql(
                    'SELECT pg_terminate_backend(pid) FROM '
                    'pg_stat_activity WHERE datname = %s '
                    'AND pid <> pg_backend_pid()', (name,))
            connection.exec_driver_sql('DROP DATABASE IF EXISTS %s' % name)
        admin.dispose()

    atexit.register(drop)
    migration.db_sync(url)
    return url


def _empty_tables(url):
    engine = sa.create_engine(url)
    tables = [table.name for table in models.Base.metadata.sorted_tables]
    with engine.begin() as connection:
        if engine.dialect.name == 'postgresql':
            connection.exec_driver_sql(
                'TRUNCATE %s RESTART IDENTITY CASCADE' % ', '.join(tables))
        else:
            connection.exec_driver_sql('SET FOREIGN_KEY_CHECKS=0')
            for table in tables:
                connection.exec_driver_sql('TRUNCATE TABLE %s' % table)
            connection.exec_driver_sql('SET FOREIGN_KEY_CHECKS=1')
    engine.dispose()


class Database(fixtures.Fixture):
    """Points [database] connection at an empty, migrated database."""

    def __init__(self, conf_fixture, backend='sqlite'):
        super().__init__()
        self.conf_fixture = conf_fixture
        self.backend = backend
        self.url = None

    def _setUp(self):
        if self.backend == 'sqlite':
            directory = self.useFixture(fixtures.TempDir()).path
            path = os.path.join(directory, 'cyclades.sqlite')
            shutil.copy(_sqlite_template(), path)
            self.url = 'sqlite:///' + path
        else:
            if self.backend not in _server_databases:
                _server_databases[self.backend] = _create_server_database(
                    self.backend)
            self.url = _server_databases[self.backend]
            _empty_tables(self.url)

        self.conf_fixture.config(group='database', connection=self.url)
        db_session.dispose()
        self.addCleanup(db_session.dispose)
