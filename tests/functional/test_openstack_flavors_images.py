"""Flavors, images and image metadata in the OpenStack dialect."""

from tempest.lib.api_schema.response.compute.v2_1 import flavors as schemas
from tempest.lib.api_schema.response.compute.v2_1 import \
    flavors_extra_specs as spec_schemas
from tempest.lib.api_schema.response.compute.v2_1 import images as \
    image_schemas

from cyclades.compute import flavors as flavor_api
from cyclades.compute import images as image_api
from cyclades import context
from cyclades import exception
from tests.functional import base as functional
from tests.functional import openstack_helpers

FLAVOR_FIELDS = {'id', 'name', 'links', 'ram', 'vcpus', 'disk', 'swap',
                 'OS-FLV-EXT-DATA:ephemeral', 'OS-FLV-DISABLED:disabled',
                 'os-flavor-access:is_public', 'rxtx_factor'}
IMAGE_REQUIRED = {'id', 'name', 'status', 'progress', 'minDisk', 'minRam',
                  'metadata', 'created', 'updated', 'links'}
IMAGE_OPTIONAL = {'OS-EXT-IMG-SIZE:size', 'server'}


class FlavorTest(openstack_helpers.OpenStackTestMixin,
                 functional.FunctionalTestCase):

    start_compute = False

    def ids(self, response):
        return [int(item['id']) for item in response.json['flavors']]

    def test_list_detail_and_show(self):
        body = self.assertSchema(schemas.list_flavors,
                                 self.nova.get('/flavors'))
        self.assertEqual([flavor.id for flavor in self.flavors],
                         [int(item['id']) for item in body['flavors']])

        body = self.assertSchema(schemas.list_flavors_details,
                                 self.nova.get('/flavors/detail'))
        first = body['flavors'][0]
        self.assertEqual(FLAVOR_FIELDS, set(first))
        self.assertEqual((1024, 1, 20, '', 0, False, True),
                         (first['ram'], first['vcpus'], first['disk'],
                          first['swap'], first['OS-FLV-EXT-DATA:ephemeral'],
                          first['OS-FLV-DISABLED:disabled'],
                          first['os-flavor-access:is_public']))

        shown = self.assertSchema(
            schemas.create_update_get_flavor_details,
            self.nova.get('/flavors/%s' % first['id']))
        self.assertEqual(first, shown['flavor'])

    def test_flavor_closed_to_new_servers_is_disabled(self):
        flavor_id = self.add_flavor(name='closed', allow_create=False)

        flavor = self.nova.get('/flavors/%s' % flavor_id).json['flavor']
        self.assertTrue(flavor['OS-FLV-DISABLED:disabled'])

    def test_query_parameters_clients_send(self):
        all_ids = [flavor.id for flavor in self.flavors]

        for query in ('is_public=None', 'is_public=True', 'deleted=False',
                      'minDisk=0', 'minRam=0&is_public=None'):
            response = self.nova.get('/flavors/detail?' + query)
            self.assertSchema(schemas.list_flavors_details, response)
            self.assertEqual(all_ids, self.ids(response), query)
        self.assertEqual(all_ids[1:], self.ids(
            self.nova.get('/flavors?minDisk=40')))
        self.assertEqual(all_ids[2:], self.ids(
            self.nova.get('/flavors?minRam=4096&minDisk=21')))
        self.assertEqual(all_ids[1:], self.ids(
            self.api.get('/flavors?minRam=2048')))

    def test_pages(self):
        all_ids = [flavor.id for flavor in self.flavors]

        response = self.nova.get('/flavors?limit=2')
        body = self.assertSchema(schemas.list_flavors, response)
        self.assertEqual(all_ids[:2], self.ids(response))
        next_href = body['flavors_links'][0]['href']
        self.assertIn('marker=%d' % all_ids[1], next_href)
        self.assertIn('/compute/v2.1/flavors?', next_href)

        response = self.nova.get('/flavors?limit=2&marker=%d' % all_ids[1])
        self.assertEqual(all_ids[2:], self.ids(response))
        self.assertNotIn('flavors_links', response.json)

    def test_bad_parameters_are_400(self):
        for query in ('minDisk=abc', 'minRam=-1', 'limit=0',
                      'marker=9999', 'marker=tiny'):
            self.assertFault(self.nova.get('/flavors?' + query), 400,
                             'badRequest')

    def test_extra_specs(self):
        flavor_id = self.flavors[0].id

        body = self.assertSchema(
            spec_schemas.set_get_flavor_extra_specs,
            self.nova.get('/flavors/%s/os-extra_specs' % flavor_id))
        self.assertEqual({'extra_specs': {}}, body)
        self.assertFault(self.nova.get('/flavors/%s/os-extra_specs/hw:cpu'
                                       % flavor_id), 404, 'itemNotFound')
        self.assertFault(self.nova.get('/flavors/9999/os-extra_specs'),
                         404, 'itemNotFound')
        self.assertFault(self.api.get('/flavors/%s/os-extra_specs'
                                      % flavor_id), 400, 'badRequest')

    def test_deleted_flavor_is_404_here_only(self):
        flavor = self.flavors[2]
        flavor_api.API().delete(flavor.name)

        self.assertFault(self.nova.get('/flavors/%s' % flavor.id), 404,
                         'itemNotFound')
        self.assertEqual(200, self.api.get('/flavors/%s' % flavor.id)
                         .status_int)
        self.assertNotIn(flavor.id, self.ids(self.nova.get('/flavors')))


class ImageTest(openstack_helpers.OpenStackTestMixin,
                functional.FunctionalTestCase):

    start_compute = False

    def own_image(self, **values):
        return self.add_image(public=False, owner_id=self.project_id,
                              **values)

    def test_list_detail_and_show(self):
        body = self.assertSchema(image_schemas.list_images,
                                 self.nova.get('/images'))
        self.assertEqual([{'id', 'name', 'links'}],
                         [set(item) for item in body['images']])
        self.assertEqual(['self', 'bookmark', 'alternate'],
                         [link['rel'] for link in body['images'][0]['links']])

        body = self.assertSchema(image_schemas.list_images_details,
                                 self.nova.get('/images/detail'))
        image = body['images'][0]
        self.assertLessEqual(IMAGE_REQUIRED, set(image))
        self.assertLessEqual(set(image), IMAGE_REQUIRED | IMAGE_OPTIONAL)
        self.assertEqual(('ACTIVE', 100, 2, 512, 2 * 1024 ** 3),
                         (image['status'], image['progress'],
                          image['minDisk'], image['minRam'],
                          image['OS-EXT-IMG-SIZE:size']))
        self.assertNotIn('server', image)

        shown = self.assertSchema(image_schemas.get_image, self.nova.get(
            '/images/%s' % self.image.id))
        self.assertEqual(image, shown['image'])

    def test_image_of_a_server_names_it(self):
        server_id = self.insert_servers(1)[0]
        image_id = self.own_image(name='snap', server_id=int(server_id),
                                  status='SAVING')

        image = self.assertSchema(image_schemas.get_image, self.nova.get(
            '/images/%s' % image_id))['image']
        self.assertEqual(('SAVING', 0), (image['status'], image['progress']))
        self.assertEqual(server_id, image['server']['id'])
        self.assertEqual(
            'http://localhost:8774/compute/v2.1/servers/%s' % server_id,
            image['server']['links'][0]['href'])

    def test_delete_and_deleted_images(self):
        image_id = self.own_image(name='mine')

        self.assertSchema(image_schemas.delete, self.nova.delete(
            '/images/%s' % image_id))
        for response in (self.nova.get('/images/%s' % image_id),
                         self.nova.delete('/images/%s' % image_id),
                         self.nova.get('/images/%s/metadata' % image_id),
                         self.nova.post('/images/%s/metadata' % image_id,
                                        {'metadata': {'a': 'b'}})):
            self.assertFault(response, 404, 'itemNotFound')
        self.assertEqual('DELETED', self.api.get('/images/%s' % image_id)
                         .json['image']['status'])
        self.assertFault(self.api.delete('/images/%s' % image_id), 400,
                         'badRequest')

    def test_metadata_codes(self):
        image_id = self.own_image(name='mine')
        path = '/images/%s/metadata' % image_id

        body = self.assertSchema(image_schemas.image_metadata, self.nova.put(
            path, {'metadata': {'a': '1'}}))
        self.assertEqual({'a': '1'}, body['metadata'])
        body = self.assertSchema(
            image_schemas.image_metadata,
            self.nova.post(path, {'metadata': {'b': '2'}}))
        self.assertEqual({'a': '1', 'b': '2'}, body['metadata'])
        self.assertSchema(image_schemas.image_metadata, self.nova.get(path))
        self.assertSchema(image_schemas.image_meta_item, self.nova.put(
            path + '/c', {'meta': {'c': '3'}}))
        self.assertSchema(image_schemas.image_meta_item,
                          self.nova.get(path + '/c'))
        self.assertSchema(image_schemas.delete,
                          self.nova.delete(path + '/c'))


class ReadDeletedTest(functional.FunctionalTestCase):
    """The compute layer's side of the dialects' difference."""

    start_compute = False

    def test_contexts_that_do_not_read_deleted_get_404(self):
        flavor = self.flavors[0]
        flavor_api.API().delete(flavor.name)
        image_api.API().operator_delete(self.image.id)
        reader = context.RequestContext(project_id=self.project_id)
        strict = context.RequestContext(project_id=self.project_id,
                                        read_deleted=False)

        self.assertTrue(flavor_api.API().get(reader, flavor.id).deleted)
        self.assertTrue(image_api.API().get(reader, self.image.id).deleted)
        self.assertRaises(exception.FlavorNotFound,
                          flavor_api.API().get, strict, flavor.id)
        self.assertRaises(exception.ImageNotFound,
                          image_api.API().get, strict, self.image.id)
