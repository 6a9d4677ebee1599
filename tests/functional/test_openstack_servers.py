"""Servers in the OpenStack dialect: Nova 2.1 shapes, codes and ids."""

from tempest.lib.api_schema.response.compute.v2_1 import servers as schemas
import testscenarios

from cyclades.api.compute.views.openstack import servers as views
from cyclades.compute import api as compute_api
from cyclades.db import api as db_api
from cyclades.db.session import transaction
from tests import base
from tests.functional import base as functional
from tests.functional import openstack_helpers

load_tests = testscenarios.load_tests_apply_scenarios

REQUIRED = {'id', 'name', 'status', 'tenant_id', 'user_id', 'metadata',
            'hostId', 'image', 'flavor', 'created', 'updated', 'addresses',
            'links'}
OPTIONAL = {'OS-DCF:diskConfig', 'OS-EXT-AZ:availability_zone',
            'OS-EXT-SRV-ATTR:host', 'OS-EXT-SRV-ATTR:hypervisor_hostname',
            'OS-EXT-SRV-ATTR:instance_name', 'OS-EXT-STS:power_state',
            'OS-EXT-STS:task_state', 'OS-EXT-STS:vm_state',
            'OS-SRV-USG:launched_at', 'OS-SRV-USG:terminated_at',
            'accessIPv4', 'accessIPv6', 'config_drive', 'fault', 'key_name',
            'os-extended-volumes:volumes_attached', 'progress',
            'security_groups'}
RENAME_OPTIONAL = {'OS-DCF:diskConfig', 'accessIPv4', 'accessIPv6',
                   'fault', 'progress'}


class ReadTest(openstack_helpers.OpenStackTestMixin,
               functional.FunctionalTestCase):

    scenarios = functional.DB_SCENARIOS
    start_compute = False

    def test_list_items_are_id_name_links(self):
        ids = self.insert_servers(2)

        body = self.assertSchema(schemas.list_servers,
                                 self.nova.get('/servers'))
        self.assertEqual(ids, [item['id'] for item in body['servers']])
        for item in body['servers']:
            self.assertEqual({'id', 'name', 'links'}, set(item))
            self.assertEqual(
                'http://localhost:8774/compute/v2.1/servers/%s' % item['id'],
                item['links'][0]['href'])

    def test_detail_and_show_have_nova_fields_only(self):
        server_id = self.insert_servers(1)[0]

        listed = self.assertSchema(schemas.list_servers_detail,
                                   self.nova.get('/servers/detail'))
        shown = self.assertSchema(schemas.get_server,
                                  self.nova.get('/servers/%s' % server_id))
        server = shown['server']
        self.assertEqual(server, listed['servers'][0])
        self.assertLessEqual(REQUIRED, set(server))
        self.assertLessEqual(set(server), REQUIRED | OPTIONAL)
        self.assertEqual(
            {'id': self.image.id, 'links': [{
                'rel': 'bookmark', 'href': 'http://localhost:8774/compute/'
                'images/%s' % self.image.id}]}, server['image'])
        self.assertEqual(str(self.flavors[0].id), server['flavor']['id'])
        self.assertEqual(self.project_id, server['tenant_id'])
        self.assertEqual({'index': '0'}, server['metadata'])
        self.assertEqual([{'name': 'default'}], server['security_groups'])

    def test_pages_and_filters_work_as_in_the_cyclades_dialect(self):
        ids = self.insert_servers(3)

        body = self.assertSchema(schemas.list_servers_detail, self.nova.get(
            '/servers/detail?limit=2'))
        self.assertEqual(ids[:2], [item['id'] for item in body['servers']])
        self.assertIn('/compute/v2.1/servers/detail?',
                      body['servers_links'][0]['href'])
        body = self.nova.get('/servers?name=s2').json
        self.assertEqual([ids[2]], [item['id'] for item in body['servers']])

    def test_trailing_slash_and_project_id(self):
        server_id = self.insert_servers(1)[0]

        for path in ('/servers/', '/servers/detail/',
                     '/%s/servers' % self.project_id,
                     '/%s/servers/detail/' % self.project_id,
                     '/%s/servers/%s' % (self.project_id, server_id),
                     '/servers/%s/' % server_id,
                     '/%s/flavors' % self.project_id,
                     '/%s/images/detail' % self.project_id):
            self.assertEqual(200, self.nova.get(path).status_int, path)

    def test_another_project_id_is_404(self):
        server_id = self.insert_servers(1)[0]
        _client, other_project = self.other_nova()

        for path in ('/%s/servers' % other_project,
                     '/%s/servers/%s' % (other_project, server_id),
                     '/%s/flavors' % ('a' * 32)):
            self.assertFault(self.nova.get(path), 404, 'itemNotFound')

    def test_unknown_and_malformed_ids_are_404(self):
        self.insert_servers(1)

        for path in ('/servers/byname', '/servers/9999',
                     '/servers/99999999999999999999', '/servers/web-1/ips',
                     '/servers/web-1/metadata', '/servers/web-1/metadata/k',
                     '/flavors/tiny', '/flavors/9999',
                     '/images/debian', '/images/%s' % ('0' * 32)):
            self.assertFault(self.nova.get(path), 404, 'itemNotFound')
        self.assertFault(self.nova.delete('/servers/byname'), 404,
                         'itemNotFound')
        self.assertFault(self.nova.post('/servers/byname/action',
                                        {'os-stop': None}),
                         404, 'itemNotFound')

    def test_another_tenants_server_is_404(self):
        server_id = self.insert_servers(1)[0]
        other, _project = self.other_nova()

        self.assertFault(other.get('/servers/%s' % server_id), 404,
                         'itemNotFound')
        self.assertEqual([], other.get('/servers').json['servers'])

    def test_unknown_urls_and_methods_are_400(self):
        server_id = self.insert_servers(1)[0]

        self.assertFault(self.nova.get('/servers/%s/nothing' % server_id),
                         400, 'badRequest', 'API endpoint not found')
        response = self.nova.request('PATCH', '/servers/%s' % server_id)
        self.assertFault(response, 400, 'badRequest', 'Method not allowed')
        self.assertEqual('DELETE, GET, PUT', response.headers['Allow'])
        self.assertFault(self.nova.get('/servers', token=False), 401,
                         'unauthorized')

    def test_ips(self):
        server_id = self.insert_servers(1)[0]

        body = self.assertSchema(schemas.list_addresses, self.nova.get(
            '/servers/%s/ips' % server_id))
        self.assertEqual({'addresses': {}}, body)
        self.assertFault(self.nova.get('/servers/%s/ips/public' % server_id),
                         404, 'itemNotFound')


class DeletedTest(openstack_helpers.OpenStackTestMixin,
                  functional.FunctionalTestCase):

    scenarios = functional.DB_SCENARIOS

    def test_a_deleted_server_is_404_here_and_deleted_in_v20(self):
        server_id = self.nova_server()
        self.wait_for_nova_status(server_id, 'ACTIVE')
        before = self.nova.get('/servers/%s' % server_id).json['server']

        self.assertSchema(schemas.delete_server,
                          self.nova.delete('/servers/%s' % server_id))
        base.wait_for(lambda: self.nova.get(
            '/servers/%s' % server_id).status_int == 404)

        for response in (
                self.nova.get('/servers/%s' % server_id),
                self.nova.delete('/servers/%s' % server_id),
                self.nova.get('/servers/%s/metadata' % server_id),
                self.nova.put('/servers/%s' % server_id,
                              {'server': {'name': 'x'}}),
                self.nova.get('/servers/%s/ips' % server_id),
                self.nova.post('/servers/%s/action' % server_id,
                               {'os-start': None})):
            self.assertFault(response, 404, 'itemNotFound')
        self.assertEqual('DELETED', self.server(server_id)['status'])

        body = self.assertSchema(schemas.list_servers_detail, self.nova.get(
            '/servers/detail?changes-since=%s' % before['updated']))
        self.assertEqual(['DELETED'],
                         [item['status'] for item in body['servers']])
        self.assertEqual([], self.nova.get('/servers').json['servers'])


class StatusTest(openstack_helpers.OpenStackTestMixin,
                 functional.FunctionalTestCase):

    start_compute = False

    def shown(self, server_id):
        return self.assertSchema(schemas.get_server, self.nova.get(
            '/servers/%s' % server_id))['server']

    def states(self, server_id):
        server = self.shown(server_id)
        return (server['status'], server['OS-EXT-STS:vm_state'],
                server['OS-EXT-STS:task_state'],
                server['OS-EXT-STS:power_state'])

    def test_statuses_as_nova_names_them(self):
        server_id = self.insert_servers(1)[0]

        cases = [
            (dict(status='ACTIVE'), ('ACTIVE', 'active', None, 1)),
            (dict(status='STOPPED', powered_on=False),
             ('SHUTOFF', 'stopped', None, 4)),
            (dict(status='BUILD', task_state='BUILDING'),
             ('BUILD', 'building', 'spawning', 0)),
            (dict(status='ACTIVE', powered_on=True, task_state='STOPPING'),
             ('ACTIVE', 'active', 'powering-off', 1)),
            (dict(status='STOPPED', powered_on=False,
                  task_state='STARTING'),
             ('SHUTOFF', 'stopped', 'powering-on', 4)),
            (dict(status='REBOOT', powered_on=False,
                  task_state='REBOOTING'),
             ('REBOOT', 'stopped', 'rebooting', 4)),
            (dict(status='HARD_REBOOT', powered_on=True,
                  task_state='REBOOTING_HARD'),
             ('HARD_REBOOT', 'active', 'rebooting_hard', 1)),
            (dict(status='RESIZE', task_state='RESIZING'),
             ('RESIZE', 'active', 'resize_migrating', 1)),
            (dict(status='VERIFY_RESIZE', task_state=''),
             ('VERIFY_RESIZE', 'resized', None, 1)),
            (dict(status='REVERT_RESIZE', task_state='REVERTING_RESIZE'),
             ('REVERT_RESIZE', 'resized', 'resize_reverting', 1)),
            (dict(status='PASSWORD', task_state='CHANGING_PASSWORD'),
             ('PASSWORD', 'active', 'updating_password', 1)),
            (dict(status='ACTIVE', task_state='SNAPSHOTTING'),
             ('ACTIVE', 'active', 'image_snapshot', 1)),
            (dict(status='ACTIVE', task_state='DESTROYING'),
             ('ACTIVE', 'active', 'deleting', 1)),
            (dict(status='ERROR', task_state=''),
             ('ERROR', 'error', None, 0)),
        ]
        for values, expected in cases:
            self.set_server(server_id, **values)
            self.assertEqual(expected, self.states(server_id), values)

    def test_fault_of_a_server_in_error(self):
        server_id = self.insert_servers(1)[0]
        with transaction(writer=True) as session:
            old = db_api.diagnostic_add(int(server_id), 'ERROR', 'test',
                                        'Old failure', session=session)
            error = db_api.diagnostic_add(int(server_id), 'ERROR', 'test',
                                          'Disk failed', 'trace',
                                          session=session)
            db_api.diagnostic_add(int(server_id), 'INFO', 'test',
                                  'Later news', session=session)
            session.flush()
            created = error.created_at
            self.assertNotEqual(old.id, error.id)

        self.assertNotIn('fault', self.shown(server_id))
        self.set_server(server_id, status='ERROR')

        fault = self.shown(server_id)['fault']
        self.assertEqual({'code': 500, 'message': 'Disk failed',
                          'created': created.isoformat(
                              timespec='microseconds')}, fault)
        listed = self.nova.get('/servers/detail').json['servers'][0]
        self.assertEqual(fault, listed['fault'])

    def test_fault_of_a_server_no_host_took(self):
        server_id = self.nova_server()

        server = self.shown(server_id)
        self.assertEqual('ERROR', server['status'])
        self.assertEqual('No compute host can take the server',
                         server['fault']['message'])

    def test_no_fault_without_an_error_entry(self):
        server_id = self.insert_servers(1)[0]
        self.set_server(server_id, status='ERROR')

        self.assertNotIn('fault', self.shown(server_id))


class CreateTest(openstack_helpers.OpenStackTestMixin,
                 functional.FunctionalTestCase):

    start_compute = False

    def create(self, **extra):
        body = {'server': {'name': 'web', 'flavorRef': str(self.flavors[0].id),
                           'imageRef': self.image.id}}
        body['server'].update(extra)
        return self.nova.post('/servers', body)

    def test_answer_is_nova_reduced_server(self):
        response = self.create()

        body = self.assertSchema(schemas.create_server_with_admin_pass,
                                 response)
        server = body['server']
        self.assertEqual({'id', 'links', 'adminPass', 'OS-DCF:diskConfig',
                          'security_groups'}, set(server))
        self.assertEqual(server['links'][0]['href'],
                         response.headers['Location'])
        self.assertEqual('web', self.server(server['id'])['name'])

    def test_single_server_counts_and_image_disks_are_accepted(self):
        for extra in ({'min_count': 1, 'max_count': 1},
                      {'min_count': '1'},
                      {'block_device_mapping_v2': [
                          {'source_type': 'image', 'uuid': self.image.id,
                           'destination_type': 'local', 'boot_index': 0,
                           'delete_on_termination': True}]},
                      {'block_device_mapping_v2': [
                          {'source_type': 'image'}]},
                      {'networks': []}):
            self.assertEqual(202, self.create(**extra).status_int, extra)

    def test_what_we_cannot_do_is_400(self):
        for extra in ({'min_count': 2}, {'max_count': 3},
                      {'max_count': 0}, {'min_count': True},
                      {'block_device_mapping_v2': [
                          {'source_type': 'volume', 'uuid': 'v',
                           'destination_type': 'volume'}]},
                      {'block_device_mapping_v2': [
                          {'source_type': 'image', 'uuid': self.image.id,
                           'destination_type': 'volume'}]},
                      {'block_device_mapping_v2': [
                          {'source_type': 'image', 'uuid': 'other'}]},
                      {'block_device_mapping_v2': {}}):
            self.assertFault(self.create(**extra), 400, 'badRequest')
        self.assertEqual([], self.nova.get('/servers').json['servers'])

    def test_unknown_flavor_and_image_are_404(self):
        self.assertFault(self.create(flavorRef='m1.tiny'), 404,
                         'itemNotFound')
        self.assertFault(self.create(imageRef='debian'), 404, 'itemNotFound')


class ChangeTest(openstack_helpers.OpenStackTestMixin,
                 functional.FunctionalTestCase):

    start_compute = False

    def test_rename_answers_the_reduced_server(self):
        server_id = self.insert_servers(1)[0]

        response = self.nova.put('/servers/%s' % server_id,
                                 {'server': {'name': 'renamed',
                                             'accessIPv4': ''}})

        server = self.assertSchema(schemas.update_server,
                                   response)['server']
        self.assertEqual('renamed', server['name'])
        self.assertLessEqual(REQUIRED, set(server))
        self.assertLessEqual(set(server), REQUIRED | RENAME_OPTIONAL)

    def test_metadata_codes(self):
        server_id = self.insert_servers(1)[0]
        path = '/servers/%s/metadata' % server_id

        body = self.assertSchema(schemas.set_server_metadata, self.nova.put(
            path, {'metadata': {'a': '1', 'b': '2'}}))
        self.assertEqual({'a': '1', 'b': '2'}, body['metadata'])
        body = self.assertSchema(
            schemas.update_server_metadata,
            self.nova.post(path, {'metadata': {'c': '3'}}))
        self.assertEqual({'a': '1', 'b': '2', 'c': '3'}, body['metadata'])
        self.assertSchema(schemas.list_server_metadata, self.nova.get(path))
        body = self.assertSchema(
            schemas.set_show_server_metadata_item,
            self.nova.put(path + '/d', {'meta': {'d': '4'}}))
        self.assertEqual({'meta': {'d': '4'}}, body)
        self.assertSchema(schemas.set_show_server_metadata_item,
                          self.nova.get(path + '/d'))
        self.assertSchema(schemas.delete_server_metadata_item,
                          self.nova.delete(path + '/d'))
        self.assertFault(self.nova.get(path + '/d'), 404, 'itemNotFound')


class AddressViewTest(base.TestCase):

    def test_addresses_by_network_name_with_type_and_mac(self):
        items = [
            compute_api.Attachment(id='1', network_id='7',
                                   network_name='public',
                                   mac_address='aa:00:00:00:00:01',
                                   ipv4='192.0.2.3', ipv6='2001:db8::3'),
            compute_api.Attachment(id='2', network_id='8',
                                   mac_address='aa:00:00:00:00:02',
                                   ip_type='floating', ipv4='203.0.113.9'),
        ]

        self.assertEqual({
            'public': [
                {'version': 4, 'addr': '192.0.2.3', 'OS-EXT-IPS:type':
                 'fixed', 'OS-EXT-IPS-MAC:mac_addr': 'aa:00:00:00:00:01'},
                {'version': 6, 'addr': '2001:db8::3', 'OS-EXT-IPS:type':
                 'fixed', 'OS-EXT-IPS-MAC:mac_addr': 'aa:00:00:00:00:01'}],
            '8': [{'version': 4, 'addr': '203.0.113.9',
                   'OS-EXT-IPS:type': 'floating',
                   'OS-EXT-IPS-MAC:mac_addr': 'aa:00:00:00:00:02'}],
        }, views.addresses(items))
        self.assertEqual({'public': [
            {'version': 4, 'addr': '192.0.2.3'},
            {'version': 6, 'addr': '2001:db8::3'}]},
            views.addresses(items[:1], extended=False))
        self.assertEqual({'addresses': views.addresses(items)},
                         views.ips(None, items))
        self.assertEqual(views.addresses(items[1:]),
                         views.network_ips(None, '8', items[1:]))
