"""The OpenStack dialect as Tempest's own compute clients see it.

The whole API is served over HTTP on 127.0.0.1 from a thread of the
test process, with a compute host of the fake driver in another, on
SQLite and the memory transport.  Tempest's clients authenticate
through /identity/v3, find compute in the catalog, and check every
answer against Nova's 2.1 response schemas and microversion headers:
any field, status code or header those do not allow fails the test.
"""

import socketserver
import threading
import urllib.request
import wsgiref.simple_server

from tempest.lib import auth
from tempest.lib import exceptions as lib_exc
from tempest.lib.services.compute import base_compute_client
from tempest.lib.services.compute import flavors_client
from tempest.lib.services.compute import images_client
from tempest.lib.services.compute import limits_client
from tempest.lib.services.compute import servers_client
from tempest.lib.services.compute import versions_client

from cyclades.db import models
from cyclades.db.session import transaction
from cyclades.identity import api as identity_api
from cyclades import utils
from tests import base
from tests.functional import base as functional

USER = 'tempest-user'
PASSWORD = 'tempest-Passw0rd'
PROJECT = 'tempest-project'
REGION = 'RegionOne'


class _ThreadingServer(socketserver.ThreadingMixIn,
                       wsgiref.simple_server.WSGIServer):
    daemon_threads = True


class _QuietHandler(wsgiref.simple_server.WSGIRequestHandler):

    def log_message(self, *args):
        """The API logs each request itself."""


class TempestComputeTest(functional.FunctionalTestCase):
    """Every call of Tempest's compute clients that the contract covers."""

    def setUp(self):
        super().setUp()
        self.flags(group='fake_driver', build_time=0.02, action_time=0.01)
        self.root = self.serve()
        self.create_user()

        # Ask for 2.1 explicitly, so that the clients also check that
        # every answer names it in its headers.
        self.patch(base_compute_client, 'COMPUTE_MICROVERSION', '2.1')
        credentials = auth.KeystoneV3Credentials(
            username=USER, password=PASSWORD, project_name=PROJECT,
            user_domain_name=identity_api.DOMAIN_NAME,
            project_domain_name=identity_api.DOMAIN_NAME)
        self.auth_provider = auth.KeystoneV3AuthProvider(
            credentials, self.root + '/identity/v3')
        self.servers = self.client(servers_client.ServersClient)
        self.flavors_client = self.client(flavors_client.FlavorsClient)
        self.images = self.client(images_client.ImagesClient)

    def serve(self):
        """Serve the API on a free port until the test ends."""
        server = wsgiref.simple_server.make_server(
            '127.0.0.1', 0, self.app, server_class=_ThreadingServer,
            handler_class=_QuietHandler)
        thread = threading.Thread(target=server.serve_forever,
                                  kwargs={'poll_interval': 0.05})
        thread.start()
        self.addCleanup(thread.join)
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        return 'http://127.0.0.1:%d' % server.server_port

    def create_user(self):
        with transaction(writer=True) as session:
            project = models.Project(name=PROJECT)
            session.add(project)
            session.flush()
            user = models.User(name=USER, default_project_id=project.id,
                               password_hash=utils.hash_password(
                                   PASSWORD, iterations=1000))
            session.add(user)
            session.flush()
            session.add(models.Membership(user_id=user.id,
                                          project_id=project.id))
            self.tempest_project_id = project.id

    def client(self, client_class):
        return client_class(self.auth_provider, 'compute', REGION,
                            build_interval=0.05,
                            build_timeout=base.WAIT_TIMEOUT)

    def wait_for_status(self, server_id, status):
        """Poll show_server, whose schema checks every answer too."""
        def reached():
            server = self.servers.show_server(server_id)['server']
            if server['status'] == 'ERROR' != status:
                self.fail('server %s went to ERROR: %s'
                          % (server_id, server.get('fault')))
            return server['status'] == status and server
        return base.wait_for(reached, interval=0.05,
                             message='server %s to become %s'
                                     % (server_id, status))

    def wait_for_deletion(self, server_id):
        def gone():
            try:
                self.servers.show_server(server_id)
            except lib_exc.NotFound:
                return True
            return False
        base.wait_for(gone, interval=0.05,
                      message='server %s to be gone' % server_id)

    def new_server(self, name='tempest-server'):
        body = self.servers.create_server(
            name=name, imageRef=self.image.id,
            flavorRef=str(self.flavors[0].id), min_count=1, max_count=1)
        server_id = body['server']['id']
        self.assertTrue(body['server']['adminPass'])
        self.assertIn('/compute/v2.1/servers/%s' % server_id,
                      body.response['location'])
        self.wait_for_status(server_id, 'ACTIVE')
        return server_id

    def test_versions(self):
        versions = self.client(versions_client.VersionsClient)

        listed = versions.list_versions()['versions']
        self.assertEqual({'v2.0', 'v2.1'}, {item['id'] for item in listed})
        one = versions.get_version_by_url(self.root + '/compute/v2.1/')
        self.assertEqual('2.1', one['version']['version'])
        self.assertEqual('compute 2.1',
                         one.response['openstack-api-version'])

    def test_flavors_images_and_limits(self):
        flavors = self.flavors_client.list_flavors()['flavors']
        self.assertEqual([str(flavor.id) for flavor in self.flavors],
                         [flavor['id'] for flavor in flavors])
        detail = self.flavors_client.list_flavors(
            detail=True, is_public='None')['flavors']
        self.assertEqual(self.flavors[0].ram, detail[0]['ram'])
        shown = self.flavors_client.show_flavor(flavors[1]['id'])['flavor']
        self.assertEqual(detail[1], shown)
        specs = self.flavors_client.list_flavor_extra_specs(flavors[0]['id'])
        self.assertEqual({}, specs['extra_specs'])
        self.assertRaises(lib_exc.NotFound, self.flavors_client.show_flavor,
                          flavors[0]['name'])

        images = self.images.list_images()['images']
        self.assertEqual([self.image.id], [image['id'] for image in images])
        detail = self.images.list_images(detail=True)['images']
        self.assertEqual(detail[0],
                         self.images.show_image(self.image.id)['image'])
        self.assertRaises(lib_exc.NotFound, self.images.show_image,
                          self.image.name)

        limits = self.client(limits_client.LimitsClient).show_limits()
        absolute = limits['limits']['absolute']
        self.assertEqual(0, absolute['totalInstancesUsed'])
        self.assertEqual([], limits['limits']['rate'])

    def test_server_life(self):
        server_id = self.new_server()

        listed = self.servers.list_servers()['servers']
        self.assertEqual([server_id], [item['id'] for item in listed])
        detail = self.servers.list_servers(detail=True)['servers'][0]
        self.assertEqual(self.tempest_project_id, detail['tenant_id'])
        self.assertEqual('ACTIVE', detail['status'])
        renamed = self.servers.update_server(server_id, name='renamed')
        self.assertEqual('renamed', renamed['server']['name'])
        self.assertRaises(lib_exc.NotFound, self.servers.show_server,
                          'renamed')
        # The default connection: a port on the demo's public network.
        addresses = self.servers.list_addresses(server_id)['addresses']
        self.assertEqual(['10.0.0.2'], [
            entry['addr'] for entry in addresses['public']
            if entry['version'] == 4])
        self.assertEqual({'public': addresses['public']},
                         self.servers.list_addresses_by_network(
                             server_id, 'public'))

        self.servers.set_server_metadata(server_id, {'a': '1', 'b': '2'})
        self.servers.update_server_metadata(server_id, {'c': '3'})
        self.assertEqual({'a': '1', 'b': '2', 'c': '3'},
                         self.servers.list_server_metadata(
                             server_id)['metadata'])
        self.servers.set_server_metadata_item(server_id, 'd', {'d': '4'})
        self.assertEqual({'d': '4'}, self.servers.show_server_metadata_item(
            server_id, 'd')['meta'])
        self.servers.delete_server_metadata_item(server_id, 'd')
        self.assertRaises(lib_exc.NotFound,
                          self.servers.show_server_metadata_item,
                          server_id, 'd')

        limits = self.client(limits_client.LimitsClient).show_limits()
        self.assertEqual(1, limits['limits']['absolute'][
            'totalInstancesUsed'])

        self.servers.delete_server(server_id)
        self.wait_for_deletion(server_id)
        self.assertEqual([], self.servers.list_servers()['servers'])

    def test_server_actions(self):
        server_id = self.new_server()

        self.servers.stop_server(server_id)
        stopped = self.wait_for_status(server_id, 'SHUTOFF')
        self.assertEqual(4, stopped['OS-EXT-STS:power_state'])
        self.servers.start_server(server_id)
        self.wait_for_status(server_id, 'ACTIVE')
        self.servers.reboot_server(server_id, type='SOFT')
        self.wait_for_status(server_id, 'ACTIVE')
        self.servers.reboot_server(server_id, type='HARD')
        self.wait_for_status(server_id, 'ACTIVE')

        self.servers.resize_server(server_id, str(self.flavors[1].id))
        self.wait_for_status(server_id, 'VERIFY_RESIZE')
        self.servers.confirm_resize_server(server_id)
        self.wait_for_status(server_id, 'ACTIVE')
        self.servers.resize_server(server_id, str(self.flavors[2].id))
        self.wait_for_status(server_id, 'VERIFY_RESIZE')
        self.servers.revert_resize_server(server_id)
        server = self.wait_for_status(server_id, 'ACTIVE')
        self.assertEqual(str(self.flavors[1].id), server['flavor']['id'])

        self.servers.change_password(server_id, adminPass='n3w-Passw0rd')
        self.wait_for_status(server_id, 'ACTIVE')

        console = self.servers.get_vnc_console(server_id,
                                               type='novnc')['console']
        self.assertEqual('novnc', console['type'])
        with urllib.request.urlopen(console['url'], timeout=10) as page:
            self.assertEqual(200, page.status)
            self.assertIn('id="password"', page.read().decode('utf-8'))

        self.check_image_of(server_id)

        self.servers.delete_server(server_id)
        self.wait_for_deletion(server_id)

    def check_image_of(self, server_id):
        """createImage, then the image and its metadata."""
        created = self.images.create_image(server_id, name='snapshot',
                                           metadata={'kind': 'snap'})
        image_id = created.response['location'].rsplit('/', 1)[1]
        base.wait_for(
            lambda: self.images.show_image(image_id)['image']['status']
            == 'ACTIVE', interval=0.05, message='the image to be saved')
        image = self.images.show_image(image_id)['image']
        self.assertEqual(server_id, image['server']['id'])

        self.images.set_image_metadata(image_id, {'a': '1'})
        self.images.update_image_metadata(image_id, {'b': '2'})
        self.assertEqual({'a': '1', 'b': '2'},
                         self.images.list_image_metadata(
                             image_id)['metadata'])
        self.images.set_image_metadata_item(image_id, 'c', {'c': '3'})
        self.assertEqual({'c': '3'}, self.images.show_image_metadata_item(
            image_id, 'c')['meta'])
        self.images.delete_image_metadata_item(image_id, 'c')

        self.images.delete_image(image_id)
        self.assertRaises(lib_exc.NotFound, self.images.show_image,
                          image_id)
