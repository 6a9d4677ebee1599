"""Server metadata: the six requests, their limits and faults."""

from concurrent import futures
import urllib.parse

import testscenarios

from cyclades import utils
from tests.functional import base as functional
from tests.functional import server_helpers

load_tests = testscenarios.load_tests_apply_scenarios

NS = server_helpers.NS

#: What the demo image passes on to every server.
INHERITED = {'OS': 'debian', 'USERS': 'root'}


class MetadataTestBase(server_helpers.ServerTestMixin,
                       functional.FunctionalTestCase):

    start_compute = False

    def setUp(self):
        super().setUp()
        self.server_id = self.new_server(metadata={'role': 'web'})
        self.path = '/servers/%s/metadata' % self.server_id

    def item(self, key):
        return '%s/%s' % (self.path, urllib.parse.quote(key, safe=''))

    def metadata(self):
        response = self.api.get(self.path)
        self.assertEqual(200, response.status_int)
        return response.json['metadata']

    def updated(self):
        return utils.parse_isotime(self.server(self.server_id)['updated'])


class ServerMetadataTest(MetadataTestBase):

    scenarios = functional.DB_SCENARIOS

    def test_list(self):
        response = self.api.get(self.path)

        self.assertEqual(200, response.status_int)
        self.assertEqual({'metadata': dict(INHERITED, role='web')},
                         response.json)

    def test_post_merges(self):
        response = self.api.post(self.path, {'metadata': {
            'role': 'db', 'users': 'root,maild'}})

        self.assertEqual(201, response.status_int)
        expected = dict(INHERITED, role='db', users='root,maild')
        self.assertEqual({'metadata': expected}, response.json)
        self.assertEqual(expected, self.metadata())

    def test_put_replaces(self):
        response = self.api.put(self.path, {'metadata': {'role': 'db',
                                                         'new': 'x'}})

        self.assertEqual(201, response.status_int)
        self.assertEqual({'metadata': {'role': 'db', 'new': 'x'}},
                         response.json)
        self.assertEqual({'role': 'db', 'new': 'x'}, self.metadata())

    def test_put_with_nothing_empties_it(self):
        response = self.api.put(self.path, {'metadata': {}})

        self.assertEqual(201, response.status_int)
        self.assertEqual({}, self.metadata())

    def test_get_item(self):
        response = self.api.get(self.item('role'))

        self.assertEqual(200, response.status_int)
        self.assertEqual({'meta': {'role': 'web'}}, response.json)

    def test_get_missing_item(self):
        self.assertFault(self.api.get(self.item('nothing')), 404,
                         'itemNotFound', 'nothing')
        self.assertFault(self.api.get(self.item('ROLE')), 404,
                         'itemNotFound')

    def test_put_item_sets_one_key(self):
        for name in ('meta', 'metadata'):
            response = self.api.put(self.item('role'),
                                    {name: {'role': name}})
            self.assertEqual(201, response.status_int)
            self.assertEqual({'meta': {'role': name}}, response.json)
            self.assertEqual(dict(INHERITED, role=name), self.metadata())

    def test_put_item_adds_a_key(self):
        response = self.api.put(self.item('new key'),
                                {'meta': {'new key': 'v'}})

        self.assertEqual(201, response.status_int)
        self.assertEqual(dict(INHERITED, role='web', **{'new key': 'v'}),
                         self.metadata())

    def test_unicode_key(self):
        key = '\u03c1\u03cc\u03bb\u03bf\u03c2'

        response = self.api.put(self.item(key), {'meta': {key: 'v'}})
        self.assertEqual(201, response.status_int)
        self.assertEqual({'meta': {key: 'v'}},
                         self.api.get(self.item(key)).json)

    def test_delete_item(self):
        response = self.api.delete(self.item('role'))

        self.assertEqual(204, response.status_int)
        self.assertEqual(b'', response.body)
        self.assertEqual(INHERITED, self.metadata())
        self.assertFault(self.api.delete(self.item('role')), 404,
                         'itemNotFound', 'role')

    def test_every_change_bumps_updated(self):
        changes = [
            lambda: self.api.post(self.path, {'metadata': {'a': '1'}}),
            lambda: self.api.put(self.path, {'metadata': {'a': '2'}}),
            lambda: self.api.put(self.item('b'), {'meta': {'b': '3'}}),
            lambda: self.api.delete(self.item('b')),
        ]
        for change in changes:
            before = self.updated()
            self.assertIn(change().status_int, (201, 204))
            self.assertGreater(self.updated(), before)

    def test_changes_since_sees_a_change(self):
        start = utils.utcnow()
        self.api.post(self.path, {'metadata': {'a': '1'}})

        response = self.api.get('/servers/detail?' + urllib.parse.urlencode(
            {'changes-since': utils.isotime(start)}))
        self.assertEqual([self.server_id],
                         [item['id'] for item in response.json['servers']])

    def test_failed_change_leaves_everything_alone(self):
        before = self.updated()

        self.api.delete(self.item('nothing'))
        self.api.put(self.item('a'), {'meta': {'b': '1'}})
        self.assertEqual(dict(INHERITED, role='web'), self.metadata())
        self.assertEqual(before, self.updated())

    def test_concurrent_changes_of_a_new_key(self):
        def change(index):
            body = {'metadata': {'new': str(index)}}
            if index % 2:
                return self.api.post(self.path, body).status_int
            return self.api.put(self.item('new'), {'meta': {
                'new': str(index)}}).status_int

        with futures.ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(change, range(16)))

        self.assertEqual([201] * 16, statuses)
        self.assertIn(self.metadata()['new'],
                      [str(index) for index in range(16)])

    def test_other_tenant_sees_404(self):
        other = self.other_client()
        requests = [
            lambda: other.get(self.path),
            lambda: other.post(self.path, {'metadata': {'a': 'b'}}),
            lambda: other.put(self.path, {'metadata': {'a': 'b'}}),
            lambda: other.get(self.item('role')),
            lambda: other.put(self.item('role'), {'meta': {'role': 'x'}}),
            lambda: other.delete(self.item('role')),
        ]
        for request in requests:
            self.assertFault(request(), 404, 'itemNotFound',
                             'Server %s not found' % self.server_id)
        self.assertEqual(dict(INHERITED, role='web'), self.metadata())

    def test_unknown_server(self):
        self.assertFault(self.api.get('/servers/9999/metadata'), 404,
                         'itemNotFound')
        self.assertFault(self.api.put('/servers/9999/metadata/a',
                                      {'meta': {'a': 'b'}}),
                         404, 'itemNotFound')

    def test_deleted_server_can_be_read_not_changed(self):
        self.delete_now(self.server_id)

        self.assertEqual(dict(INHERITED, role='web'), self.metadata())
        self.assertEqual(200, self.api.get(self.item('role')).status_int)
        changes = [
            lambda: self.api.post(self.path, {'metadata': {'a': 'b'}}),
            lambda: self.api.put(self.path, {'metadata': {'a': 'b'}}),
            lambda: self.api.put(self.item('role'), {'meta': {'role': 'x'}}),
            lambda: self.api.delete(self.item('role')),
        ]
        for change in changes:
            self.assertFault(change(), 400, 'badRequest', 'deleted')

    def test_deleted_server_after_the_poll_limit(self):
        self.delete_now(self.server_id)
        self.age_deletion(self.server_id, 7200)

        self.assertFault(self.api.get(self.path), 404, 'itemNotFound')
        self.assertFault(self.api.post(self.path, {'metadata': {}}), 404,
                         'itemNotFound')

    def test_xml(self):
        requests = [
            self.api.get(self.path + '?format=xml'),
            self.api.get(self.path + '.xml'),
            self.api.get(self.path,
                         headers={'Accept': 'application/xml'}),
            self.api.post(self.path + '.xml', {'metadata': {'a': 'b'}}),
        ]
        for response in requests:
            root = self.parse_xml(response, 'metadata')
            items = {meta.get('key'): meta.text
                     for meta in root.findall('c:meta', NS)}
            self.assertEqual('web', items['role'])

        response = self.api.get(self.item('role') + '.xml')
        root = self.parse_xml(response, 'meta')
        self.assertEqual(('role', 'web'), (root.get('key'), root.text))

        missing = self.api.get(self.item('nothing') + '?format=xml')
        self.assertEqual(404, missing.status_int)
        self.parse_xml(missing, 'itemNotFound')


class MetadataBodyTest(MetadataTestBase):
    """Bodies that are wrong in shape, type or size."""

    def test_collection_bodies(self):
        bodies = [{}, {'meta': {'a': 'b'}}, {'metadata': []},
                  {'metadata': 'a'}, {'metadata': None},
                  {'metadata': {'a': 1}}, {'metadata': {'a': None}},
                  {'metadata': {'': 'v'}}, {'metadata': {'k' * 256: 'v'}},
                  {'metadata': {'k': 'v' * 256}}]
        for body in bodies:
            for request in (self.api.post, self.api.put):
                self.assertFault(request(self.path, body), 400,
                                 'badRequest')
        self.assertEqual(dict(INHERITED, role='web'), self.metadata())

    def test_longest_key_and_value(self):
        key, value = 'k' * 255, 'v' * 255

        self.assertEqual(201, self.api.post(self.path, {'metadata': {
            key: value}}).status_int)
        self.assertEqual(201, self.api.put(self.item(key), {'meta': {
            key: value}}).status_int)

    def test_item_bodies(self):
        bodies = [
            ({}, 'meta'),
            ({'meta': {'role': 'a'}, 'metadata': {'role': 'a'}}, 'meta'),
            ({'meta': {}}, 'one item'),
            ({'meta': {'role': 'a', 'other': 'b'}}, 'one item'),
            ({'meta': {'other': 'a'}}, 'differs'),
            ({'metadata': {'ROLE': 'a'}}, 'differs'),
            ({'meta': 'role'}, 'meta'),
            ({'meta': {'role': 1}}, 'meta.role'),
            ({'meta': {'role': 'v' * 256}}, 'meta.role'),
        ]
        for body, message in bodies:
            response = self.api.put(self.item('role'), body)
            self.assertFault(response, 400, 'badRequest', message)
        self.assertEqual(dict(INHERITED, role='web'), self.metadata())

    def test_key_too_long_in_the_url(self):
        key = 'k' * 256

        self.assertFault(self.api.put(self.item(key), {'meta': {key: 'v'}}),
                         400, 'badRequest')

    def test_not_json(self):
        response = self.api.put(self.path, raw=b'{"metadata": ',
                                headers={'Content-Type': 'application/json'})

        self.assertFault(response, 400, 'badRequest', 'JSON')


class MetadataLimitTest(MetadataTestBase):
    """The limit counts what the server would end up with."""

    def many(self, count, prefix='k'):
        return {'%s%d' % (prefix, i): 'v' for i in range(count)}

    def test_request_over_the_limit(self):
        for request in (self.api.post, self.api.put):
            self.assertFault(request(self.path, {'metadata': self.many(11)}),
                             413, 'overLimit', 'metadata')

    def test_replace_up_to_the_limit(self):
        response = self.api.put(self.path, {'metadata': self.many(10)})

        self.assertEqual(201, response.status_int)
        self.assertEqual(10, len(self.metadata()))

    def test_merge_over_the_limit(self):
        self.assertEqual(201, self.api.post(self.path, {
            'metadata': self.many(9)}).status_int)

        response = self.api.post(self.path, {'metadata': {'one': 'more'}})
        fault = self.assertFault(response, 413, 'overLimit')
        self.assertIn('limit 10, asked 11', fault['details'])
        self.assertFault(self.api.put(self.item('one'),
                                      {'meta': {'one': 'more'}}),
                         413, 'overLimit')
        self.assertEqual(12, len(self.metadata()))

    def test_overwriting_keys_at_the_limit(self):
        self.api.post(self.path, {'metadata': self.many(9)})

        response = self.api.post(self.path, {'metadata': {'role': 'db',
                                                          'OS': 'bsd'}})
        self.assertEqual(201, response.status_int)
        self.assertEqual(200, self.api.get(self.item('k0')).status_int)

    def test_limit_is_configurable(self):
        self.flags(group='api', max_metadata_items=1)

        self.assertFault(self.api.post(self.path, {'metadata': {'a': 'b'}}),
                         413, 'overLimit')
        self.assertEqual(201, self.api.put(self.path, {
            'metadata': {'a': 'b'}}).status_int)
