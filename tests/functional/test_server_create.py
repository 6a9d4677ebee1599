"""Creating a server: every check of the contract, in its order."""

import base64
import re

import testscenarios

from cyclades.db import models
from cyclades.db.session import transaction
from tests.functional import base as functional
from tests.functional import server_helpers

load_tests = testscenarios.load_tests_apply_scenarios


def _file(size, path='/etc/motd', **extra):
    item = {'path': path,
            'contents': base64.b64encode(b'x' * size).decode('ascii')}
    item.update(extra)
    return item


class CreateTestBase(server_helpers.ServerTestMixin,
                     functional.FunctionalTestCase):

    # Only the answers matter here; a server left in ERROR for want of
    # a host is still created with 202.
    start_compute = False

    def body(self, **server):
        values = {'name': 'server', 'flavorRef': str(self.flavors[0].id),
                  'imageRef': self.image.id}
        values.update(server)
        return {'server': values}

    def post(self, body):
        return self.api.post('/servers', body)

    def assertCreated(self, body):
        response = self.post(body)
        self.assertEqual(202, response.status_int, response.body)
        return response.json['server']


class CreateTest(CreateTestBase):

    scenarios = functional.DB_SCENARIOS

    def test_response(self):
        response = self.post(self.body(name='web', metadata={'a': 'b'}))

        self.assertEqual(202, response.status_int)
        server = response.json['server']
        self.assertEqual('web', server['name'])
        self.assertEqual(self.project_id, server['tenant_id'])
        self.assertEqual(self.user_id, server['user_id'])
        self.assertEqual(str(self.flavors[0].id), server['flavor']['id'])
        self.assertEqual(self.image.id, server['image']['id'])
        # By default, a port on the demo's public network.
        self.assertEqual(['10.0.0.2'], [attachment['ipv4'] for attachment
                                        in server['attachments']])
        self.assertEqual('http://localhost:8774/compute/v2.0/servers/%s'
                         % server['id'], response.headers['Location'])
        self.assertTrue(re.match(r'[A-Za-z0-9]{10}\Z', server['adminPass']))
        for pattern in ('[A-Z]', '[a-z]', '[0-9]'):
            self.assertTrue(re.search(pattern, server['adminPass']))

    def test_admin_pass_is_shown_only_once(self):
        server = self.assertCreated(self.body())

        self.assertNotIn('adminPass', self.server(server['id']))
        listed = self.api.get('/servers/detail').json['servers'][0]
        self.assertNotIn('adminPass', listed)

    def test_flavor_ref_as_number_or_url(self):
        flavor = self.flavors[1]

        by_number = self.assertCreated(self.body(flavorRef=flavor.id))
        by_url = self.assertCreated(self.body(
            flavorRef='http://localhost:8774/compute/v2.0/flavors/%s'
                      % flavor.id))
        self.assertEqual(str(flavor.id), by_number['flavor']['id'])
        self.assertEqual(str(flavor.id), by_url['flavor']['id'])

    def test_image_metadata_fills_in_os_and_users(self):
        own = self.assertCreated(self.body(metadata={'OS': 'mine'}))

        self.assertEqual({'OS': 'mine', 'USERS': 'root'}, own['metadata'])

    def test_networks_absent_or_empty(self):
        default = self.assertCreated(self.body())
        self.assertEqual(1, len(default['addresses']))

        server = self.assertCreated(self.body(networks=[]))
        self.assertEqual({}, server['addresses'])
        self.assertEqual([], server['attachments'])

    def test_project_of_which_the_user_is_a_member(self):
        with transaction(writer=True) as session:
            project = models.Project(name='second')
            session.add(project)
            session.flush()
            session.add(models.Membership(user_id=self.user_id,
                                          project_id=project.id))
            project_id = project.id

        server = self.assertCreated(self.body(project=project_id))
        self.assertEqual(project_id, server['tenant_id'])

    def test_project_of_which_the_user_is_not_a_member(self):
        _user, other_project, _token = functional.make_identity('other')

        for project in (other_project, 'no-such-project'):
            self.assertFault(self.post(self.body(project=project)), 400,
                             'badRequest', 'not a member')

    def test_xml_answer(self):
        response = self.api.post('/servers', self.body(),
                                 headers={'Accept': 'application/xml'})

        self.assertEqual(202, response.status_int)
        root = self.parse_xml(response, 'server')
        # ERROR, since no compute host runs here.
        self.assertEqual('ERROR', root.get('status'))
        self.assertEqual(10, len(root.get('adminPass')))
        self.assertTrue(response.headers['Location'].endswith(
            '/servers/%s' % root.get('id')))


class BasicFieldsTest(CreateTestBase):
    """Rule 1: the body, name, imageRef and flavorRef."""

    def test_missing_or_wrong_types(self):
        flavor, image = str(self.flavors[0].id), self.image.id
        bodies = [
            {},
            {'server': None},
            {'server': []},
            {'server': 'x'},
            {'servers': {'name': 'a', 'flavorRef': flavor,
                         'imageRef': image}},
            {'server': {'flavorRef': flavor, 'imageRef': image}},
            {'server': {'name': 'a', 'imageRef': image}},
            {'server': {'name': 'a', 'flavorRef': flavor}},
            {'server': {'name': 1, 'flavorRef': flavor, 'imageRef': image}},
            {'server': {'name': None, 'flavorRef': flavor,
                        'imageRef': image}},
            {'server': {'name': 'a', 'flavorRef': flavor, 'imageRef': 1}},
            {'server': {'name': 'a', 'flavorRef': flavor, 'imageRef': ''}},
            {'server': {'name': 'a', 'flavorRef': [1], 'imageRef': image}},
            {'server': {'name': 'a', 'flavorRef': True, 'imageRef': image}},
            {'server': {'name': 'a', 'flavorRef': None, 'imageRef': image}},
            self.body(metadata=[]),
            self.body(personality={}),
            self.body(networks={}),
            self.body(project=5),
            self.body(key_name=5),
        ]
        for body in bodies:
            self.assertFault(self.post(body), 400, 'badRequest')

    def test_body_that_is_not_json_or_an_object(self):
        for raw in (b'[]', b'"server"', b'{', b''):
            response = self.api.post('/servers', raw=raw, headers={
                'Content-Type': 'application/json'})
            self.assertFault(response, 400, 'badRequest')

    def test_name_length(self):
        self.assertCreated(self.body(name='n' * 255))

        self.assertFault(self.post(self.body(name='n' * 256)), 400,
                         'badRequest', 'server.name')

    def test_checked_before_personality(self):
        body = self.body(name=1, personality=[{}] * 6)

        self.assertFault(self.post(body), 400, 'badRequest', 'name')


class PersonalityTest(CreateTestBase):
    """Rule 2: files to inject."""

    def test_valid_files(self):
        personality = [_file(10240, path='/a', owner='root',
                             group='root', mode=0o644),
                       _file(0, path='/b', mode=0),
                       _file(1, path='/c', mode=0o7777)]

        self.assertCreated(self.body(personality=personality))

    def test_more_than_five_files(self):
        self.assertCreated(self.body(personality=[_file(1)] * 5))

        self.assertFault(self.post(self.body(personality=[_file(1)] * 6)),
                         413, 'overLimit', 'server.personality')

    def test_malformed_items(self):
        items = [
            'a file',
            None,
            {'contents': 'eA=='},
            {'path': '/a'},
            {'path': 'relative', 'contents': 'eA=='},
            {'path': 5, 'contents': 'eA=='},
            {'path': '/a', 'contents': 5},
            {'path': '/a', 'contents': 'eA==', 'extra': 1},
            _file(1, owner=0),
            _file(1, group=['root']),
            _file(1, mode='0644'),
            _file(1, mode=-1),
            _file(1, mode=0o10000),
            _file(1, mode=1.5),
        ]
        for item in items:
            response = self.post(self.body(personality=[item]))
            self.assertFault(response, 400, 'badRequest',
                             'server.personality')

    def test_contents_not_base64(self):
        for contents in ('not base64!', 'eA', 'e A==', '\u00e9'):
            response = self.post(self.body(personality=[
                {'path': '/a', 'contents': contents}]))
            self.assertFault(response, 400, 'badRequest', 'base64')

    def test_decoded_size(self):
        response = self.post(self.body(personality=[_file(10241)]))

        self.assertFault(response, 413, 'overLimit', '10241')

    def test_checked_before_metadata(self):
        body = self.body(personality=[_file(1, mode=-1)],
                         metadata={'k': 5})

        self.assertFault(self.post(body), 400, 'badRequest',
                         'personality')


class MetadataTest(CreateTestBase):
    """Rule 3: metadata types, lengths and count."""

    def test_bad_items(self):
        for metadata in ({'k': 1}, {'k': None}, {'k': {'a': 'b'}},
                         {'k': ['v']}, {'': 'v'}, {'k' * 256: 'v'},
                         {'k': 'v' * 256}):
            response = self.post(self.body(metadata=metadata))
            self.assertFault(response, 400, 'badRequest', 'server.metadata')

    def test_longest_key_and_value(self):
        server = self.assertCreated(self.body(metadata={'k' * 255:
                                                        'v' * 255}))

        self.assertEqual('v' * 255, server['metadata']['k' * 255])

    def test_count_limit_counts_only_what_is_sent(self):
        ten = {'key%d' % i: 'v' for i in range(10)}

        server = self.assertCreated(self.body(metadata=ten))
        self.assertEqual(12, len(server['metadata']))

        ten['one-more'] = 'v'
        self.assertFault(self.post(self.body(metadata=ten)), 413,
                         'overLimit', 'server.metadata')

    def test_count_limit_is_configurable(self):
        self.flags(group='api', max_metadata_items=1)

        self.assertFault(self.post(self.body(metadata={'a': '1', 'b': '2'})),
                         413, 'overLimit')
        self.assertCreated(self.body(metadata={'a': '1'}))

    def test_checked_before_the_flavor(self):
        body = self.body(metadata={'k': 1}, flavorRef='9999')

        self.assertFault(self.post(body), 400, 'badRequest', 'metadata')


class FlavorAndImageTest(CreateTestBase):
    """Rules 4 and 5, in that order."""

    def test_unknown_flavor(self):
        for ref in ('9999', 9999, 'small', '-1', '99999999999999999999'):
            self.assertFault(self.post(self.body(flavorRef=ref)), 404,
                             'itemNotFound', 'Flavor not found')

    def test_deleted_flavor(self):
        flavor_id = self.add_flavor(name='old', deleted=True)

        self.assertFault(self.post(self.body(flavorRef=flavor_id)), 404,
                         'itemNotFound', 'Flavor not found')

    def test_flavor_not_allowed_for_creation(self):
        flavor_id = self.add_flavor(name='legacy', allow_create=False)

        self.assertFault(self.post(self.body(flavorRef=flavor_id)), 403,
                         'forbidden', 'legacy')

    def test_unknown_deleted_or_invisible_image(self):
        _user, other_project, _token = functional.make_identity('owner')
        deleted = self.add_image(deleted=True, status='DELETED')
        private = self.add_image(public=False, owner_id=other_project)

        for ref in ('no-such-image', deleted, private):
            self.assertFault(self.post(self.body(imageRef=ref)), 404,
                             'itemNotFound', 'Image not found')

    def test_own_private_image(self):
        image_id = self.add_image(public=False, owner_id=self.project_id)

        self.assertCreated(self.body(imageRef=image_id))

    def test_image_ref_as_url(self):
        server = self.assertCreated(self.body(
            imageRef='http://localhost:8774/compute/v2.0/images/%s'
                     % self.image.id))

        self.assertEqual(self.image.id, server['image']['id'])

    def test_image_not_active(self):
        image_id = self.add_image(status='SAVING')

        self.assertFault(self.post(self.body(imageRef=image_id)), 400,
                         'badRequest', 'SAVING')

    def test_flavor_before_image_before_project(self):
        self.assertFault(
            self.post(self.body(flavorRef='9999', imageRef='none')),
            404, 'itemNotFound', 'Flavor')
        self.assertFault(
            self.post(self.body(imageRef='none', project='elsewhere')),
            404, 'itemNotFound', 'Image')


class NetworksTest(CreateTestBase):
    """Rule 8: references to networks and ports nobody has."""

    def test_unknown_network_or_port(self):
        cases = [({'uuid': '2718'}, 'Network 2718 not found'),
                 ({'uuid': 'net', 'fixed_ip': '10.0.0.2'},
                  'Network net not found'),
                 ({'uuid': 'net', 'fixed_ip': '2001:db8::1'},
                  'Network net not found'),
                 ({'port': 'p1'}, 'Port p1 not found')]
        for entry, message in cases:
            response = self.post(self.body(networks=[entry]))
            self.assertFault(response, 404, 'itemNotFound', message)

    def test_malformed_entries(self):
        entries = ['2718', 2718, None, [], {}, {'uuid': 2718},
                   {'uuid': ''}, {'port': None}, {'fixed_ip': '10.0.0.2'},
                   {'uuid': 'n', 'port': 'p'}, {'uuid': 'n', 'other': 1},
                   {'uuid': 'n', 'fixed_ip': 'not an address'},
                   {'uuid': 'n', 'fixed_ip': '10.0.0.256'}]
        for entry in entries:
            response = self.post(self.body(networks=[entry]))
            self.assertFault(response, 400, 'badRequest',
                             'server.networks.0')

    def test_more_than_eight(self):
        networks = [{'uuid': str(i)} for i in range(9)]

        self.assertFault(self.post(self.body(networks=networks)), 400,
                         'badRequest', 'at most 8')

    def test_references_are_checked_after_the_project(self):
        body = self.body(networks=[{'uuid': '1'}], project='elsewhere')

        self.assertFault(self.post(body), 400, 'badRequest', 'member')
