"""Server actions in the OpenStack dialect, and the browser console."""

import time
import urllib.parse

from tempest.lib.api_schema.response.compute.v2_1 import images as \
    image_schemas
from tempest.lib.api_schema.response.compute.v2_1 import servers as schemas

from cyclades.api.compute import consoles
from tests.functional import base as functional
from tests.functional import openstack_helpers

CONSOLE = {'type': 'vnc', 'host': 'node1.example.org', 'port': 5901,
           'password': 'secret-1'}


class ActionTest(openstack_helpers.OpenStackTestMixin,
                 functional.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        self.server_id = self.nova_server()
        self.wait_for_nova_status(self.server_id, 'ACTIVE')

    def act(self, body, schema=schemas.server_actions_common_schema):
        response = self.nova.post('/servers/%s/action' % self.server_id,
                                  body)
        return self.assertSchema(schema, response)

    def test_power(self):
        self.assertEqual('', self.act({'os-stop': None}))
        self.wait_for_nova_status(self.server_id, 'SHUTOFF')
        self.act({'os-start': {}})
        self.wait_for_nova_status(self.server_id, 'ACTIVE')
        for reboot_type in ('SOFT', 'HARD'):
            self.act({'reboot': {'type': reboot_type}})
            self.wait_for_nova_status(self.server_id, 'ACTIVE')

    def test_resize_confirm_and_revert(self):
        self.act({'resize': {'flavorRef': str(self.flavors[1].id)}})
        self.wait_for_nova_status(self.server_id, 'VERIFY_RESIZE')
        self.assertEqual('', self.act(
            {'confirmResize': None}, schemas.server_actions_confirm_resize))
        self.wait_for_nova_status(self.server_id, 'ACTIVE')

        self.act({'resize': {'flavorRef': str(self.flavors[2].id)}})
        self.wait_for_nova_status(self.server_id, 'VERIFY_RESIZE')
        self.act({'revertResize': None})
        self.wait_for_nova_status(self.server_id, 'ACTIVE')
        server = self.nova.get('/servers/%s' % self.server_id).json
        self.assertEqual(str(self.flavors[1].id),
                         server['server']['flavor']['id'])

    def test_change_password_and_create_image(self):
        self.act({'changePassword': {'adminPass': 'n3w-Passw0rd'}})
        self.wait_for_nova_status(self.server_id, 'ACTIVE')

        response = self.nova.post('/servers/%s/action' % self.server_id,
                                  {'createImage': {'name': 'snap'}})
        self.assertSchema(image_schemas.create_image, response)
        location = response.headers['Location']
        self.assertIn('/compute/v2.1/images/', location)
        image_path = '/images/' + location.rsplit('/', 1)[1]
        image = self.assertSchema(image_schemas.get_image,
                                  self.nova.get(image_path))['image']
        self.assertEqual('snap', image['name'])
        self.assertEqual(self.server_id, image['server']['id'])

    def test_cyclades_actions_are_not_offered_here(self):
        for body in ({'shutdown': None}, {'start': None},
                     {'console': {'type': 'vnc'}},
                     {'reassign': {'project': self.project_id}},
                     {'firewallProfile': {'profile': 'ENABLED',
                                          'nic': '1'}}):
            response = self.nova.post('/servers/%s/action' % self.server_id,
                                      body)
            self.assertFault(response, 400, 'badRequest', 'not supported')

        response = self.api.post('/servers/%s/action' % self.server_id,
                                 {'os-getVNCConsole': {'type': 'novnc'}})
        self.assertFault(response, 400, 'badRequest', 'not supported')


class BrowserConsoleTest(openstack_helpers.OpenStackTestMixin,
                         functional.FunctionalTestCase):

    def console_url(self, server_id, body=None):
        response = self.nova.post(
            '/servers/%s/action' % server_id,
            body or {'os-getVNCConsole': {'type': 'novnc'}})
        console = self.assertSchema(schemas.get_vnc_console,
                                    response)['console']
        self.assertEqual('novnc', console['type'])
        return console['url']

    def page(self, url):
        path = urllib.parse.urlsplit(url).path
        self.assertTrue(path.startswith('/compute/console/'), url)
        return self.api.get(path[len('/compute'):], prefix='/compute',
                            token=False)

    def test_url_serves_a_page_with_the_vnc_endpoint(self):
        server_id = self.nova_server()
        self.wait_for_nova_status(server_id, 'ACTIVE')

        url = self.console_url(server_id)
        self.assertTrue(url.startswith('http://localhost:8774/compute/'
                                       'console/'), url)

        page = self.page(url)
        self.assertEqual(200, page.status_int)
        self.assertEqual('text/html; charset=UTF-8',
                         page.headers['Content-Type'])
        self.assertEqual('no-referrer', page.headers['Referrer-Policy'])
        self.assertIn('no-store', page.headers['Cache-Control'])
        self.assertIn('<dd id="host">127.0.0.1</dd>', page.text)
        self.assertRegex(page.text, r'<dd id="port">59\d\d</dd>')
        self.assertRegex(page.text, r'<dd id="password">[\w-]{12,}</dd>')

        # Each request opens a console of its own.
        self.assertNotEqual(url, self.console_url(server_id))

    def test_console_needs_an_active_server_and_novnc(self):
        server_id = self.nova_server()

        response = self.nova.post('/servers/%s/action' % server_id,
                                  {'os-getVNCConsole': {'type': 'novnc'}})
        self.assertFault(response, 409, 'buildInProgress')
        self.wait_for_nova_status(server_id, 'ACTIVE')
        for arguments in ({'type': 'xvpvnc'}, {'type': 'spice'}, {},
                          {'type': 5}):
            response = self.nova.post('/servers/%s/action' % server_id,
                                      {'os-getVNCConsole': arguments})
            self.assertFault(response, 400, 'badRequest')

    def test_forged_expired_and_malformed_tokens_are_404(self):
        good = consoles.make_token(7, CONSOLE, 600)
        expired = consoles.make_token(7, CONSOLE, 600,
                                      now=time.time() - 601)
        payload, signature = good.split('.')
        other = consoles.make_token(8, CONSOLE, 600).split('.')[0]

        self.assertEqual(200, self.page('/compute/console/' + good)
                         .status_int)
        for token in (expired, other + '.' + signature, payload,
                      payload + '.', good + 'x', 'a.b.c', '%c3%a9.x',
                      'x' * 2000):
            self.assertFault(self.page('/compute/console/' + token), 404,
                             'itemNotFound')
        self.assertIsNone(consoles.read_token(expired))
        self.assertIsNone(consoles.read_token('\u00e9.\u00e9'))
        self.assertIsNone(consoles.read_token(payload + '.\u00e9'))
        self.assertEqual(7, consoles.read_token(good)['server'])

    def test_lifetime_is_configurable(self):
        self.flags(group='api', console_url_ttl=5)
        started = int(time.time())

        token = consoles.make_token(1, CONSOLE, 5, now=started)

        self.assertIsNotNone(consoles.read_token(token, now=started + 5))
        self.assertIsNone(consoles.read_token(token, now=started + 6))

    def test_page_escapes_what_it_shows(self):
        console = dict(CONSOLE, host='<script>x</script>',
                       password='a"&b')
        page = self.page('/compute/console/'
                         + consoles.make_token(3, console, 60))

        self.assertNotIn('<script>', page.text)
        self.assertIn('&lt;script&gt;x&lt;/script&gt;', page.text)
        self.assertIn('a&quot;&amp;b', page.text)
