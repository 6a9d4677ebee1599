"""Servers and their ports: create, views, /ips, delete, firewall."""

import ipaddress
import threading

import testscenarios

from cyclades.db import models
from cyclades.db.session import transaction
from cyclades.network import api as network_api
from cyclades.network import macs
from tests import base
from tests.functional import base as functional
from tests.functional import network_helpers
from tests.functional import openstack_helpers
from tests.functional import server_helpers

load_tests = testscenarios.load_tests_apply_scenarios


def eui64(mac, cidr):
    return str(macs.eui64(mac, ipaddress.ip_network(cidr)))


class NetworksTestBase(network_helpers.NetworkTestMixin,
                       server_helpers.ServerTestMixin,
                       functional.FunctionalTestCase):

    # Ports are made with the server whether a host builds it or not.
    start_compute = False

    def create(self, **extra):
        return self.create_server(**extra)

    def created(self, **extra):
        response = self.create(**extra)
        self.assertEqual(202, response.status_int, response.body)
        return response.json['server']


class CreateTest(NetworksTestBase):

    scenarios = functional.DB_SCENARIOS

    def test_default_is_the_public_network(self):
        server = self.created()

        attachment, = server['attachments']
        self.assertEqual(
            {'network_id': self.public_id, 'firewallProfile': 'DISABLED',
             'ipv4': '10.0.0.2', 'OS-EXT-IPS:type': 'fixed',
             'ipv6': eui64(attachment['mac_address'], 'fd00:0:0:1::/64')},
            {key: attachment[key] for key in attachment
             if key not in ('id', 'mac_address')})
        self.assertTrue(attachment['mac_address'].startswith('aa:00:0'))
        self.assertEqual({self.public_id: [
            {'version': 4, 'addr': '10.0.0.2', 'OS-EXT-IPS:type': 'fixed'},
            {'version': 6, 'addr': attachment['ipv6'],
             'OS-EXT-IPS:type': 'fixed'}]}, server['addresses'])
        self.assertEqual('10.0.0.3',
                         self.created()['attachments'][0]['ipv4'])

    def test_default_policy_none(self):
        self.flags(group='network', default_policy='none')

        self.assertEqual({}, self.created()['addresses'])

    def test_no_public_network_no_port_and_one_warning(self):
        network_api.API().operator_delete(self.public_id)

        for _ in range(2):
            self.assertEqual([], self.created()['attachments'])
        self.assertEqual(1, self.log.output.count('No public network'))

    def test_public_network_full(self):
        network_api.API().operator_delete(self.public_id)
        network_api.API().create_public_network('tiny', '192.0.2.0/30')

        self.assertEqual('192.0.2.2',
                         self.created()['attachments'][0]['ipv4'])
        self.assertFault(self.create(), 503, 'serviceUnavailable',
                         'free IPv4')

    def test_on_a_network(self):
        network_id = self.make_network(ipv6='2001:db8:5::/64')

        server = self.created(networks=[{'uuid': network_id},
                                        {'uuid': self.public_id}])

        first, second = server['attachments']
        self.assertEqual((network_id, '192.168.1.2', self.public_id),
                         (first['network_id'], first['ipv4'],
                          second['network_id']))
        self.assertEqual(eui64(first['mac_address'], '2001:db8:5::/64'),
                         first['ipv6'])
        self.assertEqual([network_id, self.public_id],
                         list(server['addresses']))

    def test_fixed_ip(self):
        network_id = self.make_network()

        server = self.created(networks=[{'uuid': network_id,
                                         'fixed_ip': '192.168.1.77'}])
        self.assertEqual('192.168.1.77', server['attachments'][0]['ipv4'])

        self.assertFault(self.create(networks=[{
            'uuid': network_id, 'fixed_ip': '192.168.1.77'}]),
            409, 'conflict', 'in use')
        self.assertFault(self.create(networks=[{
            'uuid': network_id, 'fixed_ip': '192.168.1.1'}]),
            409, 'conflict', 'gateway')
        for address in ('192.168.2.7', '2001:db8::7'):
            self.assertFault(self.create(networks=[{
                'uuid': network_id, 'fixed_ip': address}]),
                400, 'badRequest', 'not in a subnet')

    def test_existing_port(self):
        network_id = self.make_network()
        port = self.make_port(network_id)

        server = self.created(networks=[{'port': port['id']}])

        attachment, = server['attachments']
        self.assertEqual((port['id'], port['mac_address'], '192.168.1.2'),
                         (attachment['id'], attachment['mac_address'],
                          attachment['ipv4']))
        shown = self.net.get('/ports/' + port['id']).json['port']
        self.assertEqual((server['id'], 'ACTIVE', 'compute:nova'),
                         (shown['device_id'], shown['status'],
                          shown['device_owner']))
        self.assertFault(self.create(networks=[{'port': port['id']}]),
                         409, 'conflict', 'in use')

    def test_same_port_twice(self):
        port = self.make_port(self.make_network())

        self.assertFault(self.create(networks=[{'port': port['id']},
                                               {'port': port['id']}]),
                         409, 'conflict', 'in use')

    def test_network_full(self):
        network_id = self.make_network(cidr='192.168.9.0/30')
        self.created(networks=[{'uuid': network_id}])

        self.assertFault(self.create(networks=[{'uuid': network_id}]),
                         409, 'conflict', 'no free address')

    def test_another_projects_network_and_port(self):
        other = self.other_net()
        network_id = self.make_network(client=other)
        port = self.make_port(network_id, client=other)

        self.assertFault(self.create(networks=[{'uuid': network_id}]),
                         404, 'itemNotFound', network_id)
        self.assertFault(self.create(networks=[{'port': port['id']}]),
                         404, 'itemNotFound', port['id'])

    def test_eight_ports_at_most(self):
        network_id = self.make_network()

        server = self.created(networks=[{'uuid': network_id}] * 8)

        self.assertEqual(8, len(server['attachments']))
        self.assertFault(self.create(networks=[{'uuid': network_id}] * 9),
                         400, 'badRequest', 'at most 8')

    def test_failed_create_leaves_nothing_allocated(self):
        network_id = self.make_network()
        port = self.make_port(network_id, fixed_ips=[
            {'ip_address': '192.168.1.50'}])

        response = self.create(networks=[
            {'uuid': network_id}, {'uuid': self.public_id},
            {'uuid': network_id, 'fixed_ip': '192.168.1.50'}])

        self.assertFault(response, 409, 'conflict', '192.168.1.50')
        self.assertEqual((1, 0), (self.ports_of(network_id),
                                  self.ports_of(self.public_id)))
        self.assertEqual([], self.api.get('/servers').json['servers'])
        self.assertEqual('192.168.1.2', self.created(networks=[
            {'uuid': network_id}])['attachments'][0]['ipv4'])
        self.assertEqual('', self.net.get('/ports/' + port['id'])
                         .json['port']['device_id'])

    def test_quota_is_checked_first(self):
        self.flags(group='quota', vm=0)

        self.assertFault(self.create(), 413, 'overLimit')
        self.assertEqual(0, self.ports_of(self.public_id))

    def test_concurrent_creates_get_different_addresses(self):
        network_id = self.make_network(cidr='192.168.3.0/28')
        threads = 8
        barrier = threading.Barrier(threads)
        answers = []

        def create():
            barrier.wait()
            answers.append(self.create(networks=[{'uuid': network_id}]))

        workers = [threading.Thread(target=create) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

        self.assertEqual([202] * threads,
                         [answer.status_int for answer in answers])
        self.assertEqual(['192.168.3.%d' % i for i in range(2, 10)],
                         sorted((answer.json['server']['attachments'][0]
                                 ['ipv4'] for answer in answers),
                                key=ipaddress.ip_address))


class DeleteTest(NetworksTestBase):

    scenarios = functional.DB_SCENARIOS
    start_compute = True

    def test_delete_releases_ports_and_addresses(self):
        network_id = self.make_network()
        port = self.make_port(network_id)
        server = self.created(networks=[{'port': port['id']},
                                        {'uuid': network_id}])
        self.wait_for_status(server['id'], 'ACTIVE')

        self.assertEqual(204, self.api.delete('/servers/%s' % server['id'])
                         .status_int)

        # At once, while the host is still destroying the server.
        self.assertEqual(0, self.ports_of(network_id))
        self.assertFault(self.net.get('/ports/' + port['id']), 404,
                         'itemNotFound')
        self.wait_for_status(server['id'], 'DELETED')
        self.assertEqual([], self.server(server['id'])['attachments'])
        self.assertEqual('192.168.1.2', self.created(networks=[
            {'uuid': network_id}])['attachments'][0]['ipv4'])

    def test_delete_without_host(self):
        self.flags(group='compute', service_down_time=1)
        server = self.created()
        self.wait_for_status(server['id'], 'ACTIVE')
        self.compute.stop()
        with transaction(writer=True) as session:
            session.query(models.ComputeHost).delete()

        self.assertEqual(204, self.api.delete('/servers/%s' % server['id'])
                         .status_int)
        self.assertEqual(0, self.ports_of(self.public_id))


class ConnectionsTest(NetworksTestBase):
    """/servers/<id>/ips in both dialects."""

    scenarios = functional.DB_SCENARIOS

    def setUp(self):
        super().setUp()
        self.network_id = self.make_network(ipv6='2001:db8:7::/64')
        self.server = self.created(networks=[{'uuid': self.public_id},
                                             {'uuid': self.network_id}])
        self.path = '/servers/%s/ips' % self.server['id']

    def test_ips(self):
        body = self.api.get(self.path).json

        self.assertEqual(self.server['addresses'], body['addresses'])
        self.assertEqual(self.server['attachments'], body['attachments'])
        self.assertEqual([self.public_id, self.network_id],
                         list(body['addresses']))
        self.assertEqual([4, 6], [entry['version'] for entry in
                                  body['addresses'][self.network_id]])

    def test_ips_of_one_network(self):
        response = self.api.get('%s/%s' % (self.path, self.network_id))

        self.assertEqual(200, response.status_int)
        self.assertEqual(
            {'network': {self.network_id:
                         self.server['addresses'][self.network_id]}},
            response.json)
        self.assertFault(self.api.get('%s/%s' % (self.path,
                                                 self.make_network())),
                         404, 'itemNotFound', 'not connected')

    def test_other_project(self):
        other = self.other_client()

        self.assertFault(other.get(self.path), 404, 'itemNotFound')
        self.assertFault(other.get('%s/%s' % (self.path, self.public_id)),
                         404, 'itemNotFound')

    def test_listing_shows_the_same(self):
        listed, = self.api.get('/servers/detail').json['servers']

        self.assertEqual((self.server['addresses'],
                          self.server['attachments']),
                         (listed['addresses'], listed['attachments']))

    def test_openstack_dialect(self):
        nova = functional.APIClient(self.app, self.api.token,
                                    prefix=openstack_helpers.PREFIX)
        public, private = self.server['attachments']

        body = nova.get(self.path).json
        self.assertEqual({'addresses': {
            'public': [
                {'version': 4, 'addr': '10.0.0.2',
                 'OS-EXT-IPS:type': 'fixed',
                 'OS-EXT-IPS-MAC:mac_addr': public['mac_address']},
                {'version': 6, 'addr': public['ipv6'],
                 'OS-EXT-IPS:type': 'fixed',
                 'OS-EXT-IPS-MAC:mac_addr': public['mac_address']}],
            'net': [
                {'version': 4, 'addr': private['ipv4'],
                 'OS-EXT-IPS:type': 'fixed',
                 'OS-EXT-IPS-MAC:mac_addr': private['mac_address']},
                {'version': 6, 'addr': private['ipv6'],
                 'OS-EXT-IPS:type': 'fixed',
                 'OS-EXT-IPS-MAC:mac_addr': private['mac_address']}]}},
            body)
        shown = nova.get('/servers/%s' % self.server['id']).json['server']
        self.assertEqual(body['addresses'], shown['addresses'])
        self.assertEqual({'public': body['addresses']['public']},
                         nova.get(self.path + '/public').json)


class FirewallTest(NetworksTestBase):

    start_compute = True

    def test_profile_of_a_port(self):
        server = self.created()
        self.wait_for_status(server['id'], 'ACTIVE')
        port_id = server['attachments'][0]['id']

        response = self.api.post('/servers/%s/action' % server['id'], {
            'firewallProfile': {'profile': 'PROTECTED', 'nic': port_id}})

        self.assertEqual(202, response.status_int, response.body)
        self.assertEqual('PROTECTED', self.server(server['id'])
                         ['attachments'][0]['firewallProfile'])
        driver = self.compute.driver
        base.wait_for(lambda: driver.servers[int(server['id'])].get(
            'firewall') == {port_id: 'PROTECTED'},
            message='the profile to reach the driver')

    def test_nic_of_another_server(self):
        server = self.created()
        other = self.created()
        self.wait_for_status(server['id'], 'ACTIVE')

        response = self.api.post('/servers/%s/action' % server['id'], {
            'firewallProfile': {'profile': 'ENABLED',
                                'nic': other['attachments'][0]['id']}})

        self.assertFault(response, 404, 'itemNotFound', 'NIC not found')
        self.assertEqual('DISABLED', self.server(other['id'])
                         ['attachments'][0]['firewallProfile'])


class QueryCountTest(NetworksTestBase):
    """The detail list reads the ports of a page in one query."""

    scenarios = functional.DB_SCENARIOS

    def test_ports_do_not_add_queries(self):
        network_id = self.make_network()
        for _ in range(2):
            self.created(networks=[{'uuid': network_id},
                                   {'uuid': self.public_id}])
        self.count_queries()
        few, few_statements = self.count_queries()

        for _ in range(4):
            self.created()
        many, many_statements = self.count_queries()

        self.assertEqual((2, 6), (few, many))
        self.assertEqual(len(few_statements), len(many_statements),
                         '\n'.join(many_statements))
