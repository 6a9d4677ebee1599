"""The metadata of images: read by anyone who sees the image, changed
only by its project."""

from xml.etree import ElementTree

import testscenarios

from cyclades.api import xmlutil
from tests.functional import base as functional
from tests.functional.test_images import image_record
from tests.functional.test_images import make_image

load_tests = testscenarios.load_tests_apply_scenarios

NS = '{%s}' % xmlutil.NAMESPACE


class ImageMetadataTest(functional.FunctionalTestCase):

    scenarios = functional.DB_SCENARIOS
    start_compute = False

    def setUp(self):
        super().setUp()
        self.mine = make_image('mine', owner_id=self.project_id,
                               metadata={'OS': 'debian', 'USERS': 'root'})
        self.path = '/images/%s/metadata' % self.mine.id

    def metadata(self):
        return image_record(self.mine.id).meta

    def test_list(self):
        response = self.api.get(self.path)

        self.assertEqual(200, response.status_int)
        self.assertEqual({'metadata': {'OS': 'debian', 'USERS': 'root'}},
                         response.json)

    def test_post_merges(self):
        before = image_record(self.mine.id).updated_at

        response = self.api.post(self.path, {'metadata': {
            'OS': 'ubuntu', 'role': 'web'}})

        self.assertEqual(201, response.status_int)
        expected = {'OS': 'ubuntu', 'USERS': 'root', 'role': 'web'}
        self.assertEqual({'metadata': expected}, response.json)
        self.assertEqual(expected, self.metadata())
        self.assertGreater(image_record(self.mine.id).updated_at, before)

    def test_put_replaces(self):
        response = self.api.put(self.path, {'metadata': {'OS': 'arch'}})

        self.assertEqual(201, response.status_int)
        self.assertEqual({'metadata': {'OS': 'arch'}}, response.json)
        self.assertEqual({'OS': 'arch'}, self.metadata())

    def test_put_empty_clears(self):
        response = self.api.put(self.path, {'metadata': {}})

        self.assertEqual(201, response.status_int)
        self.assertEqual({}, self.metadata())

    def test_show_item(self):
        response = self.api.get(self.path + '/OS')

        self.assertEqual(200, response.status_int)
        self.assertEqual({'meta': {'OS': 'debian'}}, response.json)

    def test_missing_item_is_404(self):
        response = self.api.get(self.path + '/color')

        self.assertEqual(404, response.status_int)
        self.assertEqual('Metadata key color not found',
                         response.json['itemNotFound']['message'])
        self.assertEqual(404, self.api.delete(self.path + '/color')
                         .status_int)

    def test_put_item(self):
        before = image_record(self.mine.id).updated_at

        response = self.api.put(self.path + '/role',
                                {'meta': {'role': 'db'}})

        self.assertEqual(201, response.status_int)
        self.assertEqual({'meta': {'role': 'db'}}, response.json)
        self.assertEqual('db', self.metadata()['role'])
        self.assertGreater(image_record(self.mine.id).updated_at, before)

    def test_put_item_accepts_metadata_for_meta(self):
        response = self.api.put(self.path + '/OS',
                                {'metadata': {'OS': 'fedora'}})

        self.assertEqual(201, response.status_int)
        self.assertEqual({'meta': {'OS': 'fedora'}}, response.json)
        self.assertEqual('fedora', self.metadata()['OS'])

    def test_bad_item_bodies_are_400(self):
        for body in ({'meta': {'role': 'db'}},
                     {'meta': {'OS': 'a', 'role': 'b'}},
                     {'meta': {}},
                     {'meta': {'OS': 'a'}, 'metadata': {'OS': 'a'}},
                     {'item': {'OS': 'a'}},
                     {'meta': ['OS', 'a']},
                     {'meta': {'OS': 5}},
                     {'meta': {'OS': 'x' * 256}}):
            response = self.api.put(self.path + '/OS', body)

            self.assertEqual(400, response.status_int, body)
            self.assertIn('badRequest', response.json)
        self.assertEqual('debian', self.metadata()['OS'])

    def test_bad_bodies_are_400(self):
        for body in ({}, {'metadata': ['OS']}, {'metadata': {'OS': None}},
                     {'metadata': {'': 'empty'}},
                     {'metadata': {'k' * 256: 'v'}}):
            for method in (self.api.post, self.api.put):
                response = method(self.path, body)

                self.assertEqual(400, response.status_int, body)
        self.assertEqual({'OS': 'debian', 'USERS': 'root'},
                         self.metadata())

    def test_delete_item(self):
        response = self.api.delete(self.path + '/USERS')

        self.assertEqual(204, response.status_int)
        self.assertEqual({'OS': 'debian'}, self.metadata())

    def test_too_many_items_is_413(self):
        self.flags(group='api', max_metadata_items=3)

        too_many = {'metadata': {'k%d' % i: 'v' for i in range(4)}}
        for method in (self.api.post, self.api.put):
            response = method(self.path, too_many)
            self.assertEqual(413, response.status_int)
            self.assertIn('overLimit', response.json)

        # The limit counts what the image would hold after a merge.
        merged = self.api.post(self.path, {'metadata': {'a': '1',
                                                        'b': '2'}})
        self.assertEqual(413, merged.status_int)
        self.assertEqual(201, self.api.post(self.path, {'metadata': {
            'a': '1', 'OS': 'ubuntu'}}).status_int)
        item = self.api.put(self.path + '/b', {'meta': {'b': '2'}})
        self.assertEqual(413, item.status_int)
        self.assertEqual(201, self.api.put(self.path + '/a', {'meta': {
            'a': 'changed'}}).status_int)
        self.assertEqual({'OS': 'ubuntu', 'USERS': 'root', 'a': 'changed'},
                         self.metadata())

    def test_deleted_image_cannot_change(self):
        self.api.delete('/images/%s' % self.mine.id)

        self.assertEqual(200, self.api.get(self.path).status_int)
        response = self.api.post(self.path, {'metadata': {'a': 'b'}})
        self.assertEqual(400, response.status_int)
        self.assertEqual(400, self.api.delete(self.path + '/OS').status_int)

    def test_someone_elses_public_image_is_read_only(self):
        public_path = '/images/%s/metadata' % self.image.id

        self.assertEqual(200, self.api.get(public_path).status_int)
        self.assertEqual(200, self.api.get(public_path + '/OS').status_int)
        for response in (
                self.api.post(public_path, {'metadata': {'a': 'b'}}),
                self.api.put(public_path, {'metadata': {}}),
                self.api.put(public_path + '/OS', {'meta': {'OS': 'x'}}),
                self.api.delete(public_path + '/OS')):
            self.assertEqual(403, response.status_int)
            self.assertIn('forbidden', response.json)
        self.assertEqual('debian', image_record(self.image.id).meta['OS'])

    def test_other_projects_private_image_is_404(self):
        _user, _project, token = functional.make_identity('other')
        other = functional.APIClient(self.app, token)

        for response in (
                other.get(self.path),
                other.get(self.path + '/OS'),
                other.post(self.path, {'metadata': {'a': 'b'}}),
                other.put(self.path, {'metadata': {}}),
                other.put(self.path + '/OS', {'meta': {'OS': 'x'}}),
                other.delete(self.path + '/OS')):
            self.assertEqual(404, response.status_int)
            self.assertIn('itemNotFound', response.json)
        self.assertEqual({'OS': 'debian', 'USERS': 'root'},
                         self.metadata())

    def test_malformed_image_id_is_404(self):
        self.assertEqual(404, self.api.get('/images/nope/metadata')
                         .status_int)
        self.assertEqual(404, self.api.put('/images/nope/metadata/a',
                                           {'meta': {'a': 'b'}})
                         .status_int)

    def test_list_in_xml(self):
        response = self.api.get(self.path + '?format=xml')

        self.assertEqual(200, response.status_int)
        root = ElementTree.fromstring(response.body)
        self.assertEqual(NS + 'metadata', root.tag)
        self.assertEqual({'OS': 'debian', 'USERS': 'root'},
                         {meta.get('key'): meta.text
                          for meta in root.findall(NS + 'meta')})

    def test_item_in_xml(self):
        response = self.api.put(self.path + '/OS.xml',
                                {'meta': {'OS': 'ubuntu'}})

        self.assertEqual(201, response.status_int)
        root = ElementTree.fromstring(response.body)
        self.assertEqual(NS + 'meta', root.tag)
        self.assertEqual('OS', root.get('key'))
        self.assertEqual('ubuntu', root.text)
