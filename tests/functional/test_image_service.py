"""The image service (``/image``): discovery, listing and showing."""

import datetime
import re
import threading
import urllib.parse
from wsgiref import simple_server

import jsonschema
from keystoneauth1 import access
from keystoneauth1 import fixture
from keystoneauth1.identity import access as identity_access
from keystoneauth1 import session
from keystoneauth1 import token_endpoint
from openstack import connection
import testscenarios

from cyclades.db import models
from cyclades.db.session import transaction
from cyclades import utils
from tests.functional import base as functional

load_tests = testscenarios.load_tests_apply_scenarios

ROOT = 'http://localhost:8774'
TIME_PATTERN = r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$'

IMAGE_FIELDS = {
    'id', 'name', 'status', 'visibility', 'protected', 'os_hidden',
    'owner', 'size', 'virtual_size', 'min_disk', 'min_ram', 'disk_format',
    'container_format', 'checksum', 'os_hash_algo', 'os_hash_value',
    'created_at', 'updated_at', 'tags', 'self', 'file', 'schema'}


class ImageServiceTestCase(functional.FunctionalTestCase):
    """Calls ``/image/v2`` as the demo user; images are made directly."""

    start_compute = False

    def setUp(self):
        super().setUp()
        self.images = functional.APIClient(self.app, self.api.token,
                                           prefix='/image/v2')
        _user, self.other_project, other_token = functional.make_identity(
            'other')
        self.other = functional.APIClient(self.app, other_token,
                                          prefix='/image/v2')
        self.epoch = utils.utcnow() - datetime.timedelta(days=1)

    def add_image(self, name, minute=0, project=None, public=False,
                  metadata=None, **values):
        """Store an image created ``minute`` minutes after the epoch."""
        created = self.epoch + datetime.timedelta(minutes=minute)
        image = models.Image(
            name=name, owner_id=project or self.project_id,
            user_id=self.user_id, public=public, created_at=created,
            updated_at=created, **values)
        image.metadata_items = [models.ImageMetadata(key=key, value=value)
                                for key, value in (metadata or {}).items()]
        with transaction(writer=True) as session:
            session.add(image)
        return image.id

    def names(self, query='', client=None):
        response = (client or self.images).get('/images' + query)
        self.assertEqual(200, response.status_int, response.text)
        return [image['name'] for image in response.json['images']]


class VersionsTest(ImageServiceTestCase):

    def test_root_lists_versions_without_token(self):
        for path, status in (('/image', 300), ('/image/', 300),
                             ('/image/versions', 200)):
            response = self.api.get(path, prefix='', token=False)

            self.assertEqual(status, response.status_int, path)
            versions = response.json['versions']
            self.assertEqual(['v2.1', 'v2.0'],
                             [version['id'] for version in versions])
            self.assertEqual(['CURRENT', 'SUPPORTED'],
                             [version['status'] for version in versions])
            for version in versions:
                self.assertEqual([{'rel': 'self',
                                   'href': ROOT + '/image/v2/'}],
                                 version['links'])

    def test_version_path_answers_without_token(self):
        for path in ('/image/v2', '/image/v2/'):
            response = self.api.get(path, prefix='', token=False)

            self.assertEqual(200, response.status_int)
            self.assertEqual('application/json; charset=UTF-8',
                             response.headers['Content-Type'])
            self.assertEqual('v2.1', response.json['versions'][0]['id'])

    def test_links_follow_public_endpoint(self):
        self.flags(group='api', public_endpoint='https://cloud.example/')

        response = self.api.get('/image/', prefix='', token=False)

        self.assertEqual('https://cloud.example/image/v2/',
                         response.json['versions'][0]['links'][0]['href'])


class AuthenticationTest(ImageServiceTestCase):

    def test_token_required(self):
        image_id = self.add_image('mine')

        for path in ('/images', '/images/' + image_id, '/schemas/image'):
            response = self.images.get(path, token=False)
            self.assertEqual(401, response.status_int, path)
            self.assertEqual('Access denied. No authentication token',
                             response.json['unauthorized']['message'])

            response = self.images.get(path, token=False,
                                       headers={'X-Auth-Token': 'nope'})
            self.assertEqual(401, response.status_int, path)
            self.assertEqual('Invalid token',
                             response.json['unauthorized']['message'])

    def test_unknown_path_and_method_are_bad_requests(self):
        self.assertEqual(400, self.images.get('/nothing').status_int)
        response = self.images.delete('/images/%s' % self.image.id)
        self.assertEqual(400, response.status_int)
        self.assertEqual('GET', response.headers['Allow'])


class ShowTest(ImageServiceTestCase):

    def test_show_is_glance_shaped(self):
        image_id = self.add_image(
            'snapshot', minute=5, size=1024, min_disk=3, min_ram=256,
            disk_format='raw', metadata={'os_distro': 'debian',
                                         'name': 'not the name'})

        response = self.images.get('/images/' + image_id)

        self.assertEqual(200, response.status_int)
        image = response.json
        self.assertEqual(IMAGE_FIELDS | {'os_distro'}, set(image))
        created = (self.epoch + datetime.timedelta(minutes=5)).strftime(
            '%Y-%m-%dT%H:%M:%SZ')
        self.assertEqual(
            {'id': image_id, 'name': 'snapshot', 'status': 'active',
             'visibility': 'private', 'protected': False,
             'os_hidden': False, 'owner': self.project_id, 'size': 1024,
             'virtual_size': None, 'min_disk': 3, 'min_ram': 256,
             'disk_format': 'raw', 'container_format': 'bare',
             'checksum': None, 'os_hash_algo': None,
             'os_hash_value': None, 'created_at': created,
             'updated_at': created, 'tags': [],
             'self': '/v2/images/' + image_id,
             'file': '/v2/images/%s/file' % image_id,
             'schema': '/v2/schemas/image', 'os_distro': 'debian'},
            image)

    def test_demo_image(self):
        image = self.images.get('/images/' + self.image.id).json

        self.assertEqual('public', image['visibility'])
        self.assertEqual('Debian Base', image['name'])
        self.assertEqual('debian', image['OS'])
        self.assertRegex(image['created_at'], TIME_PATTERN)
        self.assertRegex(image['updated_at'], TIME_PATTERN)

    def test_statuses_are_glance_states(self):
        for stored, shown in (('ACTIVE', 'active'), ('SAVING', 'saving'),
                              ('ERROR', 'killed')):
            image_id = self.add_image(stored, status=stored)
            self.assertEqual(shown,
                             self.images.get('/images/' + image_id)
                             .json['status'])

    def test_missing_images_are_404(self):
        deleted = self.add_image('gone', status='DELETED', deleted=True,
                                 deleted_at=utils.utcnow())
        private = self.add_image('theirs', project=self.other_project)

        for image_id in (deleted, private, 'Debian Base',
                         '00000000-0000-0000-0000-000000000000'):
            response = self.images.get('/images/' + image_id)
            self.assertEqual(404, response.status_int, image_id)
            self.assertEqual(404, response.json['itemNotFound']['code'])

    def test_other_projects_see_public_images_only(self):
        private = self.add_image('mine')

        self.assertEqual(404, self.other.get('/images/' + private)
                         .status_int)
        self.assertEqual(200, self.other.get('/images/' + self.image.id)
                         .status_int)


class SchemaTest(ImageServiceTestCase):

    def test_shown_images_match_the_schemas(self):
        self.add_image('with properties', metadata={'os_type': 'linux'})
        listed = self.images.get('/images').json

        image_schema = self.images.get('/schemas/image').json
        images_schema = self.images.get('/schemas/images').json

        jsonschema.Draft4Validator.check_schema(image_schema)
        jsonschema.Draft4Validator.check_schema(images_schema)
        jsonschema.validate(listed, images_schema,
                            cls=jsonschema.Draft4Validator)
        for image in listed['images']:
            jsonschema.validate(image, image_schema,
                                cls=jsonschema.Draft4Validator)
        self.assertEqual('image', image_schema['name'])
        self.assertEqual('images', images_schema['name'])


class ListTest(ImageServiceTestCase):

    scenarios = functional.DB_SCENARIOS

    def setUp(self):
        super().setUp()
        self.add_image('alpha', minute=1, size=100,
                       metadata={'os_distro': 'debian'})
        self.add_image('beta', minute=2, public=True, size=200,
                       disk_format='raw')
        self.add_image('gamma', minute=3, status='SAVING', size=300)
        self.add_image('delta', minute=4, status='ERROR', size=400,
                       metadata={'os_distro': 'ubuntu'})
        self.add_image('deleted', minute=5, status='DELETED', deleted=True,
                       deleted_at=utils.utcnow())
        self.add_image('theirs', minute=6, project=self.other_project)
        self.add_image('theirs public', minute=7, public=True,
                       project=self.other_project)

    def test_default_order_is_newest_first(self):
        response = self.images.get('/images')

        self.assertEqual({'images', 'first', 'schema'}, set(response.json))
        self.assertEqual('/v2/images', response.json['first'])
        self.assertEqual('/v2/schemas/images', response.json['schema'])
        self.assertEqual(['Debian Base', 'theirs public', 'delta', 'gamma',
                          'beta', 'alpha'], self.names())

    def test_equal_creation_times_sort_by_id(self):
        ids = [self.add_image('twin', minute=30) for _ in range(3)]

        listed = self.images.get('/images?name=twin').json['images']

        self.assertEqual(sorted(ids, reverse=True),
                         [image['id'] for image in listed])

    def test_other_project_sees_public_images(self):
        self.assertEqual(['Debian Base', 'theirs public', 'theirs',
                          'beta'], self.names(client=self.other))

    def test_filters(self):
        cases = [
            ('?name=beta', ['beta']),
            ('?name=in:alpha,beta,theirs', ['beta', 'alpha']),
            ('?name=nothing', []),
            ('?name=' + urllib.parse.quote('in:"theirs public",beta'),
             ['theirs public', 'beta']),
            ('?status=active', ['Debian Base', 'theirs public', 'beta',
                                'alpha']),
            ('?status=saving', ['gamma']),
            ('?status=killed', ['delta']),
            ('?status=in:saving,killed', ['delta', 'gamma']),
            ('?status=deleted', []),
            ('?status=queued', []),
            ('?visibility=public', ['Debian Base', 'theirs public',
                                    'beta']),
            ('?visibility=private', ['delta', 'gamma', 'alpha']),
            ('?visibility=all', ['Debian Base', 'theirs public', 'delta',
                                 'gamma', 'beta', 'alpha']),
            ('?visibility=shared', []),
            ('?visibility=community', []),
            ('?owner=%s' % self.other_project, ['theirs public']),
            ('?disk_format=raw', ['beta']),
            ('?container_format=bare&size_min=200&size_max=300',
             ['gamma', 'beta']),
            ('?os_distro=ubuntu', ['delta']),
            ('?os_distro=debian&name=alpha', ['alpha']),
            ('?protected=false&os_hidden=false&member_status=all',
             ['Debian Base', 'theirs public', 'delta', 'gamma', 'beta',
              'alpha']),
            ('?protected=true', []),
            ('?os_hidden=true', []),
            ('?tag=web', []),
        ]
        for query, expected in cases:
            self.assertEqual(expected, self.names(query), query)

    def test_id_filter(self):
        listed = self.images.get('/images').json['images']
        first, second = listed[2]['id'], listed[4]['id']

        self.assertEqual(['delta'], self.names('?id=' + first))
        self.assertEqual(['delta', 'beta'],
                         self.names('?id=in:%s,%s' % (second, first)))
        self.assertEqual([], self.names('?id=not-an-image'))

    def test_time_filters(self):
        since = (self.epoch + datetime.timedelta(minutes=3)).isoformat()

        self.assertEqual(
            ['gamma', 'beta', 'alpha'],
            self.names('?' + urllib.parse.urlencode({
                'created_at': 'lte:' + since, 'owner': self.project_id})
                + '&name=in:alpha,beta,gamma,delta'))
        self.assertEqual(
            ['delta'],
            self.names('?' + urllib.parse.urlencode(
                {'updated_at': 'gt:' + since, 'visibility': 'private'})))

    def test_sorting(self):
        cases = [
            ('?sort_key=name&sort_dir=asc&visibility=private',
             ['alpha', 'delta', 'gamma']),
            ('?sort=name:desc&visibility=private',
             ['gamma', 'delta', 'alpha']),
            ('?sort=size:asc,name&visibility=private',
             ['alpha', 'gamma', 'delta']),
            ('?sort_key=created_at&sort_dir=asc&visibility=private',
             ['alpha', 'gamma', 'delta']),
        ]
        for query, expected in cases:
            self.assertEqual(expected, self.names(query), query)

    def test_bad_parameters_are_400(self):
        for query in ('?limit=-1', '?limit=x', '?status=lost',
                      '?visibility=everyone', '?size_min=big',
                      '?protected=maybe', '?member_status=friend',
                      '?created_at=yesterday', '?sort_key=owner',
                      '?sort_dir=up', '?sort=name&sort_key=size',
                      '?sort_key=name&sort_key=name',
                      '?sort_dir=asc&sort_dir=desc',
                      '?name=in:"a'):
            response = self.images.get('/images' + query)
            self.assertEqual(400, response.status_int, query)
            self.assertEqual(400, response.json['badRequest']['code'])

    def test_pages_follow_next_links(self):
        seen = []
        path = '/images?limit=2'
        pages = 0
        while path is not None:
            body = self.images.get(path).json
            pages += 1
            self.assertLessEqual(len(body['images']), 2)
            self.assertEqual('/v2/images?limit=2', body['first'])
            seen.extend(image['name'] for image in body['images'])
            next_link = body.get('next')
            if next_link is not None:
                self.assertTrue(next_link.startswith('/v2/images?'))
                query = urllib.parse.parse_qs(
                    urllib.parse.urlparse(next_link).query)
                self.assertEqual(['2'], query['limit'])
                self.assertEqual([body['images'][-1]['id']],
                                 query['marker'])
                next_link = _relative(next_link)
            path = next_link

        self.assertEqual(3, pages)
        self.assertEqual(self.names(), seen)

    def test_pages_keep_filters_and_sort(self):
        first = self.images.get('/images?visibility=private&limit=1'
                                '&sort=name:asc').json
        self.assertEqual(['alpha'],
                         [image['name'] for image in first['images']])

        second = self.images.get(_relative(first['next'])).json
        third = self.images.get(_relative(second['next'])).json

        self.assertEqual(['delta'],
                         [image['name'] for image in second['images']])
        self.assertEqual(['gamma'],
                         [image['name'] for image in third['images']])
        self.assertNotIn('next', third)

    def test_default_page_size_and_limit_cap(self):
        for index in range(26):
            self.add_image('bulk', minute=100 + index)

        body = self.images.get('/images?name=bulk').json
        self.assertEqual(25, len(body['images']))
        self.assertIn('next', body)

        self.flags(group='api', max_limit=3)
        body = self.images.get('/images?limit=10').json
        self.assertEqual(3, len(body['images']))

    def test_limit_zero_is_an_empty_page(self):
        body = self.images.get('/images?limit=0').json

        self.assertEqual([], body['images'])
        self.assertNotIn('next', body)

    def test_markers(self):
        deleted = self.images.get('/images').json['images'][2]['id']
        theirs = self.add_image('hidden', project=self.other_project)

        for marker in ('no-such-image', theirs):
            response = self.images.get('/images?marker=' + marker)
            self.assertEqual(400, response.status_int, marker)

        self.assertEqual(['gamma', 'beta', 'alpha'],
                         self.names('?marker=' + deleted))


class OpenStackSDKTest(ImageServiceTestCase):
    """openstacksdk's image proxy against the service on a real socket."""

    def setUp(self):
        super().setUp()
        server = simple_server.make_server(
            '127.0.0.1', 0, self.app, handler_class=_QuietHandler)
        thread = threading.Thread(target=server.serve_forever,
                                  kwargs={'poll_interval': 0.05})
        thread.start()
        self.addCleanup(server.server_close)
        self.addCleanup(thread.join)
        self.addCleanup(server.shutdown)
        self.endpoint = 'http://127.0.0.1:%d/image' % server.server_port
        self.connection = self._connect(self.endpoint)

    def _connect(self, endpoint):
        """A client that found the service in its catalog, as after login.
        """
        body = fixture.V3Token(project_id=self.project_id,
                               user_id=self.user_id)
        body.add_service('image', name='glance').add_standard_endpoints(
            public=endpoint, region='RegionOne')
        auth = identity_access.AccessInfoPlugin(
            access.create(body=body, auth_token=self.api.token))
        return connection.Connection(session=session.Session(auth=auth),
                                     region_name='RegionOne',
                                     strict_proxies=True)

    def test_discovery_from_the_catalog(self):
        self.assertEqual(self.endpoint + '/v2/',
                         self.connection.image.get_endpoint())

        versioned = self._connect(self.endpoint + '/v2')
        self.assertEqual(['Debian Base'],
                         [image.name for image in versioned.image.images()])

    def test_discovery_with_an_endpoint_override(self):
        auth = token_endpoint.Token(self.endpoint, self.api.token)
        client = connection.Connection(
            session=session.Session(auth=auth),
            image_endpoint_override=self.endpoint, strict_proxies=True)

        self.assertEqual(self.endpoint + '/v2/', client.image.get_endpoint())
        self.assertEqual(['Debian Base'],
                         [image.name for image in client.image.images()])

    def test_list_find_and_get(self):
        for index in range(4):
            self.add_image('image-%d' % index, minute=index,
                           metadata={'os_distro': 'debian',
                                     'USERS': 'root'})

        listed = list(self.connection.image.images(limit=2))
        found = self.connection.image.find_image('image-2',
                                                 ignore_missing=False)
        fetched = self.connection.image.get_image(found.id)
        by_id = self.connection.image.find_image(found.id,
                                                 ignore_missing=False)

        self.assertEqual(['Debian Base', 'image-3', 'image-2', 'image-1',
                          'image-0'], [image.name for image in listed])
        self.assertEqual('image-2', fetched.name)
        self.assertEqual('active', fetched.status)
        self.assertEqual('private', fetched.visibility)
        self.assertEqual(self.project_id, fetched.owner)
        self.assertEqual('debian', fetched.os_distro)
        self.assertEqual('root', fetched.properties['USERS'])
        self.assertEqual(found.id, by_id.id)
        self.assertIsNone(self.connection.image.find_image(
            'no such image', ignore_missing=True))

    def test_filtered_listing(self):
        self.add_image('wanted', minute=1)
        self.add_image('unwanted', minute=2)

        names = [image.name for image in
                 self.connection.image.images(name='wanted')]
        public = [image.name for image in
                  self.connection.image.images(visibility='public')]

        self.assertEqual(['wanted'], names)
        self.assertEqual(['Debian Base'], public)


class _QuietHandler(simple_server.WSGIRequestHandler):
    """Keeps the server's access log out of the test output."""

    def log_message(self, format, *args):
        pass


def _relative(link):
    """A Glance link (``/v2/...``) relative to the ``/image/v2`` client."""
    return re.sub('^/v2', '', link)
