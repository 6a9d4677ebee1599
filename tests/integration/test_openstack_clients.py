"""The OpenStack clients, unmodified, against the embedded cloud.

The ``openstack`` command runs as a person runs it, in a shell that
sourced the demo's ``export`` lines; openstacksdk and novaclient run in
this process with the same credentials.  They find compute
(``/compute/v2.1``) and image (``/image``) through the catalog of the
built-in identity service.  Results are checked, not just exit codes.
"""

import urllib.request

from keystoneauth1.identity import v3 as identity_v3
from keystoneauth1 import session as ks_session
from novaclient import client as nova_client
from novaclient import exceptions as nova_exceptions
import openstack

from cyclades import demo
from tests.integration import clouds
from tests.integration import daemons

SMALL, MEDIUM = demo.FLAVORS[0][0], demo.FLAVORS[1][0]
IMAGE = demo.IMAGE['name']
#: What a new server's metadata takes from the image's.
FROM_IMAGE = {key: demo.IMAGE['metadata'][key] for key in ('OS', 'USERS')}


class OpenStackCLITest(clouds.CloudTestCase):
    """The ``openstack`` command: each call starts a client process."""

    def openstack(self, *args):
        return self.run_client([daemons.script('openstack')] + list(args))

    def openstack_json(self, *args):
        return self.parse_json(self.openstack(*(args + ('-f', 'json'))))

    def show(self, server_id):
        return self.openstack_json('server', 'show', server_id)

    def test_flavor_and_image_lists(self):
        flavors = {flavor['Name']: flavor
                   for flavor in self.openstack_json('flavor', 'list')}
        self.assertEqual({name for name, _vcpus, _ram, _disk
                          in demo.FLAVORS}, set(flavors))
        for name, vcpus, ram, disk in demo.FLAVORS:
            self.assertEqual((vcpus, ram, disk),
                             (flavors[name]['VCPUs'], flavors[name]['RAM'],
                              flavors[name]['Disk']))

        images = self.openstack_json('image', 'list')
        self.assertEqual([(IMAGE, 'active')],
                         [(image['Name'], image['Status'])
                          for image in images])

    def test_absolute_limits_count_servers(self):
        self.cloud.create_server('counted')

        limits = {item['Name']: item['Value'] for item in
                  self.openstack_json('limits', 'show', '--absolute')}
        _name, vcpus, ram, _disk = demo.FLAVORS[0]
        # The client names the fields of /limits its own way.
        self.assertEqual(1, limits['total_instances_used'])
        self.assertEqual(vcpus, limits['total_cores_used'])
        self.assertEqual(ram, limits['total_ram_used'])
        self.assertGreaterEqual(limits['max_total_instances'], 1)

    def test_create_list_show_set_unset_delete(self):
        created = self.openstack_json(
            'server', 'create', '--image', IMAGE, '--flavor', SMALL,
            '--property', 'role=web', '--wait', 'cli-server')
        server_id = created['id']
        self.assertEqual('ACTIVE', created['status'])
        self.assertEqual('cli-server', created['name'])

        listed = self.openstack_json('server', 'list')
        self.assertEqual([(server_id, 'cli-server', 'ACTIVE')],
                         [(row['ID'], row['Name'], row['Status'])
                          for row in listed])
        self.assertIn(SMALL, listed[0]['Flavor'])
        self.assertIn(IMAGE, listed[0]['Image'])

        long_rows = self.openstack_json('server', 'list', '--long')
        self.assertEqual([server_id], [row['ID'] for row in long_rows])
        self.assertEqual('ACTIVE', long_rows[0]['Status'])
        self.assertEqual(dict(FROM_IMAGE, role='web'),
                         long_rows[0]['Properties'])

        shown = self.show(server_id)
        self.assertEqual(('cli-server', 'ACTIVE',
                          dict(FROM_IMAGE, role='web')),
                         (shown['name'], shown['status'],
                          shown['properties']))
        self.assertIn(SMALL, shown['flavor'])
        self.assertIn(IMAGE, shown['image'])

        self.openstack('server', 'set', '--name', 'cli-renamed',
                       '--property', 'tier=front', server_id)
        shown = self.show(server_id)
        self.assertEqual(('cli-renamed',
                          dict(FROM_IMAGE, role='web', tier='front')),
                         (shown['name'], shown['properties']))

        self.openstack('server', 'unset', '--property', 'role', server_id)
        self.assertEqual(dict(FROM_IMAGE, tier='front'),
                         self.show(server_id)['properties'])

        self.openstack('server', 'delete', '--wait', server_id)
        self.assertIsNone(self.cloud.server(server_id))
        self.assertEqual([], self.openstack_json('server', 'list'))

    def test_stop_start_and_hard_reboot(self):
        server_id = self.cloud.create_server('power')

        self.openstack('server', 'stop', server_id)
        self.cloud.wait_for_server(server_id, 'STOPPED')
        self.assertEqual('SHUTOFF', self.show(server_id)['status'])

        self.openstack('server', 'start', server_id)
        self.cloud.wait_for_server(server_id, 'ACTIVE')
        self.assertEqual('ACTIVE', self.show(server_id)['status'])

        self.openstack('server', 'reboot', '--hard', '--wait', server_id)
        self.assertEqual('ACTIVE', self.show(server_id)['status'])
        diagnostics = self.cloud.client().get(
            '/servers/%s/diagnostics' % server_id).json()
        self.assertIn('Hard reboot', ' '.join(entry['message']
                                              for entry in diagnostics))

    def test_resize_and_confirm(self):
        server_id = self.cloud.create_server('growing')

        self.openstack('server', 'resize', '--flavor', MEDIUM, '--wait',
                       server_id)
        shown = self.show(server_id)
        self.assertEqual('VERIFY_RESIZE', shown['status'])
        self.assertIn(MEDIUM, shown['flavor'])

        self.openstack('server', 'resize', 'confirm', server_id)
        self.cloud.wait_for_server(server_id, 'ACTIVE')
        shown = self.show(server_id)
        self.assertEqual('ACTIVE', shown['status'])
        self.assertIn(MEDIUM, shown['flavor'])

    def test_novnc_console_url(self):
        server_id = self.cloud.create_server('console')

        console = self.openstack_json('console', 'url', 'show', '--novnc',
                                      server_id)
        self.assertEqual('novnc', console['type'])
        self.assertTrue(console['url'].startswith(self.cloud.root_url + '/'),
                        console['url'])
        direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with direct.open(console['url'], timeout=daemons.DEADLINE) as page:
            self.assertEqual(200, page.status)
            self.assertIn('text/html', page.headers['Content-Type'])


class OpenStackSDKTest(clouds.CloudTestCase):
    """openstacksdk's cloud and proxy layers, given explicit arguments."""

    def connect(self):
        env = self.cloud.exported
        # Only the arguments given here count: no clouds.yaml, no OS_*.
        connection = openstack.connect(
            auth_url=env['OS_AUTH_URL'],
            username=env['OS_USERNAME'],
            password=env['OS_PASSWORD'],
            project_name=env['OS_PROJECT_NAME'],
            user_domain_name=env['OS_USER_DOMAIN_NAME'],
            project_domain_name=env['OS_PROJECT_DOMAIN_NAME'],
            load_yaml_config=False, load_envvars=False)
        self.addCleanup(connection.close)
        return connection

    def test_create_and_delete(self):
        connection = self.connect()

        server = connection.create_server(
            'sdk-server', image=IMAGE, flavor=SMALL, wait=False)
        self.assertEqual('sdk-server', server.name)
        self.cloud.wait_for_server(server.id, 'ACTIVE')
        found = connection.get_server(server.id)
        self.assertEqual(('ACTIVE', connection.get_flavor(SMALL).id),
                         (found.status, found.flavor.id))
        self.assertEqual([server.id],
                         [found.id for found in connection.list_servers()])

        self.assertTrue(connection.delete_server(
            server.id, wait=True, timeout=daemons.DEADLINE))
        self.assertIsNone(connection.get_server(server.id))
        self.assertIsNone(self.cloud.server(server.id))

    def test_wait_for_server(self):
        connection = self.connect()
        server = connection.create_server(
            'sdk-waited', image=IMAGE, flavor=SMALL, wait=False)

        server = connection.wait_for_server(server,
                                            timeout=daemons.DEADLINE)

        self.assertEqual('ACTIVE', server.status)
        self.assertEqual('ACTIVE', self.cloud.server(server.id)['status'])

    def test_create_with_wait(self):
        connection = self.connect()

        server = connection.create_server(
            'sdk-waited', image=IMAGE, flavor=SMALL, wait=True,
            timeout=daemons.DEADLINE)

        self.assertEqual('ACTIVE', server.status)
        self.assertEqual(connection.get_flavor(SMALL).id, server.flavor.id)

    def test_compute_proxy(self):
        # The proxy layer needs no address: it waits for a status only.
        connection = self.connect()
        image = connection.image.find_image(IMAGE, ignore_missing=False)
        flavor = connection.compute.find_flavor(SMALL, ignore_missing=False)

        server = connection.compute.create_server(
            name='sdk-proxy', image_id=image.id, flavor_id=flavor.id)
        server = connection.compute.wait_for_server(
            server, wait=daemons.DEADLINE)
        self.assertEqual('ACTIVE', server.status)

        connection.compute.delete_server(server)
        connection.compute.wait_for_delete(server, wait=daemons.DEADLINE)
        self.assertIsNone(self.cloud.server(server.id))


class NovaClientTest(clouds.CloudTestCase):
    """novaclient 2.1 on a keystoneauth session (the v3 password)."""

    def nova(self):
        env = self.cloud.exported
        auth = identity_v3.Password(
            auth_url=env['OS_AUTH_URL'],
            username=env['OS_USERNAME'],
            password=env['OS_PASSWORD'],
            project_name=env['OS_PROJECT_NAME'],
            user_domain_name=env['OS_USER_DOMAIN_NAME'],
            project_domain_name=env['OS_PROJECT_DOMAIN_NAME'])
        session = ks_session.Session(auth=auth)
        self.addCleanup(session.session.close)
        return nova_client.Client('2.1', session=session)

    def test_create_and_list(self):
        nova = self.nova()
        image_id, _flavor = self.cloud.demo_ids()
        flavor = nova.flavors.find(name=SMALL)
        self.assertEqual([], nova.servers.list())

        server = nova.servers.create('nova-server', image_id, flavor)
        self.cloud.wait_for_server(server.id, 'ACTIVE')

        listed = nova.servers.list()
        self.assertEqual([(server.id, 'nova-server', 'ACTIVE')],
                         [(found.id, found.name, found.status)
                          for found in listed])
        self.assertEqual(flavor.id, listed[0].flavor['id'])
        self.assertEqual(image_id, listed[0].image['id'])

        nova.servers.delete(server)

        def gone():
            try:
                nova.servers.get(server.id)
            except nova_exceptions.NotFound:
                return True
            return False

        daemons.poll(gone, message='server %s to be deleted' % server.id)
