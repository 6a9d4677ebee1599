"""Listing and showing flavors through the Cyclades dialect."""

from xml.etree import ElementTree

import testscenarios

from cyclades.api import xmlutil
from cyclades.db import api as db_api
from cyclades.db.session import transaction
from tests.functional import base as functional

load_tests = testscenarios.load_tests_apply_scenarios

NS = '{%s}' % xmlutil.NAMESPACE
ROOT = 'http://localhost:8774/compute'


class FlavorsTest(functional.FunctionalTestCase):

    scenarios = functional.DB_SCENARIOS
    start_compute = False

    def _delete_flavor(self, flavor_id):
        with transaction(writer=True) as session:
            self.assertTrue(db_api.flavor_mark_deleted(session, flavor_id))

    def test_list(self):
        response = self.api.get('/flavors')

        self.assertEqual(200, response.status_int)
        listed = response.json['flavors']
        self.assertEqual([str(flavor.id) for flavor in self.flavors],
                         [item['id'] for item in listed])
        first = self.flavors[0]
        self.assertEqual({
            'id': str(first.id), 'name': first.name,
            'links': [
                {'rel': 'self',
                 'href': '%s/v2.0/flavors/%s' % (ROOT, first.id)},
                {'rel': 'bookmark',
                 'href': '%s/flavors/%s' % (ROOT, first.id)},
            ]}, listed[0])

    def test_detail(self):
        response = self.api.get('/flavors/detail')

        self.assertEqual(200, response.status_int)
        detail = response.json['flavors']
        self.assertEqual(len(self.flavors), len(detail))
        first = self.flavors[0]
        self.assertEqual(
            {'id', 'name', 'links', 'ram', 'disk', 'vcpus',
             'SNF:disk_template'}, set(detail[0]))
        self.assertEqual((first.ram, first.disk, first.vcpus, 'drbd'),
                         (detail[0]['ram'], detail[0]['disk'],
                          detail[0]['vcpus'],
                          detail[0]['SNF:disk_template']))

    def test_show(self):
        flavor = self.flavors[1]

        response = self.api.get('/flavors/%s' % flavor.id)

        self.assertEqual(200, response.status_int)
        shown = response.json['flavor']
        self.assertEqual(str(flavor.id), shown['id'])
        self.assertEqual(flavor.name, shown['name'])
        self.assertEqual(flavor.vcpus, shown['vcpus'])
        self.assertEqual(flavor.ram, shown['ram'])
        self.assertEqual(flavor.disk, shown['disk'])

    def test_unknown_flavor_is_404(self):
        for flavor_id in ('999999', '9' * 30):
            response = self.api.get('/flavors/%s' % flavor_id)

            self.assertEqual(404, response.status_int)
            self.assertEqual('Flavor not found',
                             response.json['itemNotFound']['message'])

    def test_malformed_id_is_an_unknown_url(self):
        response = self.api.get('/flavors/small')

        self.assertEqual(400, response.status_int)
        self.assertEqual('API endpoint not found',
                         response.json['badRequest']['message'])

    def test_deleted_flavor_is_not_listed_but_can_be_fetched(self):
        deleted = self.flavors[0]
        self._delete_flavor(deleted.id)

        for path in ('/flavors', '/flavors/detail'):
            listed = self.api.get(path).json['flavors']
            self.assertNotIn(str(deleted.id), [f['id'] for f in listed])
            self.assertEqual(len(self.flavors) - 1, len(listed))
        shown = self.api.get('/flavors/%s' % deleted.id)
        self.assertEqual(200, shown.status_int)
        self.assertEqual(deleted.name, shown.json['flavor']['name'])

    def test_other_methods_are_not_allowed(self):
        response = self.api.post('/flavors', {'flavor': {}})

        self.assertEqual(400, response.status_int)
        self.assertEqual('Method not allowed',
                         response.json['badRequest']['message'])
        self.assertEqual('GET', response.headers['Allow'])

    def test_token_is_required(self):
        response = self.api.get('/flavors', token=False)

        self.assertEqual(401, response.status_int)

    def test_list_in_xml(self):
        response = self.api.get('/flavors?format=xml')

        self.assertEqual(200, response.status_int)
        self.assertTrue(response.content_type.startswith('application/xml'))
        root = ElementTree.fromstring(response.body)
        self.assertEqual(NS + 'flavors', root.tag)
        items = root.findall(NS + 'flavor')
        self.assertEqual([(str(f.id), f.name) for f in self.flavors],
                         [(e.get('id'), e.get('name')) for e in items])

    def test_show_in_xml(self):
        flavor = self.flavors[0]

        response = self.api.get('/flavors/%s.xml' % flavor.id)

        self.assertEqual(200, response.status_int)
        root = ElementTree.fromstring(response.body)
        self.assertEqual(NS + 'flavor', root.tag)
        self.assertEqual(str(flavor.ram), root.get('ram'))
        self.assertEqual('drbd', root.get('SNF_disk_template'))
        links = root.findall('{%s}link' % xmlutil.ATOM_NAMESPACE)
        self.assertEqual(['self', 'bookmark'],
                         [link.get('rel') for link in links])

    def test_unknown_flavor_fault_in_xml(self):
        response = self.api.get('/flavors/999999?format=xml')

        self.assertEqual(404, response.status_int)
        root = ElementTree.fromstring(response.body)
        self.assertEqual(NS + 'itemNotFound', root.tag)
        self.assertEqual('404', root.get('code'))
