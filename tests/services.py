"""The local services integration tests use, and what to do without them.

Outside CI a missing service skips the tests that need it; in CI
(CI=true) it fails them, so a broken machine never looks green.
"""

import os
import socket

import testtools

POSTGRESQL_URL = os.environ.get(
    'CYCLADES_TEST_POSTGRESQL_URL',
    'postgresql+psycopg2://postgres@127.0.0.1:5432/postgres')
MYSQL_URL = os.environ.get(
    'CYCLADES_TEST_MYSQL_URL',
    'mysql+pymysql://root@127.0.0.1:3306/mysql')
RABBITMQ_URL = os.environ.get(
    'CYCLADES_TEST_RABBITMQ_URL', 'amqp://guest:guest@127.0.0.1:5672//')

_PORTS = {'postgresql': ('127.0.0.1', 5432), 'mysql': ('127.0.0.1', 3306),
          'rabbitmq': ('127.0.0.1', 5672)}


def in_ci():
    return os.environ.get('CI', '').lower() == 'true'


def _reachable(name):
    address = _PORTS[name]
    try:
        with socket.create_connection(address, timeout=2):
            return True
    except OSError:
        return False


def _require(name):
    if _reachable(name):
        return
    message = '%s is not reachable at %s:%s' % ((name,) + _PORTS[name])
    if in_ci():
        raise AssertionError(message + ' (required in CI)')
    raise testtools.TestCase.skipException(message)


def require_database(backend):
    """Return the admin URL of a local database server."""
    _require(backend)
    return POSTGRESQL_URL if backend == 'postgresql' else MYSQL_URL


def require_rabbitmq():
    _require('rabbitmq')
    return RABBITMQ_URL
