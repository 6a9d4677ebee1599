"""One server: show, rename, delete, connections, diagnostics, XML."""

import testscenarios

from cyclades.db import api as db_api
from cyclades.db.session import transaction
from cyclades import utils
from tests.functional import base as functional
from tests.functional import server_helpers

load_tests = testscenarios.load_tests_apply_scenarios

NS = server_helpers.NS
ATOM_LINK = '{http://www.w3.org/2005/Atom}link'


class ShowTest(server_helpers.ServerTestMixin,
               functional.FunctionalTestCase):

    scenarios = functional.DB_SCENARIOS
    start_compute = False

    def test_show(self):
        server_id = self.new_server('web', metadata={'role': 'web'})

        response = self.api.get('/servers/%s' % server_id)
        self.assertEqual(200, response.status_int)
        server = response.json['server']
        self.assertEqual(server_id, server['id'])
        self.assertEqual('web', server['name'])
        self.assertEqual({'role': 'web', 'OS': 'debian', 'USERS': 'root'},
                         server['metadata'])
        for field in ('status', 'SNF:task_state', 'progress', 'created',
                      'updated', 'user_id', 'tenant_id', 'image', 'flavor',
                      'addresses', 'attachments', 'suspended', 'hostId',
                      'accessIPv4', 'accessIPv6', 'config_drive',
                      'key_name', 'security_groups', 'SNF:fqdn',
                      'SNF:port_forwarding', 'diagnostics', 'deleted'):
            self.assertIn(field, server)
        self.assertEqual(['self', 'bookmark'],
                         [link['rel'] for link in server['links']])

    def test_unknown_and_other_tenant(self):
        server_id = self.new_server()

        self.assertFault(self.api.get('/servers/9999'), 404,
                         'itemNotFound', 'Server 9999 not found')
        self.assertFault(self.other_client().get('/servers/%s' % server_id),
                         404, 'itemNotFound')

    def test_malformed_and_huge_ids(self):
        self.assertFault(self.api.get('/servers/abc/metadata'), 400,
                         'badRequest', 'API endpoint not found')
        self.assertFault(self.api.get('/servers/99999999999999999999'),
                         404, 'itemNotFound')

    def test_deleted_server_is_shown_within_the_poll_limit(self):
        server_id = self.new_server()
        self.delete_now(server_id)

        server = self.server(server_id)
        self.assertEqual('DELETED', server['status'])
        self.assertTrue(server['deleted'])

        self.age_deletion(server_id, 3500)
        self.assertEqual('DELETED', self.server(server_id)['status'])
        self.age_deletion(server_id, 3700)
        self.assertFault(self.api.get('/servers/%s' % server_id), 404,
                         'itemNotFound')

    def test_xml_forms(self):
        server_id = self.new_server('web', metadata={'role': 'web'})
        path = '/servers/%s' % server_id

        for response in (self.api.get(path + '?format=xml'),
                         self.api.get(path + '.xml'),
                         self.api.get(path, headers={
                             'Accept': 'application/xml'})):
            root = self.parse_xml(response, 'server')
            self.assertEqual((server_id, 'web'),
                             (root.get('id'), root.get('name')))
            self.assertEqual('web', root.find('c:metadata/c:meta[@key="role"]',
                                              NS).text)
            self.assertEqual(2, len(root.findall(ATOM_LINK)))

        listed = self.parse_xml(self.api.get('/servers/detail.xml'),
                                'servers')
        self.assertEqual([server_id], [element.get('id') for element in
                                       listed.findall('c:server', NS)])
        self.parse_xml(self.api.get('/servers.xml'), 'servers')

        fault = self.api.get('/servers/9999.xml')
        self.assertEqual(404, fault.status_int)
        root = self.parse_xml(fault, 'itemNotFound')
        self.assertEqual('404', root.get('code'))

    def test_json_wins_when_asked_first(self):
        server_id = self.new_server()

        response = self.api.get('/servers/%s?format=json' % server_id,
                                headers={'Accept': 'application/xml'})
        self.assertEqual('application/json; charset=UTF-8',
                         response.headers['Content-Type'])


class RenameTest(server_helpers.ServerTestMixin,
                 functional.FunctionalTestCase):

    scenarios = functional.DB_SCENARIOS
    start_compute = False

    def setUp(self):
        super().setUp()
        self.server_id = self.new_server('old')
        self.path = '/servers/%s' % self.server_id

    def test_rename(self):
        before = utils.parse_isotime(self.server(self.server_id)['updated'])

        response = self.api.put(self.path, {'server': {'name': 'new'}})
        self.assertEqual(204, response.status_int)
        self.assertEqual(b'', response.body)
        server = self.server(self.server_id)
        self.assertEqual('new', server['name'])
        self.assertGreater(utils.parse_isotime(server['updated']), before)

    def test_access_addresses_are_ignored(self):
        response = self.api.put(self.path, {'server': {
            'name': 'new', 'accessIPv4': '192.0.2.1',
            'accessIPv6': '2001:db8::1'}})

        self.assertEqual(204, response.status_int)
        server = self.server(self.server_id)
        self.assertEqual(('new', '', ''), (server['name'],
                                           server['accessIPv4'],
                                           server['accessIPv6']))

    def test_longest_name(self):
        response = self.api.put(self.path, {'server': {'name': 'n' * 255}})

        self.assertEqual(204, response.status_int)

    def test_bad_bodies(self):
        for body in ({}, {'server': {}}, {'server': 'new'},
                     {'server': {'name': 5}}, {'server': {'name': None}},
                     {'server': {'name': 'n' * 256}},
                     {'server': {'name': 'x', 'accessIPv4': 5}}):
            self.assertFault(self.api.put(self.path, body), 400,
                             'badRequest')
        self.assertEqual('old', self.server(self.server_id)['name'])

    def test_deleted_server(self):
        self.delete_now(self.server_id)

        self.assertFault(self.api.put(self.path, {'server': {'name': 'x'}}),
                         400, 'badRequest', 'deleted')
        self.age_deletion(self.server_id, 7200)
        self.assertFault(self.api.put(self.path, {'server': {'name': 'x'}}),
                         404, 'itemNotFound')

    def test_other_tenant_and_unknown(self):
        other = self.other_client()

        self.assertFault(other.put(self.path, {'server': {'name': 'x'}}),
                         404, 'itemNotFound')
        self.assertFault(self.api.put('/servers/9999',
                                      {'server': {'name': 'x'}}),
                         404, 'itemNotFound')
        self.assertEqual('old', self.server(self.server_id)['name'])


class DeleteTest(server_helpers.ServerTestMixin,
                 functional.FunctionalTestCase):

    scenarios = functional.DB_SCENARIOS

    def test_delete_in_any_state(self):
        building = self.new_server('building')
        active = self.new_server('active')
        failed = self.new_server('failed')
        self.wait_for_status(active, 'ACTIVE')
        self.wait_for_status(failed, 'ACTIVE')
        self.set_server(failed, status='ERROR')
        self.set_server(building, status='BUILD', task_state='BUILDING')

        for server_id in (building, active, failed):
            response = self.api.delete('/servers/%s' % server_id)
            self.assertEqual(204, response.status_int)
            self.assertEqual(b'', response.body)
        for server_id in (building, active, failed):
            self.wait_for_status(server_id, 'DELETED')

    def test_delete_twice(self):
        server_id = self.new_server()
        self.delete_now(server_id)

        self.assertFault(self.api.delete('/servers/%s' % server_id), 400,
                         'badRequest', 'already deleted')

    def test_delete_unknown_or_other_tenant(self):
        server_id = self.new_server()

        self.assertFault(self.api.delete('/servers/9999'), 404,
                         'itemNotFound')
        self.assertFault(self.other_client().delete(
            '/servers/%s' % server_id), 404, 'itemNotFound')


class ConnectionsTest(server_helpers.ServerTestMixin,
                      functional.FunctionalTestCase):

    scenarios = functional.DB_SCENARIOS
    start_compute = False

    def setUp(self):
        super().setUp()
        self.server_id = self.new_server(networks=[])
        self.path = '/servers/%s/ips' % self.server_id

    def test_no_connections_yet(self):
        response = self.api.get(self.path)

        self.assertEqual(200, response.status_int)
        self.assertEqual({'addresses': {}, 'attachments': []},
                         response.json)

    def test_network_not_connected(self):
        for network_id in ('1', 'public'):
            self.assertFault(self.api.get(self.path + '/' + network_id),
                             404, 'itemNotFound', network_id)

    def test_unknown_and_other_tenant(self):
        other = self.other_client()

        for path in (self.path, self.path + '/1'):
            self.assertFault(other.get(path), 404, 'itemNotFound')
        self.assertFault(self.api.get('/servers/9999/ips'), 404,
                         'itemNotFound')

    def test_deleted_server(self):
        self.delete_now(self.server_id)

        for path in (self.path, self.path + '/1'):
            self.assertFault(self.api.get(path), 400, 'badRequest',
                             'deleted')

    def test_xml(self):
        response = self.api.get(self.path + '.xml')

        root = self.parse_xml(response, 'addresses')
        self.assertEqual([server_helpers.C + 'attachments'],
                         [child.tag for child in root])
        fault = self.api.get(self.path + '/1?format=xml')
        self.parse_xml(fault, 'itemNotFound')


class DiagnosticsTest(server_helpers.ServerTestMixin,
                      functional.FunctionalTestCase):

    scenarios = functional.DB_SCENARIOS

    def test_newest_first(self):
        server_id = self.new_server()
        self.wait_for_status(server_id, 'ACTIVE')
        db_api.diagnostic_add(int(server_id), 'WARNING', 'test',
                              'Newest', 'some details')

        response = self.api.get('/servers/%s/diagnostics' % server_id)
        self.assertEqual(200, response.status_int)
        entries = response.json
        self.assertEqual(['Newest', 'Server is running'],
                         [entry['message'] for entry in entries[:2]])
        self.assertEqual('Server creation requested',
                         entries[-1]['message'])
        self.assertEqual({'level', 'created', 'source', 'source_date',
                          'message', 'details'}, set(entries[0]))
        self.assertEqual(('WARNING', 'test', 'some details'),
                         (entries[0]['level'], entries[0]['source'],
                          entries[0]['details']))
        created = [entry['created'] for entry in entries]
        self.assertEqual(sorted(created, reverse=True), created)

        shown = self.server(server_id)['diagnostics']
        self.assertEqual([entries[0]], shown)

    def test_deleted_server_unknown_and_other_tenant(self):
        server_id = self.new_server()
        self.delete_now(server_id)

        response = self.api.get('/servers/%s/diagnostics' % server_id)
        self.assertEqual(200, response.status_int)
        self.assertFault(self.other_client().get(
            '/servers/%s/diagnostics' % server_id), 404, 'itemNotFound')
        self.assertFault(self.api.get('/servers/9999/diagnostics'), 404,
                         'itemNotFound')

    def test_json_even_when_xml_is_asked(self):
        server_id = self.new_server()

        response = self.api.get('/servers/%s/diagnostics?format=xml'
                                % server_id)
        self.assertEqual('application/json; charset=UTF-8',
                         response.headers['Content-Type'])
        self.assertIsInstance(response.json, list)


class AdminPassTest(server_helpers.ServerTestMixin,
                    functional.FunctionalTestCase):

    start_compute = False

    def test_stored_hashed(self):
        response = self.create_server()
        password = response.json['server']['adminPass']

        with transaction() as session:
            record = db_api.server_get(
                session, int(response.json['server']['id']))
        self.assertNotIn(password, record.admin_pass_hash)
        self.assertTrue(utils.check_password(password,
                                             record.admin_pass_hash))
