"""Creating, listing, showing and deleting servers through the API."""

import concurrent.futures

import testscenarios

from cyclades.db import api as db_api
from cyclades.db.session import transaction
from tests import base
from tests.functional import base as functional

load_tests = testscenarios.load_tests_apply_scenarios


class ServerLifecycleTest(functional.FunctionalTestCase):

    scenarios = functional.DB_SCENARIOS

    def test_create_builds_to_active(self):
        response = self.create_server(metadata={'role': 'web'})

        self.assertEqual(202, response.status_int)
        server = response.json['server']
        self.assertEqual('BUILD', server['status'])
        self.assertEqual(0, server['progress'])
        self.assertEqual(10, len(server['adminPass']))
        self.assertTrue(response.headers['Location'].endswith(
            '/compute/v2.0/servers/%s' % server['id']))
        self.assertEqual({'role': 'web', 'OS': 'debian', 'USERS': 'root'},
                         server['metadata'])
        self.assertIsInstance(server['id'], str)

        self.wait_for_status(server['id'], 'ACTIVE')
        shown = self.api.get('/servers/%s' % server['id']).json['server']
        self.assertEqual(100, shown['progress'])
        self.assertEqual('', shown['SNF:task_state'])
        self.assertNotIn('adminPass', shown)
        self.assertEqual('Server is running',
                         shown['diagnostics'][0]['message'])

    def test_admin_pass_is_stored_hashed(self):
        server = self.create_server().json['server']

        with transaction() as session:
            record = db_api.server_get(session, int(server['id']))
        self.assertNotIn(server['adminPass'], record.admin_pass_hash)

    def test_list_and_detail(self):
        ids = [self.create_server(name='s%d' % i).json['server']['id']
               for i in range(3)]

        listed = self.api.get('/servers').json['servers']
        self.assertEqual(ids, [item['id'] for item in listed])
        self.assertEqual({'id', 'name', 'links'}, set(listed[0]))

        detail = self.api.get('/servers/detail').json['servers']
        self.assertEqual(ids, [item['id'] for item in detail])
        self.assertIn('SNF:fqdn', detail[0])

    def test_delete_goes_through_destroying_to_deleted(self):
        server_id = self.create_server().json['server']['id']
        self.wait_for_status(server_id, 'ACTIVE')

        response = self.api.delete('/servers/%s' % server_id)
        self.assertEqual(204, response.status_int)
        self.wait_for_status(server_id, 'DELETED')
        self.assertEqual([], self.api.get('/servers').json['servers'])

        again = self.api.delete('/servers/%s' % server_id)
        self.assertEqual(400, again.status_int)

    def test_delete_while_building(self):
        self.flags(group='fake_driver', build_time=0.5)
        server_id = self.create_server().json['server']['id']

        self.assertEqual(204,
                         self.api.delete('/servers/%s' % server_id)
                         .status_int)
        self.wait_for_status(server_id, 'DELETED')

    def test_other_project_sees_404(self):
        server_id = self.create_server().json['server']['id']
        _user, _project, token = functional.make_identity('other')
        other = functional.APIClient(self.app, token)

        self.assertEqual(404, other.get('/servers/%s' % server_id)
                         .status_int)
        self.assertEqual(404, other.delete('/servers/%s' % server_id)
                         .status_int)
        self.assertEqual([], other.get('/servers').json['servers'])

    def test_driver_failure_ends_in_error(self):
        self.flags(group='fake_driver', fail_on=['spawn'])
        server_id = self.create_server().json['server']['id']

        self.wait_for_status(server_id, 'ERROR')
        entries = self.api.get('/servers/%s/diagnostics' % server_id).json
        self.assertEqual('ERROR', entries[0]['level'])
        self.assertEqual('Build failed', entries[0]['message'])


class NoComputeHostTest(functional.FunctionalTestCase):

    start_compute = False

    def test_no_host_means_error_with_diagnostics(self):
        response = self.create_server()

        self.assertEqual(202, response.status_int)
        server = response.json['server']
        self.assertEqual('ERROR', server['status'])
        self.assertEqual('scheduler', server['diagnostics'][0]['source'])

    def test_full_host_is_not_chosen(self):
        self.flags(group='fake_driver', vcpus=1, memory_mb=512)
        self.start_compute_host('tiny')

        server = self.create_server().json['server']
        self.assertEqual('ERROR', server['status'])
        base.wait_for(lambda: True)


class HostRoomRaceTest(functional.FunctionalTestCase):
    """Creates racing for a host's last room never overfill it."""

    scenarios = functional.DB_SCENARIOS
    start_compute = False

    def test_parallel_creates_take_exactly_the_room_there_is(self):
        for resource in ('vm', 'total_cpu', 'total_ram', 'cpu', 'ram',
                         'disk'):
            self.flags(group='quota', **{resource: -1})
        self.flags(group='fake_driver', vcpus=64, disk_gb=10000,
                   memory_mb=3 * self.flavors[0].ram)
        self.start_compute_host('small')
        # One project's requests already queue on its quota lock; the
        # race is between projects.
        clients = [functional.APIClient(
            self.app, functional.make_identity('racer%d' % index)[2])
            for index in range(12)]
        body = {'server': {'name': 'racer', 'imageRef': self.image.id,
                           'flavorRef': str(self.flavors[0].id)}}

        with concurrent.futures.ThreadPoolExecutor(12) as pool:
            responses = list(pool.map(
                lambda client: client.post('/servers', body), clients))

        self.assertEqual([202] * 12,
                         [response.status_int for response in responses])
        statuses = [response.json['server']['status']
                    for response in responses]
        self.assertEqual(3, len([status for status in statuses
                                 if status != 'ERROR']), statuses)
