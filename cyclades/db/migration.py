"""Schema creation and upgrades through Alembic.

``cyclades-manage db sync`` and the tests both come here, so a database
made by the tests is exactly what an operator gets.
"""

import logging
import os

from alembic import command
from alembic import config as alembic_config
from alembic import migration as alembic_migration

from cyclades.db import session as db_session

LOG = logging.getLogger(__name__)

MIGRATIONS_DIR = os.path.join(os.path.dirname(__file__), 'migrations')


def _config(url):
    config = alembic_config.Config()
    config.set_main_option('script_location', MIGRATIONS_DIR)
    config.set_main_option('sqlalchemy.url',
                           url.replace('%', '%%'))
    return config


def db_sync(url=None, revision='head'):
    """Create the schema, or upgrade it to ``revision``."""
    engine = db_session.get_engine() if url is None else \
        db_session.create_engine(url)
    config = _config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes['connection'] = connection
        command.upgrade(config, revision)
    if url is not None:
        engine.dispose()
    LOG.info('Database schema is at revision %s', db_version(url))


def db_version(url=None):
    """The revision the database is at, or None before the first sync."""
    engine = db_session.get_engine() if url is None else \
        db_session.create_engine(url)
    with engine.connect() as connection:
        context = alembic_migration.MigrationContext.configure(connection)
        version = context.get_current_revision()
    if url is not None:
        engine.dispose()
    return version
