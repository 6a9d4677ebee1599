"""The service catalog tokens carry, in both forms."""

import webob

from cyclades.identity import catalog
from tests import base

ROOT = 'https://cloud.example.org'


class RootUrlTest(base.TestCase):

    def test_request_host_when_no_public_endpoint(self):
        req = webob.Request.blank('http://api.local:8774/identity/v3')

        self.assertEqual('http://api.local:8774', catalog.root_url(req))

    def test_public_endpoint_wins(self):
        self.flags(group='api', public_endpoint=ROOT + '/')
        req = webob.Request.blank('http://api.local:8774/identity/v3')

        self.assertEqual(ROOT, catalog.root_url(req))


class V3CatalogTest(base.TestCase):

    def test_services_and_urls(self):
        entries = catalog.v3_catalog(ROOT)

        self.assertEqual(
            [('identity', ROOT + '/identity/v3'),
             ('compute', ROOT + '/compute/v2.1'),
             ('network', ROOT + '/network'),
             ('image', ROOT + '/image')],
            [(entry['type'], entry['endpoints'][0]['url'])
             for entry in entries])

    def test_every_entry_has_three_interfaces_in_the_region(self):
        self.flags(group='identity', region='Athens')

        for entry in catalog.v3_catalog(ROOT):
            self.assertEqual({'type', 'name', 'id', 'endpoints'},
                             set(entry))
            self.assertEqual(['public', 'internal', 'admin'],
                             [endpoint['interface']
                              for endpoint in entry['endpoints']])
            for endpoint in entry['endpoints']:
                self.assertEqual({'id', 'interface', 'region',
                                  'region_id', 'url'}, set(endpoint))
                self.assertEqual('Athens', endpoint['region'])
                self.assertEqual('Athens', endpoint['region_id'])

    def test_default_region(self):
        endpoint = catalog.v3_catalog(ROOT)[0]['endpoints'][0]

        self.assertEqual('RegionOne', endpoint['region'])

    def test_ids_are_stable_and_distinct(self):
        first = catalog.v3_catalog(ROOT)
        second = catalog.v3_catalog(ROOT)

        self.assertEqual(first, second)
        ids = [entry['id'] for entry in first]
        ids += [endpoint['id'] for entry in first
                for endpoint in entry['endpoints']]
        self.assertEqual(len(ids), len(set(ids)))
        self.assertNotEqual(first[0]['endpoints'][0]['id'],
                            catalog.v3_catalog('http://other')[0][
                                'endpoints'][0]['id'])


class V2CatalogTest(base.TestCase):

    def entries(self):
        return {entry['type']: entry for entry in catalog.v2_catalog(ROOT)}

    def test_compute_is_the_cyclades_dialect(self):
        endpoint = self.entries()['compute']['endpoints'][0]

        self.assertEqual(ROOT + '/compute/v2.0', endpoint['publicURL'])
        self.assertEqual('v2.0', endpoint['versionId'])
        self.assertEqual('RegionOne', endpoint['region'])

    def test_identity_image_and_network(self):
        entries = self.entries()

        self.assertEqual(ROOT + '/identity/v2.0',
                         entries['identity']['endpoints'][0]['publicURL'])
        self.assertEqual(ROOT + '/image',
                         entries['image']['endpoints'][0]['publicURL'])
        self.assertEqual(ROOT + '/network',
                         entries['network']['endpoints'][0]['publicURL'])

    def test_kamaki_account_entry(self):
        account = self.entries()['account']

        self.assertEqual('astakos_account', account['name'])
        self.assertEqual([{'id': account['endpoints'][0]['id'],
                           'region': 'RegionOne',
                           'publicURL': ROOT + '/account/v1.0',
                           'internalURL': ROOT + '/account/v1.0',
                           'adminURL': ROOT + '/account/v1.0',
                           'versionId': 'v1.0',
                           'SNF:uiURL': ROOT + '/ui'}],
                         account['endpoints'])

    def test_only_the_account_entry_has_a_ui_url(self):
        for entry in catalog.v2_catalog(ROOT):
            if entry['name'] != 'astakos_account':
                self.assertNotIn('SNF:uiURL', entry['endpoints'][0])
