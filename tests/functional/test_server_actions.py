"""Server actions through the API, the message bus and a compute host."""

import datetime
import threading

import sqlalchemy as sa
import testscenarios

from cyclades.db import api as db_api
from cyclades.db import models
from cyclades.db.session import transaction
from cyclades import utils
from tests import base
from tests.functional import base as functional

load_tests = testscenarios.load_tests_apply_scenarios


def ago(seconds):
    return utils.utcnow() - datetime.timedelta(seconds=seconds)


class ActionTestCase(functional.FunctionalTestCase):

    def action(self, server_id, body, client=None, **kwargs):
        return (client or self.api).post('/servers/%s/action' % server_id,
                                         body, **kwargs)

    def active_server(self, **kwargs):
        server_id = self.create_server(**kwargs).json['server']['id']
        self.settled(server_id, 'ACTIVE')
        return server_id

    def assertFault(self, response, code, name, message=None):
        self.assertEqual(code, response.status_int, response.body)
        fault = response.json[name]
        self.assertEqual(code, fault['code'])
        if message is not None:
            self.assertIn(message, fault['message'])
        return fault['message']

    def messages(self, server_id):
        entries = self.api.get('/servers/%s/diagnostics' % server_id).json
        return [(entry['source'], entry['level'], entry['message'])
                for entry in entries]

    def record(self, server_id):
        with transaction() as session:
            return session.get(models.Server, int(server_id))

    def update_server(self, server_id, **values):
        with transaction(writer=True) as session:
            db_api.server_update_if(session, int(server_id), {}, **values)


class ServerActionsTest(ActionTestCase):

    scenarios = functional.DB_SCENARIOS

    # Power

    def test_shutdown_and_start(self):
        server_id = self.active_server()

        response = self.action(server_id, {'shutdown': {}})
        self.assertEqual(202, response.status_int)
        self.assertEqual(b'', response.body)
        server = self.settled(server_id, 'STOPPED')
        self.assertFalse(self.record(server_id).powered_on)

        self.assertEqual(202, self.action(server_id, {'start': None})
                         .status_int)
        self.settled(server_id, 'ACTIVE')
        self.assertEqual(server['flavor'], self.show(server_id)['flavor'])

    def test_openstack_names_of_stop_and_start(self):
        server_id = self.active_server()

        self.assertEqual(202, self.action(server_id, {'os-stop': None})
                         .status_int)
        self.settled(server_id, 'STOPPED')
        self.assertEqual(202, self.action(server_id, {'os-start': {}})
                         .status_int)
        self.settled(server_id, 'ACTIVE')

    def test_start_needs_stopped_and_shutdown_needs_active(self):
        server_id = self.active_server()

        self.assertFault(self.action(server_id, {'start': {}}), 400,
                         'badRequest', 'is ACTIVE; start needs STOPPED')
        self.assertEqual(202, self.action(server_id, {'shutdown': {}})
                         .status_int)
        self.settled(server_id, 'STOPPED')
        self.assertFault(self.action(server_id, {'shutdown': {}}), 400,
                         'badRequest', 'is STOPPED; shutdown needs ACTIVE')

    def test_reboot_shows_its_status_then_active(self):
        self.flags(group='fake_driver', action_time=0.5)
        server_id = self.active_server()

        for reboot_type, status in (('SOFT', 'REBOOT'),
                                    ('hard', 'HARD_REBOOT'),
                                    ('Soft', 'REBOOT')):
            response = self.action(server_id,
                                   {'reboot': {'type': reboot_type}})
            self.assertEqual(202, response.status_int)
            server = self.show(server_id)
            self.assertEqual(status, server['status'])
            self.assertIn(server['SNF:task_state'],
                          ('REBOOTING', 'REBOOTING_HARD'))
            self.settled(server_id, 'ACTIVE')

    def test_reboot_of_a_stopped_server_starts_it(self):
        server_id = self.active_server()
        self.action(server_id, {'shutdown': {}})
        self.settled(server_id, 'STOPPED')

        self.assertEqual(202, self.action(
            server_id, {'reboot': {'type': 'HARD'}}).status_int)
        self.settled(server_id, 'ACTIVE')
        self.assertTrue(self.record(server_id).powered_on)

    def test_reboot_type_must_be_soft_or_hard(self):
        server_id = self.active_server()

        self.assertFault(self.action(server_id,
                                     {'reboot': {'type': 'WARM'}}),
                         400, 'badRequest', 'SOFT or HARD')
        self.assertFault(self.action(server_id, {'reboot': {}}), 400,
                         'badRequest', 'type')
        self.assertFault(self.action(server_id, {'reboot': {'type': 1}}),
                         400, 'badRequest', 'reboot.type')

    # Resizing

    def test_resize_then_confirm(self):
        small, large = self.flavors[0], self.flavors[2]
        server_id = self.active_server(flavor=small)

        response = self.action(server_id,
                               {'resize': {'flavorRef': str(large.id)}})
        self.assertEqual(202, response.status_int)
        server = self.settled(server_id, 'VERIFY_RESIZE')
        self.assertEqual(str(large.id), server['flavor']['id'])

        response = self.action(server_id, {'confirmResize': None})
        self.assertEqual(204, response.status_int)
        server = self.show(server_id)
        self.assertEqual('ACTIVE', server['status'])
        self.assertEqual(str(large.id), server['flavor']['id'])
        self.assertIsNone(self.record(server_id).old_flavor_id)

    def test_resize_of_a_stopped_server_confirms_to_stopped(self):
        server_id = self.active_server()
        self.action(server_id, {'shutdown': {}})
        self.settled(server_id, 'STOPPED')

        self.action(server_id, {'resize': {'flavorRef': self.flavors[1].id}})
        self.settled(server_id, 'VERIFY_RESIZE')
        self.assertEqual(204, self.action(server_id, {'confirmResize': {}})
                         .status_int)
        self.assertEqual('STOPPED', self.show(server_id)['status'])

    def test_resize_then_revert(self):
        self.flags(group='fake_driver', action_time=0.5)
        small, large = self.flavors[0], self.flavors[1]
        server_id = self.active_server(flavor=small)

        self.action(server_id, {'resize': {'flavorRef': large.id}})
        self.assertEqual('RESIZE', self.show(server_id)['status'])
        self.settled(server_id, 'VERIFY_RESIZE')

        response = self.action(server_id, {'revertResize': None})
        self.assertEqual(202, response.status_int)
        self.assertEqual('REVERT_RESIZE', self.show(server_id)['status'])
        server = self.settled(server_id, 'ACTIVE')
        self.assertEqual(str(small.id), server['flavor']['id'])

    def test_resize_refusals(self):
        server_id = self.active_server(flavor=self.flavors[1])

        self.assertFault(self.action(server_id, {'resize': {
            'flavorRef': self.flavors[1].id}}), 400, 'badRequest',
            'already has flavor')
        self.assertFault(self.action(server_id, {'resize': {
            'flavorRef': self.flavors[0].id}}), 400, 'badRequest',
            'smaller disk')
        self.assertFault(self.action(server_id, {'resize': {
            'flavorRef': '9999'}}), 404, 'itemNotFound')
        self.assertFault(self.action(server_id, {'resize': {}}), 400,
                         'badRequest', 'flavorRef')
        self.assertEqual('ACTIVE', self.show(server_id)['status'])

    def test_confirm_and_revert_need_verify_resize(self):
        server_id = self.active_server()

        self.assertFault(self.action(server_id, {'confirmResize': None}),
                         400, 'badRequest', 'needs VERIFY_RESIZE')
        self.assertFault(self.action(server_id, {'revertResize': None}),
                         400, 'badRequest', 'needs VERIFY_RESIZE')

    # Access

    def test_console_json(self):
        server_id = self.active_server()

        response = self.action(server_id, {'console': {'type': 'vnc'}})

        self.assertEqual(200, response.status_int)
        console = response.json['console']
        self.assertEqual({'type', 'host', 'port', 'password'}, set(console))
        self.assertEqual('vnc', console['type'])
        self.assertIsInstance(console['port'], int)
        again = self.action(server_id, {'console': {'type': 'vnc'}})
        self.assertNotEqual(console['password'],
                            again.json['console']['password'])

    def test_console_xml(self):
        server_id = self.active_server()

        response = self.action(server_id, {'console': {'type': 'vnc'}},
                               headers={'Accept': 'application/xml'})

        self.assertEqual(200, response.status_int)
        self.assertTrue(response.content_type.startswith('application/xml'))
        body = response.body.decode('utf-8')
        self.assertIn('<console xmlns="http://docs.openstack.org/compute/'
                      'api/v1.1" type="vnc"', body)
        self.assertIn('password="', body)

    def test_console_refusals(self):
        server_id = self.active_server()

        self.assertFault(self.action(server_id,
                                     {'console': {'type': 'spice'}}),
                         400, 'badRequest', 'spice')
        self.assertFault(self.action(server_id, {'console': {}}), 400,
                         'badRequest')
        self.action(server_id, {'shutdown': {}})
        self.settled(server_id, 'STOPPED')
        self.assertFault(self.action(server_id,
                                     {'console': {'type': 'vnc'}}),
                         400, 'badRequest', 'needs ACTIVE')

    def test_firewall_profile(self):
        server_id = self.active_server()

        self.assertFault(self.action(server_id, {'firewallProfile': {
            'profile': 'ENABLED'}}), 400, 'badRequest', 'nic')
        self.assertFault(self.action(server_id, {'firewallProfile': {
            'profile': 'OPEN', 'nic': '1'}}), 400, 'badRequest', 'OPEN')
        self.assertFault(self.action(server_id, {'firewallProfile': {
            'profile': 'PROTECTED', 'nic': 'nic-1-0'}}), 404,
            'itemNotFound', 'NIC not found')

    def test_change_password(self):
        self.flags(group='fake_driver', action_time=0.5)
        server_id = self.active_server()
        old_hash = self.record(server_id).admin_pass_hash

        response = self.action(server_id,
                               {'changePassword': {'adminPass': 'N3wpass'}})

        self.assertEqual(202, response.status_int)
        self.assertEqual('PASSWORD', self.show(server_id)['status'])
        self.settled(server_id, 'ACTIVE')
        new_hash = self.record(server_id).admin_pass_hash
        self.assertNotEqual(old_hash, new_hash)
        self.assertTrue(utils.check_password('N3wpass', new_hash))
        self.assertFault(self.action(server_id, {'changePassword': {}}),
                         400, 'badRequest', 'adminPass')

    def test_change_password_needs_active(self):
        server_id = self.active_server()
        self.action(server_id, {'shutdown': {}})
        self.settled(server_id, 'STOPPED')

        self.assertFault(self.action(server_id, {'changePassword': {
            'adminPass': 'x'}}), 400, 'badRequest', 'needs ACTIVE')

    # Ownership and images

    def test_reassign_to_another_project_of_the_user(self):
        server_id = self.active_server()
        with transaction(writer=True) as session:
            project = models.Project(name='second')
            session.add(project)
            session.flush()
            session.add(models.Membership(user_id=self.user_id,
                                          project_id=project.id))
            project_id = project.id
            token = db_api.token_create(session, self.user_id, project_id,
                                        3600)

        response = self.action(server_id, {'reassign': {
            'project': project_id}})

        self.assertEqual(200, response.status_int)
        self.assertEqual(404, self.api.get('/servers/%s' % server_id)
                         .status_int)
        second = functional.APIClient(self.app, token)
        shown = second.get('/servers/%s' % server_id).json['server']
        self.assertEqual(project_id, shown['tenant_id'])

    def test_reassign_to_a_project_of_someone_else(self):
        server_id = self.active_server()
        _user, project_id, _token = functional.make_identity('other')

        self.assertFault(self.action(server_id, {'reassign': {
            'project': project_id}}), 400, 'badRequest', 'not a member')
        self.assertFault(self.action(server_id, {'reassign': {}}), 400,
                         'badRequest', 'project')

    def test_create_image(self):
        self.flags(group='fake_driver', action_time=0.5)
        server_id = self.active_server()

        response = self.action(server_id, {'createImage': {
            'name': 'backup', 'metadata': {'purpose': 'test'}}})

        self.assertEqual(202, response.status_int)
        location = response.headers['Location']
        self.assertIn('/compute/v2.0/images/', location)
        image_id = location.rsplit('/', 1)[1]
        image = self.image_record(image_id)
        self.assertEqual(
            ('backup', 'SAVING', False, self.project_id, int(server_id),
             self.image.min_disk, self.image.min_ram, {'purpose': 'test'}),
            (image.name, image.status, image.public, image.owner_id,
             image.server_id, image.min_disk, image.min_ram, image.meta))
        self.assertEqual('SNAPSHOTTING',
                         self.show(server_id)['SNF:task_state'])

        self.settled(server_id, 'ACTIVE')
        self.assertEqual('ACTIVE', self.image_record(image_id).status)

    def image_record(self, image_id):
        with transaction() as session:
            return session.get(models.Image, image_id)

    def test_create_image_refusals(self):
        self.flags(group='api', max_metadata_items=2)
        server_id = self.active_server()

        self.assertFault(self.action(server_id, {'createImage': {}}),
                         400, 'badRequest', 'name')
        self.assertFault(self.action(server_id, {'createImage': {
            'name': 'x', 'metadata': {'a': 1}}}), 400, 'badRequest',
            'metadata')
        self.assertFault(self.action(server_id, {'createImage': {
            'name': 'x', 'metadata': {'a': '1', 'b': '2', 'c': '3'}}}),
            413, 'overLimit')

    # The body

    def test_body_must_hold_one_known_action(self):
        server_id = self.active_server()

        self.assertFault(self.action(server_id, {}), 400, 'badRequest',
                         'exactly one action')
        self.assertFault(self.action(server_id, {'start': {},
                                                 'shutdown': {}}),
                         400, 'badRequest', 'exactly one action')
        self.assertFault(self.action(server_id, {'create': {}}), 400,
                         'badRequest', 'Action create not supported')
        self.assertFault(self.action(server_id, {'reboot': None}), 400,
                         'badRequest', 'must be an object')
        self.assertFault(self.action(server_id, {'shutdown': []}), 400,
                         'badRequest', 'must be an object or null')
        self.assertFault(self.action(server_id, {'shutdown': 'now'}), 400,
                         'badRequest')
        response = self.api.request('POST', '/servers/%s/action'
                                    % server_id, raw=b'{"start"',
                                    headers={'Content-Type':
                                             'application/json'})
        self.assertFault(response, 400, 'badRequest')
        self.assertEqual('ACTIVE', self.show(server_id)['status'])

    def test_only_post(self):
        server_id = self.active_server()

        response = self.api.get('/servers/%s/action' % server_id)
        self.assertFault(response, 400, 'badRequest', 'Method not allowed')
        self.assertEqual('POST', response.headers['Allow'])

    # States

    def test_building_server_is_409(self):
        self.flags(group='fake_driver', build_time=0.5)
        server_id = self.create_server().json['server']['id']

        for body in ({'reboot': {'type': 'SOFT'}}, {'shutdown': {}},
                     {'firewallProfile': {'profile': 'ENABLED',
                                          'nic': '1'}},
                     {'reassign': {'project': self.project_id}}):
            self.assertFault(self.action(server_id, body), 409,
                             'buildInProgress')

    def test_server_in_error_is_400(self):
        self.flags(group='fake_driver', fail_on=['spawn'])
        server_id = self.create_server().json['server']['id']
        self.settled(server_id, 'ERROR')

        self.assertFault(self.action(server_id, {'reboot': {
            'type': 'HARD'}}), 400, 'badRequest', 'is in ERROR')

    def test_pending_task_is_400(self):
        self.flags(group='fake_driver', action_time=0.5)
        server_id = self.active_server()

        self.assertEqual(202, self.action(server_id, {'shutdown': {}})
                         .status_int)
        self.assertFault(self.action(server_id, {'reboot': {
            'type': 'SOFT'}}), 400, 'badRequest',
            'pending task: STOPPING')
        self.settled(server_id, 'STOPPED')

    def test_deleted_server_is_400_then_404(self):
        server_id = self.active_server()
        self.api.delete('/servers/%s' % server_id)
        self.settled(server_id, 'DELETED')

        self.assertFault(self.action(server_id, {'shutdown': {}}), 400,
                         'badRequest', 'deleted')

        self.update_server(server_id, deleted_at=ago(7200))
        self.assertFault(self.action(server_id, {'shutdown': {}}), 404,
                         'itemNotFound')

    def test_other_tenant_and_unknown_server_are_404(self):
        server_id = self.active_server()
        _user, _project, token = functional.make_identity('other')
        other = functional.APIClient(self.app, token)

        for body in ({'shutdown': {}}, {'console': {'type': 'vnc'}},
                     {'reassign': {'project': self.project_id}},
                     {'createImage': {'name': 'stolen'}}):
            self.assertFault(self.action(server_id, body, client=other),
                             404, 'itemNotFound')
        self.assertFault(self.action('99999', {'shutdown': {}}), 404,
                         'itemNotFound')
        self.assertEqual('ACTIVE', self.show(server_id)['status'])

    # Diagnostics and failures

    def test_each_step_is_recorded(self):
        server_id = self.active_server()

        self.action(server_id, {'reboot': {'type': 'SOFT'}})
        self.settled(server_id, 'ACTIVE')

        self.assertEqual(
            [('compute', 'INFO', 'Server rebooted'),
             ('compute', 'INFO', 'Reboot in progress on host %s'
              % self.compute.host),
             ('api', 'INFO', 'Reboot requested')],
            self.messages(server_id)[:3])

    def test_failed_shutdown_returns_to_active(self):
        self.flags(group='fake_driver', fail_on=['power_off'])
        server_id = self.active_server()

        self.assertEqual(202, self.action(server_id, {'shutdown': {}})
                         .status_int)

        self.settled(server_id, 'ACTIVE')
        self.assertEqual(('compute', 'ERROR', 'Shutdown failed'),
                         self.messages(server_id)[0])

    def test_failed_resize_leaves_error(self):
        self.flags(group='fake_driver', fail_on=['resize'])
        server_id = self.active_server()

        self.action(server_id, {'resize': {'flavorRef': self.flavors[1].id}})

        server = self.settled(server_id, 'ERROR')
        self.assertEqual(str(self.flavors[0].id), server['flavor']['id'])
        self.assertEqual('Resize failed',
                         server['diagnostics'][0]['message'])

    def test_failed_image_is_error(self):
        self.flags(group='fake_driver', fail_on=['snapshot'])
        server_id = self.active_server()

        location = self.action(server_id, {'createImage': {
            'name': 'x'}}).headers['Location']

        image_id = location.rsplit('/', 1)[1]
        base.wait_for(lambda: self.image_record(image_id).status == 'ERROR',
                      message='the image to fail')
        self.settled(server_id, 'ACTIVE')

    # Races

    def race(self, server_id, first, second):
        """Send two actions at once; return their answers' statuses."""
        barrier = threading.Barrier(2, timeout=base.WAIT_TIMEOUT)
        statuses = {}

        def send(name, body):
            barrier.wait()
            statuses[name] = self.action(server_id, body).status_int

        threads = [threading.Thread(target=send, args=item)
                   for item in (('first', first), ('second', second))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(base.WAIT_TIMEOUT)
        return statuses['first'], statuses['second']

    def test_racing_actions_one_wins(self):
        # The driver is slow enough that the winner's task is still
        # pending when the loser's request is checked.
        self.flags(group='fake_driver', action_time=0.5)
        server_id = self.active_server()
        outcomes = {(202, 400): 'STOPPED', (400, 202): 'ACTIVE',
                    (202, 409): 'STOPPED', (409, 202): 'ACTIVE'}

        for _ in range(3):
            statuses = self.race(server_id, {'shutdown': {}},
                                 {'reboot': {'type': 'HARD'}})
            self.assertIn(statuses, outcomes)
            self.settled(server_id, outcomes[statuses])
            requested = [message for source, _, message
                         in self.messages(server_id)
                         if source == 'api'][0]
            self.assertEqual('Shutdown requested'
                             if outcomes[statuses] == 'STOPPED'
                             else 'Hard reboot requested', requested)
            if outcomes[statuses] == 'STOPPED':
                self.action(server_id, {'start': {}})
                self.settled(server_id, 'ACTIVE')

    def test_same_action_twice_at_once(self):
        self.flags(group='fake_driver', action_time=0.5)
        server_id = self.active_server()

        statuses = self.race(server_id, {'shutdown': {}}, {'os-stop': {}})

        self.assertEqual(1, statuses.count(202), statuses)
        self.assertIn(max(statuses), (400, 409))
        self.settled(server_id, 'STOPPED')
        requests = [message for source, _, message
                    in self.messages(server_id) if source == 'api']
        self.assertEqual(1, requests.count('Shutdown requested'))


class DownHostTest(ActionTestCase):
    """A host that stopped sending heartbeats."""

    scenarios = functional.DB_SCENARIOS

    def setUp(self):
        super().setUp()
        self.server_id = self.active_server()
        self.compute.stop()
        with transaction(writer=True) as session:
            session.execute(sa.update(models.ComputeHost).values(
                heartbeat_at=ago(3600)))

    def test_action_is_accepted_and_nothing_stays_pending(self):
        response = self.action(self.server_id, {'reboot': {'type': 'SOFT'}})

        self.assertEqual(202, response.status_int)
        server = self.show(self.server_id)
        self.assertEqual(('ACTIVE', ''),
                         (server['status'], server['SNF:task_state']))
        self.assertEqual(
            ('api', 'WARNING', 'Reboot not done: compute host %s is down'
             % self.compute.host), self.messages(self.server_id)[0])

    def test_image_of_a_down_host_is_error(self):
        response = self.action(self.server_id,
                               {'createImage': {'name': 'x'}})

        self.assertEqual(202, response.status_int)
        image_id = response.headers['Location'].rsplit('/', 1)[1]
        with transaction() as session:
            self.assertEqual('ERROR',
                             session.get(models.Image, image_id).status)

    def test_console_of_a_down_host_is_503(self):
        self.assertFault(self.action(self.server_id,
                                     {'console': {'type': 'vnc'}}),
                         503, 'serviceUnavailable', 'down')

    def test_state_rules_still_apply(self):
        self.assertFault(self.action(self.server_id, {'start': {}}), 400,
                         'badRequest', 'needs STOPPED')


class PeriodicTasksTest(ActionTestCase):
    """What compute daemons do on their own timers."""

    scenarios = functional.DB_SCENARIOS
    start_compute = False

    def setUp(self):
        super().setUp()
        self.flags(group='compute', periodic_interval=0.05,
                   task_timeout=0, resize_confirm_window=60)
        self.compute = self.start_compute_host('first')

    def test_resize_is_confirmed_after_the_window(self):
        server_id = self.active_server()
        self.action(server_id, {'resize': {'flavorRef': self.flavors[1].id}})
        self.settled(server_id, 'VERIFY_RESIZE')

        self.update_server(server_id, resized_at=ago(120))

        server = self.settled(server_id, 'ACTIVE')
        self.assertEqual(str(self.flavors[1].id), server['flavor']['id'])
        self.assertEqual('Resize confirmed automatically after 60 seconds',
                         server['diagnostics'][0]['message'])

    def test_task_left_by_a_host_that_went_down_is_cleared(self):
        server_id = self.active_server()
        self.compute.stop()

        # The host still counts as alive: the cast waits in its queue.
        self.assertEqual(202, self.action(server_id, {'reboot': {
            'type': 'SOFT'}}).status_int)
        self.assertEqual('REBOOTING',
                         self.show(server_id)['SNF:task_state'])

        with transaction(writer=True) as session:
            session.execute(sa.update(models.ComputeHost).values(
                heartbeat_at=ago(3600)))
        self.start_compute_host('second')

        self.settled(server_id, 'ACTIVE')
        self.assertEqual(('compute', 'WARNING',
                          'Reboot abandoned: compute host first is down'),
                         self.messages(server_id)[0])
