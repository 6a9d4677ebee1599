"""The external services integration tests run against.

A developer without a service gets skipped tests; CI must have every
service, so there a missing one fails the test instead of hiding it.
"""

import os
import socket
import unittest
import urllib.parse

RABBITMQ_URL = 'amqp://guest:guest@127.0.0.1:5672//'

_CONNECT_TIMEOUT = 2.0


def _reachable(url, default_port):
    parts = urllib.parse.urlsplit(url)
    address = (parts.hostname or '127.0.0.1', parts.port or default_port)
    try:
        with socket.create_connection(address, timeout=_CONNECT_TIMEOUT):
            return True
    except OSError:
        return False


def _require(name, url, default_port):
    """Return ``url`` if its service accepts connections."""
    if _reachable(url, default_port):
        return url

    reason = '%s is not reachable at %s' % (name, url.rsplit('@', 1)[-1])
    if os.environ.get('CI') == 'true':
        raise AssertionError(reason)
    raise unittest.SkipTest(reason)


def require_rabbitmq():
    return _require('RabbitMQ', RABBITMQ_URL, 5672)
