"""Listing, showing and deleting images through the Cyclades dialect."""

import datetime
import urllib.parse
import uuid
from xml.etree import ElementTree

import testscenarios

from cyclades.api import xmlutil
from cyclades.compute import images as image_api
from cyclades import context
from cyclades.db import api as db_api
from cyclades.db.session import transaction
from cyclades import exception
from cyclades import utils
from tests.functional import base as functional

load_tests = testscenarios.load_tests_apply_scenarios

NS = '{%s}' % xmlutil.NAMESPACE
ATOM = '{%s}' % xmlutil.ATOM_NAMESPACE
ROOT = 'http://localhost:8774/compute'

DETAIL_FIELDS = {'id', 'name', 'links', 'status', 'progress', 'created',
                 'updated', 'tenant_id', 'user_id', 'minDisk', 'minRam',
                 'metadata'}


def make_image(name='image', owner_id=None, public=False,
               status='ACTIVE', **values):
    """Record an image straight in the database."""
    values.setdefault('metadata', {})
    with transaction(writer=True) as session:
        return db_api.image_create(session, name=name, owner_id=owner_id,
                                   public=public, status=status, **values)


def image_record(image_id):
    with transaction() as session:
        return db_api.image_get(session, image_id)


def query_time(value):
    return urllib.parse.quote(utils.isotime(value))


class ImagesTest(functional.FunctionalTestCase):

    scenarios = functional.DB_SCENARIOS
    start_compute = False

    def own_image(self, name='mine', **values):
        return make_image(name, owner_id=self.project_id,
                          user_id=self.user_id, **values)

    def test_list(self):
        mine = self.own_image()

        response = self.api.get('/images')

        self.assertEqual(200, response.status_int)
        listed = response.json['images']
        self.assertEqual([self.image.id, mine.id],
                         [item['id'] for item in listed])
        self.assertEqual({'id', 'name', 'links'}, set(listed[0]))
        self.assertEqual(self.image.name, listed[0]['name'])
        self.assertNotIn('images_links', response.json)

    def test_links(self):
        image_id = self.image.id

        links = self.api.get('/images').json['images'][0]['links']

        self.assertEqual([
            {'rel': 'self',
             'href': '%s/v2.0/images/%s' % (ROOT, image_id)},
            {'rel': 'bookmark', 'href': '%s/images/%s' % (ROOT, image_id)},
            {'rel': 'alternate', 'type': 'application/vnd.openstack.image',
             'href': 'http://localhost:8774/image/v2/images/%s' % image_id},
        ], links)

    def test_detail(self):
        response = self.api.get('/images/detail')

        self.assertEqual(200, response.status_int)
        image, = response.json['images']
        self.assertEqual(DETAIL_FIELDS, set(image))
        self.assertEqual('ACTIVE', image['status'])
        self.assertEqual(100, image['progress'])
        self.assertEqual(2, image['minDisk'])
        self.assertEqual(512, image['minRam'])
        self.assertIsNone(image['tenant_id'])
        self.assertEqual({'OS': 'debian', 'USERS': 'root',
                          'description': 'Debian 12 base system'},
                         image['metadata'])
        self.assertEqual(utils.isotime(self.image.created_at),
                         image['created'])

    def test_show(self):
        mine = self.own_image(status='SAVING', min_disk=5, min_ram=256,
                              metadata={'OS': 'ubuntu'})

        response = self.api.get('/images/%s' % mine.id)

        self.assertEqual(200, response.status_int)
        shown = response.json['image']
        self.assertEqual(DETAIL_FIELDS, set(shown))
        self.assertEqual(mine.id, shown['id'])
        self.assertEqual('SAVING', shown['status'])
        self.assertEqual(0, shown['progress'])
        self.assertEqual(self.project_id, shown['tenant_id'])
        self.assertEqual(self.user_id, shown['user_id'])
        self.assertEqual((5, 256), (shown['minDisk'], shown['minRam']))
        self.assertEqual({'OS': 'ubuntu'}, shown['metadata'])
        self.assertTrue(shown['updated'].endswith('+00:00'))

    def test_show_accepts_any_spelling_of_the_uuid(self):
        response = self.api.get('/images/%s'
                                % self.image.id.upper().replace('-', ''))

        self.assertEqual(200, response.status_int)
        self.assertEqual(self.image.id, response.json['image']['id'])

    def test_unknown_or_malformed_id_is_404(self):
        for image_id in (str(uuid.uuid4()), 'debian', '42'):
            response = self.api.get('/images/%s' % image_id)

            self.assertEqual(404, response.status_int, image_id)
            self.assertEqual('Image not found',
                             response.json['itemNotFound']['message'])
            self.assertEqual(404, self.api.delete('/images/%s' % image_id)
                             .status_int)

    def test_other_projects_private_image_is_invisible(self):
        _user, other_project, _token = functional.make_identity('other')
        theirs = make_image('theirs', owner_id=other_project)

        self.assertEqual(404, self.api.get('/images/%s' % theirs.id)
                         .status_int)
        self.assertEqual(404, self.api.delete('/images/%s' % theirs.id)
                         .status_int)
        self.assertEqual(404, self.api.get('/images/%s/metadata'
                                           % theirs.id).status_int)
        listed = self.api.get('/images/detail').json['images']
        self.assertNotIn(theirs.id, [item['id'] for item in listed])
        self.assertFalse(image_record(theirs.id).deleted)

    def test_other_projects_public_image_is_visible(self):
        _user, other_project, _token = functional.make_identity('other')
        theirs = make_image('shared', owner_id=other_project, public=True)

        shown = self.api.get('/images/%s' % theirs.id).json['image']
        self.assertEqual(other_project, shown['tenant_id'])
        listed = self.api.get('/images').json['images']
        self.assertIn(theirs.id, [item['id'] for item in listed])

    def test_delete_own_image(self):
        mine = self.own_image()
        before = image_record(mine.id).updated_at

        response = self.api.delete('/images/%s' % mine.id)

        self.assertEqual(204, response.status_int)
        self.assertEqual(b'', response.body)
        record = image_record(mine.id)
        self.assertTrue(record.deleted)
        self.assertEqual('DELETED', record.status)
        self.assertIsNotNone(record.deleted_at)
        self.assertGreater(record.updated_at, before)

        shown = self.api.get('/images/%s' % mine.id)
        self.assertEqual(200, shown.status_int)
        self.assertEqual('DELETED', shown.json['image']['status'])
        self.assertEqual(0, shown.json['image']['progress'])
        listed = self.api.get('/images').json['images']
        self.assertNotIn(mine.id, [item['id'] for item in listed])

    def test_delete_twice_is_400(self):
        mine = self.own_image()
        self.api.delete('/images/%s' % mine.id)

        response = self.api.delete('/images/%s' % mine.id)

        self.assertEqual(400, response.status_int)
        self.assertIn('already deleted',
                      response.json['badRequest']['message'])

    def test_delete_someone_elses_public_image_is_403(self):
        _user, other_project, _token = functional.make_identity('other')
        theirs = make_image('shared', owner_id=other_project, public=True)

        for image_id in (self.image.id, theirs.id):
            response = self.api.delete('/images/%s' % image_id)

            self.assertEqual(403, response.status_int)
            self.assertIn('forbidden', response.json)
            self.assertFalse(image_record(image_id).deleted)

    def test_owner_project_deletes_its_public_image(self):
        _user, other_project, token = functional.make_identity('other')
        theirs = make_image('shared', owner_id=other_project, public=True)
        other = functional.APIClient(self.app, token)

        self.assertEqual(204, other.delete('/images/%s' % theirs.id)
                         .status_int)
        self.assertEqual('DELETED', self.api.get('/images/%s' % theirs.id)
                         .json['image']['status'])

    def test_create_is_not_implemented(self):
        response = self.api.post('/images', {'image': {'name': 'new'}})

        self.assertEqual(501, response.status_int)
        self.assertEqual(501, response.json['notImplemented']['code'])

    def test_token_is_required(self):
        self.assertEqual(401, self.api.get('/images', token=False)
                         .status_int)
        self.assertEqual(401, self.api.get('/images/%s' % self.image.id,
                                           token=False).status_int)

    def test_wrong_method(self):
        response = self.api.put('/images/%s' % self.image.id, {'image': {}})

        self.assertEqual(400, response.status_int)
        self.assertEqual('DELETE, GET', response.headers['Allow'])


class ImageFiltersTest(functional.FunctionalTestCase):

    scenarios = functional.DB_SCENARIOS
    start_compute = False

    def own_image(self, name='mine', **values):
        return make_image(name, owner_id=self.project_id,
                          user_id=self.user_id, **values)

    def ids(self, path):
        response = self.api.get(path)
        self.assertEqual(200, response.status_int, response.body)
        return [item['id'] for item in response.json['images']]

    def test_name_filter_is_a_substring_ignoring_case(self):
        ubuntu = self.own_image('Ubuntu Server')

        self.assertEqual([self.image.id], self.ids('/images?name=debian'))
        self.assertEqual([ubuntu.id], self.ids('/images/detail?name=SERV'))
        self.assertEqual([], self.ids('/images?name=windows'))

    def test_status_filter(self):
        saving = self.own_image(status='SAVING')

        self.assertEqual([saving.id], self.ids('/images?status=SAVING'))
        self.assertEqual([saving.id], self.ids('/images?status=saving'))
        self.assertEqual([self.image.id],
                         self.ids('/images/detail?status=ACTIVE'))
        self.assertEqual([], self.ids('/images?status=ERROR'))

    def test_server_filter(self):
        snapshot = self.own_image('snapshot', server_id=42)
        self.own_image('other snapshot', server_id=43)

        self.assertEqual([snapshot.id], self.ids('/images?server=42'))
        self.assertEqual([snapshot.id], self.ids(
            '/images/detail?server=%s/v2.0/servers/42' % ROOT))
        self.assertEqual([], self.ids('/images?server=web'))
        self.assertEqual([], self.ids('/images?server=%s' % ('9' * 30)))

    def test_changes_since_lists_updates_and_deletions(self):
        start = utils.utcnow() - datetime.timedelta(seconds=1)
        mine = self.own_image()
        self.api.delete('/images/%s' % mine.id)

        response = self.api.get('/images/detail?changes-since=%s'
                                % query_time(start))

        self.assertEqual(200, response.status_int)
        statuses = {item['id']: item['status']
                    for item in response.json['images']}
        self.assertEqual({self.image.id: 'ACTIVE', mine.id: 'DELETED'},
                         statuses)

    def test_changes_since_with_nothing_new_is_304(self):
        self.own_image()
        since = utils.utcnow()

        response = self.api.get('/images?changes-since=%s'
                                % query_time(since))

        self.assertEqual(304, response.status_int)
        self.assertEqual(b'', response.body)

    def test_changes_since_accepts_an_unencoded_offset(self):
        since = utils.isotime(utils.utcnow() - datetime.timedelta(
            seconds=5))

        response = self.api.get('/images?changes-since=%s' % since)

        self.assertEqual(200, response.status_int)

    def test_bad_changes_since_is_400(self):
        now = utils.utcnow()
        too_old = now - datetime.timedelta(seconds=3600 + 60)
        future = now + datetime.timedelta(seconds=3600)

        for value in ('yesterday', '2024-01-01T00:00:00',
                      query_time(too_old), query_time(future)):
            response = self.api.get('/images?changes-since=%s' % value)

            self.assertEqual(400, response.status_int, value)
            self.assertIn('changes-since',
                          response.json['badRequest']['message'])

    def test_poll_limit_sets_the_window(self):
        self.flags(group='api', poll_limit=10)
        since = utils.utcnow() - datetime.timedelta(seconds=60)

        response = self.api.get('/images?changes-since=%s'
                                % query_time(since))

        self.assertEqual(400, response.status_int)

    def test_pages_follow_the_next_link(self):
        for index in range(3):
            self.own_image('image %d' % index)
        everything = self.ids('/images')
        self.assertEqual(4, len(everything))

        first = self.api.get('/images/detail?limit=2&name=i').json
        self.assertEqual(everything[:2],
                         [item['id'] for item in first['images']])
        link, = first['images_links']
        self.assertEqual('next', link['rel'])
        self.assertTrue(link['href'].startswith(ROOT +
                                                '/v2.0/images/detail?'))
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(
            link['href']).query)
        self.assertEqual({'limit': ['2'], 'name': ['i'],
                          'marker': [everything[1]]}, query)

        second = self.api.get(link['href'][len(ROOT + '/v2.0'):]).json
        self.assertEqual(everything[2:],
                         [item['id'] for item in second['images']])
        self.assertNotIn('images_links', second)

    def test_max_limit_caps_the_page(self):
        self.flags(group='api', max_limit=1)
        self.own_image()

        response = self.api.get('/images?limit=50').json

        self.assertEqual(1, len(response['images']))
        self.assertEqual('next', response['images_links'][0]['rel'])

    def test_bad_limit_or_marker_is_400(self):
        for query in ('limit=many', 'limit=-1', 'marker=first',
                      'marker=%s' % uuid.uuid4()):
            response = self.api.get('/images?%s' % query)

            self.assertEqual(400, response.status_int, query)
            self.assertIn('badRequest', response.json)

    def test_other_projects_image_is_not_a_marker(self):
        _user, other_project, _token = functional.make_identity('other')
        theirs = make_image('theirs', owner_id=other_project)

        response = self.api.get('/images?marker=%s' % theirs.id)

        self.assertEqual(400, response.status_int)


class ImagesXMLTest(functional.FunctionalTestCase):

    scenarios = functional.DB_SCENARIOS
    start_compute = False

    def test_list(self):
        response = self.api.get('/images?format=xml')

        self.assertEqual(200, response.status_int)
        self.assertTrue(response.content_type.startswith('application/xml'))
        root = ElementTree.fromstring(response.body)
        self.assertEqual(NS + 'images', root.tag)
        image, = root.findall(NS + 'image')
        self.assertEqual(self.image.id, image.get('id'))
        self.assertEqual(['self', 'bookmark', 'alternate'],
                         [link.get('rel')
                          for link in image.findall(ATOM + 'link')])

    def test_detail_with_next_link(self):
        make_image('second', public=True)

        response = self.api.get('/images/detail?limit=1&format=xml')

        root = ElementTree.fromstring(response.body)
        image, = root.findall(NS + 'image')
        self.assertEqual('ACTIVE', image.get('status'))
        self.assertEqual('100', image.get('progress'))
        meta = {item.get('key'): item.text for item in
                image.find(NS + 'metadata').findall(NS + 'meta')}
        self.assertEqual('debian', meta['OS'])
        next_link, = root.findall(ATOM + 'link')
        self.assertEqual('next', next_link.get('rel'))

    def test_show(self):
        response = self.api.get('/images/%s' % self.image.id,
                                headers={'Accept': 'application/xml'})

        root = ElementTree.fromstring(response.body)
        self.assertEqual(NS + 'image', root.tag)
        self.assertEqual(self.image.name, root.get('name'))
        self.assertEqual('2', root.get('minDisk'))

    def test_not_found_fault(self):
        response = self.api.get('/images/%s.xml' % uuid.uuid4())

        self.assertEqual(404, response.status_int)
        root = ElementTree.fromstring(response.body)
        self.assertEqual(NS + 'itemNotFound', root.tag)
        self.assertEqual('Image not found',
                         root.find(NS + 'message').text)


class ImageScopeTest(functional.FunctionalTestCase):

    start_compute = False

    def test_a_context_without_project_sees_no_image(self):
        images = image_api.API()
        anonymous = context.RequestContext(user_id=self.user_id)

        self.assertRaises(exception.Forbidden, images.get, anonymous,
                          self.image.id)
        self.assertRaises(exception.Forbidden, images.list, anonymous)
