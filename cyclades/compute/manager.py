"""The compute daemon's handlers: what happens on a host.

Every handler takes the server's lock first, so that a delete arriving
while a build is still running waits for it instead of racing it.  State
changes go through compare-and-swap updates on ``task_state``: if the
API moved the server on (a delete during a build, say) the handler's
update matches nothing and the newer request wins.
"""

import collections
import datetime
import logging
import threading

import sqlalchemy as sa

from cyclades.compute.drivers import base as driver_base
from cyclades.compute import states
from cyclades import conf
from cyclades.db import api as db_api
from cyclades.db import models
from cyclades.db.session import transaction
from cyclades import exception
from cyclades import quota
from cyclades import utils

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


def server_spec(server, flavor=None):
    """Describe a server for the driver, without any database object.

    :param flavor: the size to describe instead of the server's own.
    """
    flavor = flavor or server.flavor
    return driver_base.ServerSpec(
        id=server.id, name=server.name, vcpus=flavor.vcpus,
        ram=flavor.ram, disk=flavor.disk,
        image_id=server.image_id, image_name=server.image.name,
        metadata=server.meta)


def _reason(exc):
    return getattr(exc, 'message', None) or str(exc) or type(exc).__name__


def _set_image_status(session, image_id, status, **values):
    """Move an image out of SAVING, unless its owner deleted it."""
    Image = models.Image
    session.execute(
        sa.update(Image)
        .where(Image.id == image_id, Image.status == 'SAVING',
               Image.deleted == sa.false())
        .values(status=status, updated_at=utils.utcnow(), **values),
        execution_options={'synchronize_session': False})


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
            # TODO: the driver learns nothing of the server's ports
            # (MACs, addresses, firewall profiles) at build; a real
            # driver needs them in ServerSpec to plug the interfaces.
            try:
                self.driver.spawn(server_spec(server), admin_pass)
            except Exception as exc:
                self._fail_build(server_id, exc)
                return

            # Entries go in with the change they explain, so that a
            # client that sees the new status also sees why.
            with transaction(writer=True) as session:
                done = db_api.server_update_if(
                    session, server_id,
                    {'task_state': 'BUILDING', 'deleted': False},
                    **states.cleared(status=states.ACTIVE, progress=100))
                if done:
                    db_api.diagnostic_add(server_id, 'INFO', SOURCE,
                                          'Server is running',
                                          session=session)
            if done:
                LOG.info('Server %s is ACTIVE', server_id)

    def _fail_build(self, server_id, exc):
        LOG.warning('Build of server %s failed: %s', server_id, exc)
        with transaction(writer=True) as session:
            # The server in ERROR holds nothing; deleting it later gives
            # nothing back.
            if db_api.server_update_if(
                    session, server_id,
                    {'task_state': 'BUILDING', 'deleted': False},
                    **states.cleared(status=states.ERROR)):
                quota.release_server(session, server_id)
            db_api.diagnostic_add(server_id, 'ERROR', SOURCE,
                                  'Build failed', _reason(exc),
                                  session=session)

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
                # The server stays, and holds again what it held
                # before the delete released it.
                with transaction(writer=True) as session:
                    if db_api.server_update_if(
                            session, server_id,
                            {'task_state': 'DESTROYING', 'deleted': False},
                            **states.cleared(status=states.ERROR)):
                        quota.set_charges_of(session, server_id,
                                             quota.settled_charges(server),
                                             force=True)
                    db_api.diagnostic_add(server_id, 'ERROR', SOURCE,
                                          'Destroy failed', _reason(exc),
                                          session=session)
                return

            with transaction(writer=True) as session:
                if db_api.server_mark_deleted(session, server_id):
                    quota.release_server(session, server_id)
                db_api.diagnostic_add(server_id, 'INFO', SOURCE,
                                      'Server destroyed', session=session)

    # Actions.  Each one runs under the server's lock, only while the
    # task the API set is still pending, and clears it when done.

    def start_server(self, context, server_id):
        """Power on a server the API left STARTING."""
        self._run_task(
            context, server_id, states.STARTING,
            lambda server: self.driver.power_on(server_spec(server)),
            lambda session, server, result: dict(status=states.ACTIVE,
                                                 powered_on=True),
            'Server started')

    def stop_server(self, context, server_id):
        """Power off a server the API left STOPPING."""
        self._run_task(
            context, server_id, states.STOPPING,
            lambda server: self.driver.power_off(server_spec(server)),
            lambda session, server, result: dict(status=states.STOPPED,
                                                 powered_on=False),
            'Server stopped')

    def reboot_server(self, context, server_id, hard=False):
        """Restart a server; it is running afterwards in any case."""
        task = states.REBOOTING_HARD if hard else states.REBOOTING
        self._run_task(
            context, server_id, task,
            lambda server: self.driver.reboot(server_spec(server), hard),
            lambda session, server, result: dict(status=states.ACTIVE,
                                                 powered_on=True),
            'Server rebooted')

    def resize_server(self, context, server_id, flavor_id):
        """Give a server a new flavor and leave it in VERIFY_RESIZE.

        The old flavor is kept so that the owner can still revert.
        """
        def work(server):
            flavor = self._flavor(flavor_id)
            self.driver.resize(server_spec(server),
                               server_spec(server, flavor))

        def finish(session, server, result):
            return dict(status=states.VERIFY_RESIZE, flavor_id=flavor_id,
                        old_flavor_id=server.flavor_id,
                        resized_at=utils.utcnow())

        self._run_task(context, server_id, states.RESIZING, work, finish,
                       'Server resized; waiting for confirmation')

    def revert_resize(self, context, server_id):
        """Give a server in REVERT_RESIZE its old flavor back."""
        def work(server):
            if server.old_flavor_id is None:
                raise exception.DriverError(
                    operation='revert_resize',
                    reason='no flavor to go back to')
            flavor = self._flavor(server.old_flavor_id)
            self.driver.resize(server_spec(server),
                               server_spec(server, flavor))

        def finish(session, server, result):
            return dict(states.resize_confirmed(server.powered_on),
                        flavor_id=server.old_flavor_id)

        self._run_task(context, server_id, states.REVERTING_RESIZE, work,
                       finish, 'Resize reverted')

    def change_password(self, context, server_id, admin_pass):
        """Set a new password; only its hash is kept, as on creation."""
        self._run_task(
            context, server_id, states.CHANGING_PASSWORD,
            lambda server: self.driver.set_password(server_spec(server),
                                                    admin_pass),
            lambda session, server, result: dict(
                status=states.ACTIVE,
                admin_pass_hash=utils.hash_password(admin_pass,
                                                    iterations=20_000)),
            'Password changed')

    def create_image(self, context, server_id, image_id):
        """Save a server's disk into a SAVING image, then make it ACTIVE.

        A failure marks the image ERROR; the server stays as it was.
        """
        def finish(session, server, size):
            _set_image_status(session, image_id, 'ACTIVE', size=size)
            return {}

        def cleanup(session):
            _set_image_status(session, image_id, 'ERROR')

        self._run_task(
            context, server_id, states.SNAPSHOTTING,
            lambda server: self.driver.snapshot(server_spec(server),
                                                image_id),
            finish, 'Image %s saved' % image_id, cleanup=cleanup)

    def set_firewall_profile(self, context, server_id, port_id, profile):
        """Apply the firewall profile the API stored on a server's port.

        It is no task of the server's: a failure leaves the server as it
        was, with a diagnostics entry saying why.
        """
        LOG.info('Firewall profile %s for port %s of server %s (request '
                 '%s)', profile, port_id, server_id, context.request_id)
        with self._locks(server_id):
            try:
                server = self._load(server_id)
            except exception.ServerNotFound:
                return
            if server.deleted:
                return

            try:
                self.driver.set_firewall_profile(server_spec(server),
                                                 port_id, profile)
            except Exception as exc:
                LOG.warning('Firewall profile of port %s of server %s '
                            'failed: %s', port_id, server_id, exc)
                self._record(server_id, 'ERROR', 'Firewall profile of '
                             'port %s not applied' % port_id, _reason(exc))
                return
            self._record(server_id, 'INFO', 'Firewall profile %s applied '
                         'to port %s' % (profile, port_id))

    def get_console(self, context, server_id, console_type):
        """Open a console on a running server.

        It takes no lock: a console changes no state, and it must not
        wait behind a long task to fail anyway.

        :returns: dict with ``type``, ``host``, ``port`` and a one-time
            ``password``.
        :raises InvalidState: the server is not running any more.
        :raises DriverError: the hypervisor could not open it.
        """
        server = self._load(server_id)
        if (server.deleted or server.status != states.ACTIVE
                or server.task_state):
            raise exception.InvalidState(
                message='Server %s is %s; a console needs ACTIVE'
                        % (server_id, server.status))

        try:
            console = self.driver.get_console(server_spec(server))
        except Exception as exc:
            LOG.warning('Console of server %s failed: %s', server_id, exc)
            self._record(server_id, 'ERROR', 'Console failed',
                         _reason(exc))
            if isinstance(exc, exception.CycladesException):
                raise
            raise exception.DriverError(operation='get_console',
                                        reason=_reason(exc))

        self._record(server_id, 'INFO', '%s console opened on host %s'
                     % (console_type.upper(), self.host))
        return {'type': console_type, 'host': console['host'],
                'port': int(console['port']),
                'password': console['password']}

    def _flavor(self, flavor_id):
        with transaction() as session:
            return db_api.flavor_get(session, flavor_id)

    def _run_task(self, context, server_id, task, work, finish,
                  done_message, cleanup=None):
        """Do the work of ``task`` and settle the server.

        :param work: called with the server; does the driver's part.
        :param finish: called with a writer session, the server and
            what ``work`` returned; returns the columns to set besides
            clearing the task.
        :param cleanup: called with a writer session when the task
            fails, to undo what the API prepared for it.
        """
        LOG.info('%s of server %s (request %s)', task.label, server_id,
                 context.request_id)
        with self._locks(server_id):
            server = self._pending(server_id, task)
            if server is None:
                return

            self._record(server_id, 'INFO', '%s in progress on host %s'
                         % (task.label, self.host))
            try:
                result = work(server)
            except Exception as exc:
                self._fail_task(server, task, exc, cleanup)
                return

            # The entry goes in with the change, so that whoever sees
            # the task cleared also sees why.
            with transaction(writer=True) as session:
                values = finish(session, server, result)
                done = db_api.server_update_if(
                    session, server_id,
                    {'task_state': task.name, 'deleted': False},
                    **states.cleared(**values))
                if done:
                    db_api.diagnostic_add(server_id, 'INFO', SOURCE,
                                          done_message, session=session)
            if not done:
                LOG.info('Server %s moved on during its %s', server_id,
                         task.label.lower())
                return
            LOG.info('%s of server %s done', task.label, server_id)

    def _pending(self, server_id, task):
        """The server, if ``task`` is still what it waits for.

        A message may come twice (the broker redelivers what a host did
        not ack) or after the task was abandoned; either way there is
        nothing to do.
        """
        try:
            server = self._load(server_id)
        except exception.ServerNotFound:
            LOG.info('Server %s vanished before its %s', server_id,
                     task.label.lower())
            return None
        if server.deleted or server.task_state != task.name:
            LOG.info('Server %s no longer waits for %s (task %r); '
                     'skipping', server_id, task.name, server.task_state)
            return None
        return server

    def _fail_task(self, server, task, exc, cleanup=None):
        """Settle a server whose task failed.

        It holds again what it held before the request: the task failed
        before changing its flavor or its power.
        """
        values = states.failed(task.name, server.powered_on)
        LOG.warning('%s of server %s failed, it is now %s: %s',
                    task.label, server.id, values['status'], exc)
        with transaction(writer=True) as session:
            if cleanup is not None:
                cleanup(session)
            if db_api.server_update_if(
                    session, server.id,
                    {'task_state': task.name, 'deleted': False}, **values):
                quota.set_charges_of(session, server.id,
                                     quota.settled_charges(server),
                                     force=True)
            db_api.diagnostic_add(server.id, 'ERROR', SOURCE,
                                  '%s failed' % task.label, _reason(exc),
                                  session=session)


class PeriodicTasks:
    """Housekeeping that every compute daemon runs on a timer.

    Kept apart from ``ComputeManager`` so that no message can trigger
    it.  Several daemons may run it at once: every change is a
    compare-and-swap, so each server is settled once.
    """

    def __init__(self, host):
        self.host = host

    def run(self):
        """Run each task, so that one failing does not starve others."""
        for name, task in (('confirm_resizes', self.confirm_resizes),
                           ('clear_stale_tasks', self.clear_stale_tasks)):
            try:
                task()
            except Exception:
                LOG.exception('Periodic task %s failed on host %s', name,
                              self.host)

    def confirm_resizes(self):
        """Confirm the resizes of this host whose window has passed.

        :returns: how many were confirmed.
        """
        window = CONF.compute.resize_confirm_window
        if not window:
            return 0
        before = utils.utcnow() - datetime.timedelta(seconds=window)
        with transaction() as session:
            servers = db_api.server_list_resized(session, self.host, before)

        confirmed = 0
        for server in servers:
            with transaction(writer=True) as session:
                done = db_api.server_update_if(
                    session, server.id,
                    {'status': states.VERIFY_RESIZE,
                     'task_state': states.NO_TASK, 'deleted': False,
                     'powered_on': server.powered_on},
                    **states.resize_confirmed(server.powered_on))
                if done:
                    db_api.diagnostic_add(
                        server.id, 'INFO', SOURCE,
                        'Resize confirmed automatically after %s seconds'
                        % window, session=session)
            if done:
                LOG.info('Confirmed the resize of server %s', server.id)
                confirmed += 1
        return confirmed

    def clear_stale_tasks(self):
        """Give up on tasks that hosts which are down left pending.

        The server goes where a failure of its task would have left it
        (see ``states``); a server being destroyed is removed from the
        records, as a delete on a down host is.

        :returns: how many tasks were cleared.
        """
        timeout = CONF.compute.task_timeout
        before = utils.utcnow() - datetime.timedelta(seconds=timeout)
        with transaction() as session:
            alive = {record.host for record in db_api.host_list_alive(
                session, CONF.compute.service_down_time)}
            servers = db_api.server_list_stale_tasks(session, before, alive)

        cleared = 0
        for server in servers:
            if self._clear(server, timeout):
                cleared += 1
        return cleared

    def _clear(self, server, timeout):
        task = states.task_of(server.task_state)
        expected = {'task_state': server.task_state, 'deleted': False,
                    'host': server.host}
        if task is states.DESTROYING:
            now = utils.utcnow()
            values = states.cleared(status=states.DELETED, deleted=True,
                                    deleted_at=now)
        else:
            values = states.failed(task.name, server.powered_on)

        with transaction(writer=True) as session:
            done = db_api.server_update_if(session, server.id, expected,
                                           **values)
            if not done:
                return False
            # As the task's failure would have left it.
            if task is states.DESTROYING or task is states.BUILDING:
                quota.release_server(session, server.id)
            else:
                quota.set_charges_of(session, server.id,
                                     quota.settled_charges(server),
                                     force=True)
            if task is states.SNAPSHOTTING:
                self._fail_saving_images(session, server.id)
            db_api.diagnostic_add(
                server.id, 'ERROR' if values['status'] == states.ERROR
                else 'WARNING', SOURCE,
                '%s abandoned: compute host %s is down' % (task.label,
                                                           server.host),
                'The task was pending for more than %s seconds on a host '
                'without a heartbeat; the server is now %s'
                % (timeout, values['status']), session=session)

        LOG.warning('Cleared task %s of server %s: host %s is down',
                    task.name, server.id, server.host)
        return True

    def _fail_saving_images(self, session, server_id):
        Image = models.Image
        session.execute(
            sa.update(Image)
            .where(Image.server_id == server_id, Image.status == 'SAVING')
            .values(status='ERROR', updated_at=utils.utcnow()),
            execution_options={'synchronize_session': False})
