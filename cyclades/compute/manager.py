"""The compute daemon's handlers: what happens on a host.

Every handler takes the server's lock first, so that a delete arriving
while a build is still running waits for it instead of racing it.  State
changes go through compare-and-swap updates on ``task_state``: if the
API moved the server on (a delete during a build, say) the handler's
update matches nothing and the newer request wins.
"""

import collections
import logging
import threading

from cyclades.compute.drivers import base as driver_base
from cyclades import conf
from cyclades.db import api as db_api
from cyclades.db.session import transaction
from cyclades import exception

LOG = logging.getLogger(__name__)
CONF = conf.CONF

SOURCE = 'compute'


class _ServerLocks:
    """One lock per server id, dropped when nobody holds or waits on it."""

    def __init__(self):
        self._guard = threading.Lock()
        self._locks = {}
        self._users = collections.Counter()

    def __call__(self, server_id):
        return _HeldLock(self, server_id)

    def acquire(self, server_id):
        with self._guard:
            lock = self._locks.setdefault(server_id, threading.Lock())
            self._users[server_id] += 1
        lock.acquire()

    def release(self, server_id):
        with self._guard:
            self._locks[server_id].release()
            self._users[server_id] -= 1
            if not self._users[server_id]:
                del self._users[server_id]
                del self._locks[server_id]


class _HeldLock:
    def __init__(self, locks, server_id):
        self.locks = locks
        self.server_id = server_id

    def __enter__(self):
        self.locks.acquire(self.server_id)

    def __exit__(self, *exc_info):
        self.locks.release(self.server_id)


def server_spec(server):
    """Describe a server for the driver, without any database object."""
    return driver_base.ServerSpec(
        id=server.id, name=server.name, vcpus=server.flavor.vcpus,
        ram=server.flavor.ram, disk=server.flavor.disk,
        image_id=server.image_id, image_name=server.image.name,
        metadata=server.meta)


class ComputeManager:
    """Handles the RPC requests sent to one compute host."""

    def __init__(self, host, driver):
        self.host = host
        self.driver = driver
        self._locks = _ServerLocks()

    def _load(self, server_id):
        with transaction() as session:
            return db_api.server_get(session, server_id)

    def _record(self, server_id, level, message, details=''):
        db_api.diagnostic_add(server_id, level, SOURCE, message, details)

    def build_server(self, context, server_id, admin_pass):
        """Build a server that the API left in BUILD/BUILDING."""
        LOG.info('Building server %s (request %s)', server_id,
                 context.request_id)
        with self._locks(server_id):
            try:
                server = self._load(server_id)
            except exception.ServerNotFound:
                LOG.info('Server %s vanished before its build', server_id)
                return
            if server.task_state != 'BUILDING':
                LOG.info('Server %s is no longer building (%s); skipping',
                         server_id, server.task_state)
                return

            self._record(server_id, 'INFO', 'Build started on host %s'
                         % self.host)
            try:
                self.driver.spawn(server_spec(server), admin_pass)
            except Exception as exc:
                self._fail_build(server_id, exc)
                return

            with transaction(writer=True) as session:
                done = db_api.server_update_if(
                    session, server_id,
                    {'task_state': 'BUILDING', 'deleted': False},
                    status='ACTIVE', task_state='', progress=100)
            if done:
                self._record(server_id, 'INFO', 'Server is running')
                LOG.info('Server %s is ACTIVE', server_id)

    def _fail_build(self, server_id, exc):
        LOG.warning('Build of server %s failed: %s', server_id, exc)
        with transaction(writer=True) as session:
            db_api.server_update_if(
                session, server_id,
                {'task_state': 'BUILDING', 'deleted': False},
                status='ERROR', task_state='')
        self._record(server_id, 'ERROR', 'Build failed',
                     getattr(exc, 'message', str(exc)))

    def delete_server(self, context, server_id):
        """Destroy a server on this host and mark it deleted."""
        LOG.info('Deleting server %s (request %s)', server_id,
                 context.request_id)
        with self._locks(server_id):
            try:
                server = self._load(server_id)
            except exception.ServerNotFound:
                return

            self._record(server_id, 'INFO', 'Destroy started on host %s'
                         % self.host)
            try:
                self.driver.destroy(server_spec(server))
            except Exception as exc:
                LOG.warning('Destroy of server %s failed: %s',
                            server_id, exc)
                with transaction(writer=True) as session:
                    db_api.server_update_if(
                        session, server_id,
                        {'task_state': 'DESTROYING', 'deleted': False},
                        status='ERROR', task_state='')
                self._record(server_id, 'ERROR', 'Destroy failed',
                             getattr(exc, 'message', str(exc)))
                return

            with transaction(writer=True) as session:
                db_api.server_mark_deleted(session, server_id)
            self._record(server_id, 'INFO', 'Server destroyed')

