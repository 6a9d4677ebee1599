"""The version documents and the microversion headers of /v2.1."""

from tempest.lib.api_schema.response.compute.v2_1 import versions as schemas

from tests.functional import base as functional
from tests.functional import openstack_helpers

HEADER = 'OpenStack-API-Version'
LEGACY = 'X-OpenStack-Nova-API-Version'
VARY = 'OpenStack-API-Version, X-OpenStack-Nova-API-Version'


class VersionDocumentTest(openstack_helpers.OpenStackTestMixin,
                          functional.FunctionalTestCase):

    start_compute = False

    def test_versions_list_both_dialects(self):
        response = self.api.get('/', prefix='/compute', token=False)

        body = self.assertSchema(schemas.list_versions, response)
        versions = {item['id']: item for item in body['versions']}
        self.assertEqual(['v2.0', 'v2.1'], sorted(versions))
        for version_id, item in versions.items():
            self.assertEqual('CURRENT', item['status'])
            self.assertEqual(
                [{'rel': 'self', 'href': 'http://localhost:8774/compute/'
                  '%s/' % version_id}], item['links'])
        self.assertEqual(('2.1', '2.1'), (versions['v2.1']['version'],
                                          versions['v2.1']['min_version']))
        self.assertEqual(('', ''), (versions['v2.0']['version'],
                                    versions['v2.0']['min_version']))

    def test_v21_document_with_and_without_slash(self):
        for path in ('', '/'):
            response = self.nova.get(path, token=False)

            version = self.assertSchema(schemas.get_one_version,
                                        response)['version']
            self.assertEqual('v2.1', version['id'])
            self.assertEqual('CURRENT', version['status'])
            self.assertEqual(('2.1', '2.1'), (version['version'],
                                              version['min_version']))
            self.assertEqual(['self'],
                             [link['rel'] for link in version['links']])
            self.assertEqual('compute 2.1', response.headers[HEADER])

    def test_never_more_than_21_advertised(self):
        body = self.api.get('/', prefix='/compute').json
        for item in body['versions']:
            self.assertIn(item['version'], ('', '2.1'))


class MicroversionTest(openstack_helpers.OpenStackTestMixin,
                       functional.FunctionalTestCase):

    start_compute = False

    def assertVersionHeaders(self, response):
        self.assertEqual('compute 2.1', response.headers[HEADER])
        self.assertEqual('2.1', response.headers[LEGACY])
        self.assertEqual(VARY, response.headers['Vary'])

    def test_no_header_gets_21(self):
        response = self.nova.get('/servers')

        self.assertEqual(200, response.status_int)
        self.assertVersionHeaders(response)

    def test_accepted_requests(self):
        for headers in ({HEADER: 'compute 2.1'}, {LEGACY: '2.1'},
                        {HEADER: 'compute latest'}, {LEGACY: 'latest'},
                        {HEADER: 'volume 3.7, compute 2.1'},
                        {HEADER: 'compute 2.1', LEGACY: '2.1'},
                        # The new header wins when it names compute.
                        {HEADER: 'compute 2.1', LEGACY: '2.90'},
                        # Otherwise the old one counts.
                        {HEADER: 'volume 3.7', LEGACY: '2.1'}):
            response = self.nova.get('/flavors', headers=headers)

            self.assertEqual(200, response.status_int, headers)
            self.assertVersionHeaders(response)

    def test_versions_we_do_not_speak_are_406(self):
        for headers in ({HEADER: 'compute 2.2'}, {LEGACY: '2.95'},
                        {LEGACY: '3.0'}, {HEADER: 'compute 2.0'},
                        {LEGACY: '1.1'}, {LEGACY: '2.90', HEADER: 'x 1'}):
            response = self.nova.get('/servers', headers=headers)

            fault = self.assertFault(response, 406, 'notAcceptable')
            self.assertIn('Minimum is 2.1 and maximum is 2.1',
                          fault['message'])

    def test_malformed_versions_are_400(self):
        for headers in ({LEGACY: '2'}, {LEGACY: '2.01'}, {LEGACY: 'abc'},
                        {LEGACY: '2.1.1'}, {HEADER: 'compute'},
                        {HEADER: 'compute 2.1 2.2'}, {LEGACY: 'v2.1'}):
            response = self.nova.get('/servers', headers=headers)

            self.assertFault(response, 400, 'badRequest')

    def test_faults_carry_the_headers(self):
        response = self.nova.get('/servers/9999')

        self.assertFault(response, 404, 'itemNotFound')
        self.assertVersionHeaders(response)
        self.assertVersionHeaders(self.nova.get('/servers', token=False))
        self.assertVersionHeaders(self.nova.get('/nothing/here'))

    def test_the_cyclades_dialect_has_no_microversions(self):
        response = self.api.get('/servers', headers={LEGACY: '2.95'})

        self.assertEqual(200, response.status_int)
        self.assertNotIn(HEADER, response.headers)
        self.assertNotIn(LEGACY, response.headers)
        self.assertNotIn(HEADER, self.api.get(
            '/', prefix='/compute').headers)
