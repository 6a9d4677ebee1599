"""The compute daemon's action handlers and periodic tasks, without
messaging: handlers are called directly with a fake driver.
"""

from unittest import mock

from cyclades.compute.drivers import fake
from cyclades.compute import manager
from cyclades.db import api as db_api
from cyclades.db import models
from cyclades.db.session import transaction
from cyclades import exception
from cyclades import utils
from tests.unit.compute import base


class ManagerTestCase(base.ComputeTestCase):

    def setUp(self):
        super().setUp()
        self.flags(group='fake_driver', action_time=0, build_time=0)
        self.driver = fake.FakeDriver()
        self.manager = manager.ComputeManager('host-1', self.driver)

    def add_running(self, task_state, status='ACTIVE', **values):
        """A server the driver knows, with a task the API has set."""
        server_id = self.add_server(task_state=task_state, status=status,
                                    task_started_at=utils.utcnow(),
                                    **values)
        self.driver.spawn(manager.server_spec(self.server(server_id)),
                          'secret')
        return server_id

    def settled(self, server_id):
        server = self.server(server_id)
        self.assertEqual('', server.task_state)
        self.assertIsNone(server.task_started_at)
        return server

    def saving_image(self, server_id):
        with transaction(writer=True) as session:
            image = models.Image(name='snap', status='SAVING',
                                 owner_id=self.context.project_id,
                                 server_id=server_id)
            session.add(image)
            session.flush()
            return image.id

    def messages(self, server_id):
        return [(entry.level, entry.source, entry.message)
                for entry in reversed(self.diagnostics(server_id))]


class ActionHandlersTest(ManagerTestCase):

    def test_stop_then_start(self):
        server_id = self.add_running('STOPPING')

        self.manager.stop_server(self.context, server_id)
        server = self.settled(server_id)
        self.assertEqual(('STOPPED', False),
                         (server.status, server.powered_on))
        self.assertEqual('stopped', self.driver.servers[server_id]['power'])
        self.assertEqual(
            [('INFO', 'compute', 'Shutdown in progress on host host-1'),
             ('INFO', 'compute', 'Server stopped')],
            self.messages(server_id))

        with transaction(writer=True) as session:
            db_api.server_update_if(session, server_id, {},
                                    task_state='STARTING')
        self.manager.start_server(self.context, server_id)
        server = self.settled(server_id)
        self.assertEqual(('ACTIVE', True),
                         (server.status, server.powered_on))

    def test_reboot_of_a_stopped_server_runs_it(self):
        server_id = self.add_running('REBOOTING_HARD', status='HARD_REBOOT',
                                     powered_on=False)

        self.manager.reboot_server(self.context, server_id, hard=True)

        server = self.settled(server_id)
        self.assertEqual(('ACTIVE', True),
                         (server.status, server.powered_on))

    def test_resize_then_revert(self):
        old, new = self.flavors[0], self.flavors[2]
        server_id = self.add_running('RESIZING', status='RESIZE',
                                     flavor=old)

        self.manager.resize_server(self.context, server_id, new.id)
        server = self.settled(server_id)
        self.assertEqual(('VERIFY_RESIZE', new.id, old.id),
                         (server.status, server.flavor_id,
                          server.old_flavor_id))
        self.assertIsNotNone(server.resized_at)
        self.assertEqual(new.disk,
                         self.driver.servers[server_id]['spec'].disk)

        with transaction(writer=True) as session:
            db_api.server_update_if(session, server_id, {},
                                    status='REVERT_RESIZE',
                                    task_state='REVERTING_RESIZE')
        self.manager.revert_resize(self.context, server_id)
        server = self.settled(server_id)
        self.assertEqual(('ACTIVE', old.id, None, None),
                         (server.status, server.flavor_id,
                          server.old_flavor_id, server.resized_at))
        self.assertEqual(old.ram,
                         self.driver.servers[server_id]['spec'].ram)

    def test_change_password_stores_only_a_hash(self):
        server_id = self.add_running('CHANGING_PASSWORD', status='PASSWORD')

        self.manager.change_password(self.context, server_id, 'n3wPass')

        server = self.settled(server_id)
        self.assertEqual('ACTIVE', server.status)
        self.assertTrue(utils.check_password('n3wPass',
                                             server.admin_pass_hash))

    def test_create_image_makes_it_active(self):
        server_id = self.add_running('SNAPSHOTTING', status='STOPPED',
                                     powered_on=False)
        image_id = self.saving_image(server_id)

        self.manager.create_image(self.context, server_id, image_id)

        self.assertEqual('STOPPED', self.settled(server_id).status)
        image = self.image_record(image_id)
        self.assertEqual('ACTIVE', image.status)
        self.assertEqual(self.flavors[0].disk * 1024 ** 3, image.size)
        self.assertEqual([image_id],
                         self.driver.servers[server_id]['images'])

    def test_a_task_no_longer_pending_is_skipped(self):
        # A redelivered message, or one for a task given up on.
        server_id = self.add_running('')

        self.manager.stop_server(self.context, server_id)

        self.assertEqual('ACTIVE', self.server(server_id).status)
        self.assertEqual('running', self.driver.servers[server_id]['power'])
        self.assertEqual([], self.messages(server_id))

    def test_a_vanished_server_is_skipped(self):
        self.manager.reboot_server(self.context, 12345)

    def test_a_newer_request_is_not_undone(self):
        server_id = self.add_running('STOPPING')

        def delete_meanwhile(spec):
            with transaction(writer=True) as session:
                db_api.server_update_if(session, server_id, {},
                                        task_state='DESTROYING')

        with mock.patch.object(self.driver, 'power_off',
                               side_effect=delete_meanwhile):
            self.manager.stop_server(self.context, server_id)

        server = self.server(server_id)
        self.assertEqual(('ACTIVE', 'DESTROYING'),
                         (server.status, server.task_state))


class FailuresTest(ManagerTestCase):

    def test_failed_power_task_returns_to_the_power_state(self):
        self.flags(group='fake_driver', fail_on=['power_off'])
        server_id = self.add_running('STOPPING')

        self.manager.stop_server(self.context, server_id)

        self.assertEqual('ACTIVE', self.settled(server_id).status)
        level, source, message = self.messages(server_id)[-1]
        self.assertEqual(('ERROR', 'compute', 'Shutdown failed'),
                         (level, source, message))
        self.assertIn('power_off', self.diagnostics(server_id)[0].details)

    def test_failed_password_change_returns_to_active(self):
        self.flags(group='fake_driver', fail_on=['set_password'])
        server_id = self.add_running('CHANGING_PASSWORD', status='PASSWORD')

        self.manager.change_password(self.context, server_id, 'x')

        self.assertEqual('ACTIVE', self.settled(server_id).status)

    def test_failed_resize_leaves_error(self):
        self.flags(group='fake_driver', fail_on=['resize'])
        server_id = self.add_running('RESIZING', status='RESIZE')

        self.manager.resize_server(self.context, server_id,
                                   self.flavors[1].id)

        server = self.settled(server_id)
        self.assertEqual(('ERROR', self.flavors[0].id),
                         (server.status, server.flavor_id))
        self.assertEqual('Resize failed', self.messages(server_id)[-1][2])

    def test_failed_revert_leaves_error(self):
        self.flags(group='fake_driver', fail_on=['resize'])
        server_id = self.add_running('REVERTING_RESIZE',
                                     status='REVERT_RESIZE',
                                     old_flavor_id=self.flavors[1].id)

        self.manager.revert_resize(self.context, server_id)

        self.assertEqual('ERROR', self.settled(server_id).status)

    def test_failed_image_is_error_and_server_unchanged(self):
        self.flags(group='fake_driver', fail_on=['snapshot'])
        server_id = self.add_running('SNAPSHOTTING')
        image_id = self.saving_image(server_id)

        self.manager.create_image(self.context, server_id, image_id)

        self.assertEqual('ACTIVE', self.settled(server_id).status)
        self.assertEqual('ERROR', self.image_record(image_id).status)
        self.assertEqual('Image creation failed',
                         self.messages(server_id)[-1][2])

    def test_unexpected_exception_is_a_failure_too(self):
        server_id = self.add_running('REBOOTING', status='REBOOT')

        with mock.patch.object(self.driver, 'reboot',
                               side_effect=RuntimeError('bug')):
            self.manager.reboot_server(self.context, server_id)

        self.assertEqual('ACTIVE', self.settled(server_id).status)
        self.assertEqual('bug', self.diagnostics(server_id)[0].details)


class ConsoleTest(ManagerTestCase):

    def test_console_is_one_time(self):
        server_id = self.add_running('')

        first = self.manager.get_console(self.context, server_id, 'vnc')
        second = self.manager.get_console(self.context, server_id, 'vnc')

        self.assertEqual({'type', 'host', 'port', 'password'}, set(first))
        self.assertEqual('vnc', first['type'])
        self.assertIsInstance(first['port'], int)
        self.assertNotEqual(first['password'], second['password'])
        self.assertEqual('VNC console opened on host host-1',
                         self.diagnostics(server_id)[0].message)

    def test_console_of_a_stopped_server(self):
        server_id = self.add_running('', status='STOPPED')

        self.assertRaises(exception.InvalidState, self.manager.get_console,
                          self.context, server_id, 'vnc')

    def test_console_failure_is_recorded(self):
        self.flags(group='fake_driver', fail_on=['get_console'])
        server_id = self.add_running('')

        self.assertRaises(exception.DriverError, self.manager.get_console,
                          self.context, server_id, 'vnc')
        self.assertEqual('Console failed',
                         self.diagnostics(server_id)[0].message)


class ConfirmResizesTest(ManagerTestCase):

    def setUp(self):
        super().setUp()
        self.periodic = manager.PeriodicTasks('host-1')
        self.flags(group='compute', resize_confirm_window=60)

    def resized(self, age, host='host-1', powered_on=True):
        return self.add_server(
            host=host, status='VERIFY_RESIZE', powered_on=powered_on,
            flavor=self.flavors[1], old_flavor_id=self.flavors[0].id,
            resized_at=base.ago(age))

    def test_expired_resizes_of_this_host_are_confirmed(self):
        expired = self.resized(120, powered_on=False)
        recent = self.resized(10)
        elsewhere = self.resized(120, host='host-2')

        self.assertEqual(1, self.periodic.confirm_resizes())

        server = self.server(expired)
        self.assertEqual(('STOPPED', self.flavors[1].id, None, None),
                         (server.status, server.flavor_id,
                          server.old_flavor_id, server.resized_at))
        self.assertIn('confirmed automatically',
                      self.diagnostics(expired)[0].message)
        self.assertEqual('VERIFY_RESIZE', self.server(recent).status)
        self.assertEqual('VERIFY_RESIZE', self.server(elsewhere).status)

    def test_zero_window_never_confirms(self):
        self.flags(group='compute', resize_confirm_window=0)
        server_id = self.resized(10 ** 6)

        self.assertEqual(0, self.periodic.confirm_resizes())
        self.assertEqual('VERIFY_RESIZE', self.server(server_id).status)


class ClearStaleTasksTest(ManagerTestCase):

    def setUp(self):
        super().setUp()
        self.periodic = manager.PeriodicTasks('host-1')
        self.flags(group='compute', task_timeout=300,
                   service_down_time=60)
        self.add_host('host-1')
        self.add_host('dead', heartbeat_age=3600)

    def pending(self, task_state, status='ACTIVE', host='dead', age=600,
                **values):
        return self.add_server(host=host, status=status,
                               task_state=task_state,
                               task_started_at=base.ago(age), **values)

    def test_tasks_of_down_hosts_are_cleared(self):
        rebooting = self.pending('REBOOTING', status='REBOOT',
                                 powered_on=False)
        resizing = self.pending('RESIZING', status='RESIZE')
        building = self.pending('BUILDING', status='BUILD')

        self.assertEqual(3, self.periodic.clear_stale_tasks())

        self.assertEqual('STOPPED', self.settled(rebooting).status)
        self.assertEqual('ERROR', self.settled(resizing).status)
        self.assertEqual('ERROR', self.settled(building).status)
        entry = self.diagnostics(rebooting)[0]
        self.assertEqual(('WARNING', 'compute',
                          'Reboot abandoned: compute host dead is down'),
                         (entry.level, entry.source, entry.message))
        self.assertEqual('ERROR', self.diagnostics(resizing)[0].level)

    def test_live_hosts_and_recent_tasks_are_left_alone(self):
        live = self.pending('REBOOTING', host='host-1')
        recent = self.pending('REBOOTING', age=10)

        self.assertEqual(0, self.periodic.clear_stale_tasks())

        self.assertEqual('REBOOTING', self.server(live).task_state)
        self.assertEqual('REBOOTING', self.server(recent).task_state)

    def test_task_without_start_time_counts_from_last_update(self):
        server_id = self.add_server(host='dead', status='BUILD',
                                    task_state='BUILDING')
        with transaction(writer=True) as session:
            db_api.server_update_if(session, server_id, {},
                                    updated_at=base.ago(600))

        self.assertEqual(1, self.periodic.clear_stale_tasks())
        self.assertEqual('ERROR', self.server(server_id).status)

    def test_destroying_server_is_removed_from_the_records(self):
        server_id = self.pending('DESTROYING')

        self.periodic.clear_stale_tasks()

        server = self.server(server_id)
        self.assertEqual(('DELETED', True, ''),
                         (server.status, server.deleted,
                          server.task_state))

    def test_abandoned_image_is_error(self):
        server_id = self.pending('SNAPSHOTTING')
        image_id = self.saving_image(server_id)

        self.periodic.clear_stale_tasks()

        self.assertEqual('ACTIVE', self.settled(server_id).status)
        self.assertEqual('ERROR', self.image_record(image_id).status)

    def test_run_survives_a_failing_task(self):
        server_id = self.pending('STOPPING')

        with mock.patch.object(self.periodic, 'confirm_resizes',
                               side_effect=RuntimeError('bug')):
            self.periodic.run()

        self.assertEqual('', self.server(server_id).task_state)
