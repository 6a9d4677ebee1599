"""The rules of server actions in the API process, without a host."""

from unittest import mock

import sqlalchemy as sa

from cyclades.compute import actions
from cyclades.db import api as db_api
from cyclades.db import models
from cyclades.db.session import transaction
from cyclades import exception
from cyclades import utils
from tests.unit.compute import base


class CheckStateTest(base.ComputeTestCase):

    def check(self, needs=('ACTIVE',), allow_error=False, **values):
        server = models.Server(id=7, status='ACTIVE', task_state='',
                               deleted=False)
        for name, value in values.items():
            setattr(server, name, value)
        actions.check_state(server, needs, 'doing it', allow_error)

    def test_allowed(self):
        self.check()
        self.check(needs=(), status='STOPPED')
        self.check(needs=(), status='ERROR', allow_error=True)

    def test_building_is_409(self):
        self.assertRaises(exception.BuildInProgress, self.check,
                          status='BUILD', task_state='BUILDING')
        self.assertRaises(exception.BuildInProgress, self.check,
                          task_state='BUILDING')

    def test_refusals_name_the_state(self):
        cases = [({'deleted': True}, 'Server 7 is deleted'),
                 ({'status': 'ERROR'}, 'Server 7 is in ERROR'),
                 ({'task_state': 'STOPPING'},
                  'Server 7 has a pending task: STOPPING'),
                 ({'status': 'STOPPED'},
                  'Server 7 is STOPPED; doing it needs ACTIVE')]
        for values, message in cases:
            error = self.assertRaises(exception.InvalidState, self.check,
                                      **values)
            self.assertEqual(400, error.code)
            self.assertIn(message, error.message)

    def test_error_allowed_still_refuses_pending_tasks(self):
        self.assertRaises(exception.InvalidState, self.check, needs=(),
                          allow_error=True, status='ERROR',
                          task_state='REBOOTING')


class ActionAPITest(base.ComputeTestCase):

    def setUp(self):
        super().setUp()
        self.add_host('host-1')
        self.compute = mock.Mock()
        self.actions = actions.ActionAPI(self.compute)

    def test_reboot_claims_the_server_and_casts(self):
        server_id = self.add_server()
        before = utils.utcnow()

        self.actions.reboot(self.context, server_id, hard=True)

        server = self.server(server_id)
        self.assertEqual('HARD_REBOOT', server.status)
        self.assertEqual('REBOOTING_HARD', server.task_state)
        self.assertGreaterEqual(server.task_started_at, before)
        self.compute.rpc.reboot_server.assert_called_once_with(
            self.context, 'host-1', server_id, True)
        entry = self.diagnostics(server_id)[0]
        self.assertEqual(('INFO', 'api', 'Hard reboot requested'),
                         (entry.level, entry.source, entry.message))

    def test_start_keeps_the_status_while_pending(self):
        server_id = self.add_server(status='STOPPED', powered_on=False)

        self.actions.start(self.context, server_id)

        server = self.server(server_id)
        self.assertEqual(('STOPPED', 'STARTING'),
                         (server.status, server.task_state))
        self.compute.rpc.start_server.assert_called_once_with(
            self.context, 'host-1', server_id)

    def test_second_action_loses(self):
        server_id = self.add_server()
        self.actions.stop(self.context, server_id)

        error = self.assertRaises(exception.InvalidState,
                                  self.actions.reboot, self.context,
                                  server_id)
        self.assertIn('STOPPING', error.message)
        self.assertEqual('STOPPING', self.server(server_id).task_state)
        self.compute.rpc.reboot_server.assert_not_called()

    def test_lost_swap_with_an_allowed_state_is_a_conflict(self):
        # The server changed and changed back between the check and the
        # swap: nothing explains the refusal, so the client retries.
        server_id = self.add_server()

        with mock.patch.object(db_api, 'server_update_if',
                               return_value=False):
            error = self.assertRaises(exception.Conflict,
                                      self.actions.stop, self.context,
                                      server_id)
        self.assertEqual(409, error.code)
        self.compute.rpc.stop_server.assert_not_called()

    def test_other_project_sees_nothing(self):
        server_id = self.add_server()
        self.context.project_id = 'someone-else'

        self.assertRaises(exception.ServerNotFound, self.actions.stop,
                          self.context, server_id)

    def test_deleted_server_is_400_then_404(self):
        server_id = self.add_server(deleted=True, status='DELETED',
                                    deleted_at=utils.utcnow())
        error = self.assertRaises(exception.InvalidState,
                                  self.actions.stop, self.context,
                                  server_id)
        self.assertIn('deleted', error.message)

        with transaction(writer=True) as session:
            db_api.server_update_if(session, server_id, {},
                                    deleted_at=base.ago(7200))
        self.assertRaises(exception.ServerNotFound, self.actions.stop,
                          self.context, server_id)

    def test_down_host_accepts_but_changes_nothing(self):
        self.add_host('host-2', heartbeat_age=3600)
        server_id = self.add_server(host='host-2')

        self.actions.reboot(self.context, server_id)

        server = self.server(server_id)
        self.assertEqual(('ACTIVE', ''), (server.status, server.task_state))
        self.compute.rpc.reboot_server.assert_not_called()
        entry = self.diagnostics(server_id)[0]
        self.assertEqual('WARNING', entry.level)
        self.assertEqual('Reboot not done: compute host host-2 is down',
                         entry.message)

    def test_unreachable_broker_undoes_the_claim(self):
        server_id = self.add_server()
        self.compute.rpc.resize_server.side_effect = (
            exception.MessagingError(reason='no broker'))

        self.assertRaises(exception.MessagingError, self.actions.resize,
                          self.context, server_id, self.flavors[1].id)

        server = self.server(server_id)
        self.assertEqual(('ACTIVE', '', None),
                         (server.status, server.task_state,
                          server.task_started_at))
        entry = self.diagnostics(server_id)[0]
        self.assertEqual('ERROR', entry.level)
        self.assertIn('message broker unreachable', entry.message)

    def test_resize_checks_the_flavor(self):
        server_id = self.add_server(flavor=self.flavors[1])

        self.assertRaises(exception.FlavorNotFound, self.actions.resize,
                          self.context, server_id, 999)
        error = self.assertRaises(exception.Invalid, self.actions.resize,
                                  self.context, server_id,
                                  self.flavors[1].id)
        self.assertIn('already has flavor', error.message)
        error = self.assertRaises(exception.Invalid, self.actions.resize,
                                  self.context, server_id,
                                  self.flavors[0].id)
        self.assertIn('smaller disk', error.message)

        with transaction(writer=True) as session:
            db_api.flavor_get(session, self.flavors[2].id).deleted = True
        self.assertRaises(exception.FlavorNotFound, self.actions.resize,
                          self.context, server_id, self.flavors[2].id)
        self.assertEqual('', self.server(server_id).task_state)

    def test_resize_casts_the_new_flavor(self):
        server_id = self.add_server(status='STOPPED', powered_on=False)

        self.actions.resize(self.context, server_id, self.flavors[2].id)

        self.assertEqual('RESIZE', self.server(server_id).status)
        self.compute.rpc.resize_server.assert_called_once_with(
            self.context, 'host-1', server_id, self.flavors[2].id)

    def test_confirm_resize_settles_on_the_power_state(self):
        server_id = self.add_server(
            status='VERIFY_RESIZE', powered_on=False,
            old_flavor_id=self.flavors[0].id, resized_at=utils.utcnow())

        self.actions.confirm_resize(self.context, server_id)

        server = self.server(server_id)
        self.assertEqual(('STOPPED', None, None),
                         (server.status, server.old_flavor_id,
                          server.resized_at))
        self.assertEqual('Resize confirmed',
                         self.diagnostics(server_id)[0].message)
        self.assertRaises(exception.InvalidState,
                          self.actions.confirm_resize, self.context,
                          server_id)

    def test_console_calls_the_host(self):
        server_id = self.add_server()
        self.compute.rpc.get_console.return_value = {
            'type': 'vnc', 'host': 'h', 'port': 5900, 'password': 'p'}

        console = self.actions.console(self.context, server_id, 'vnc')

        self.assertEqual('p', console['password'])
        self.compute.rpc.get_console.assert_called_once_with(
            self.context, 'host-1', server_id, 'vnc')

    def test_console_refusals(self):
        server_id = self.add_server()
        self.assertRaises(exception.Invalid, self.actions.console,
                          self.context, server_id, 'spice')

        self.compute.rpc.get_console.side_effect = exception.DriverError(
            operation='get_console', reason='boom')
        self.assertRaises(exception.ServiceUnavailable,
                          self.actions.console, self.context, server_id,
                          'vnc')

        self.add_host('host-2', heartbeat_age=3600)
        other = self.add_server(host='host-2')
        self.assertRaises(exception.ServiceUnavailable,
                          self.actions.console, self.context, other, 'vnc')

    def test_firewall_profile(self):
        server_id = self.add_server()

        self.assertRaises(exception.Invalid,
                          self.actions.set_firewall_profile, self.context,
                          server_id, '1', 'OPEN')
        self.assertRaises(exception.NicNotFound,
                          self.actions.set_firewall_profile, self.context,
                          server_id, '1', 'ENABLED')

        building = self.add_server(status='BUILD', task_state='BUILDING')
        self.assertRaises(exception.BuildInProgress,
                          self.actions.set_firewall_profile, self.context,
                          building, '1', 'ENABLED')

    def test_reassign_to_a_project_of_the_user(self):
        server_id = self.add_server(status='ERROR')
        with transaction(writer=True) as session:
            project = models.Project(name='second')
            session.add(project)
            session.flush()
            session.add(models.Membership(user_id=self.context.user_id,
                                          project_id=project.id))
            project_id = project.id

        self.actions.reassign(self.context, server_id, project_id)

        self.assertEqual(project_id, self.server(server_id).project_id)
        self.assertIn('to project %s' % project_id,
                      self.diagnostics(server_id)[0].message)

    def test_reassign_refusals(self):
        server_id = self.add_server()
        self.assertRaises(exception.Invalid, self.actions.reassign,
                          self.context, server_id, 'not-mine')

        busy = self.add_server(task_state='REBOOTING')
        self.assertRaises(exception.InvalidState, self.actions.reassign,
                          self.context, busy, 'not-mine')

    def test_create_image_records_a_saving_image(self):
        server_id = self.add_server(status='STOPPED')

        image_id = self.actions.create_image(self.context, server_id,
                                             'backup', {'purpose': 'test'})

        image = self.image_record(image_id)
        self.assertEqual(
            ('backup', 'SAVING', False, self.context.project_id,
             self.context.user_id, server_id, self.image.min_disk,
             self.image.min_ram, {'purpose': 'test'}),
            (image.name, image.status, image.public, image.owner_id,
             image.user_id, image.server_id, image.min_disk, image.min_ram,
             image.meta))
        server = self.server(server_id)
        self.assertEqual(('STOPPED', 'SNAPSHOTTING'),
                         (server.status, server.task_state))
        self.compute.rpc.create_image.assert_called_once_with(
            self.context, 'host-1', server_id, image_id)

    def test_create_image_on_a_down_host_fails_the_image(self):
        self.add_host('host-2', heartbeat_age=3600)
        server_id = self.add_server(host='host-2')

        image_id = self.actions.create_image(self.context, server_id, 'x')

        self.assertEqual('ERROR', self.image_record(image_id).status)
        self.assertEqual('', self.server(server_id).task_state)

    def test_create_image_with_no_broker_fails_the_image(self):
        server_id = self.add_server()
        self.compute.rpc.create_image.side_effect = (
            exception.MessagingError(reason='no broker'))

        self.assertRaises(exception.MessagingError,
                          self.actions.create_image, self.context,
                          server_id, 'x')

        with transaction() as session:
            statuses = list(session.scalars(
                sa.select(models.Image.status)
                .where(models.Image.server_id == server_id)))
        self.assertEqual(['ERROR'], statuses)
        self.assertEqual('', self.server(server_id).task_state)
