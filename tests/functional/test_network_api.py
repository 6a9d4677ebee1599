"""The network service at /network: networks, subnets and ports."""

import testscenarios

from cyclades.db.session import transaction
from cyclades import quota
from tests.functional import base as functional
from tests.functional import network_helpers
from tests.functional import server_helpers

load_tests = testscenarios.load_tests_apply_scenarios


class NetworkAPITestBase(network_helpers.NetworkTestMixin,
                         server_helpers.ServerTestMixin,
                         functional.FunctionalTestCase):

    start_compute = False


class DiscoveryTest(NetworkAPITestBase):

    def test_versions_without_token(self):
        for path in ('', '/'):
            response = self.net.get(path, prefix='/network', token=False)
            self.assertEqual(200, response.status_int)
            self.assertEqual({'versions': [{
                'id': 'v2.0', 'status': 'CURRENT',
                'links': [{'rel': 'self', 'href':
                           'http://localhost:8774/network/v2.0/'}]}]},
                response.json)

    def test_resources_and_extensions(self):
        body = self.net.get('', token=False).json
        self.assertEqual(['networks', 'subnets', 'ports', 'floatingips'],
                         [item['collection'] for item in body['resources']])
        self.assertEqual(['external-net'], [
            item['alias'] for item in
            self.net.get('/extensions').json['extensions']])

    def test_token_and_paths(self):
        self.assertFault(self.net.get('/networks', token=False), 401,
                         'unauthorized')
        self.assertFault(self.net.get('/routers'), 400, 'badRequest',
                         'API endpoint not found')
        response = self.net.request('PATCH', '/networks')
        self.assertFault(response, 400, 'badRequest', 'Method not allowed')
        self.assertEqual('GET, POST', response.headers['Allow'])


class NetworksTest(NetworkAPITestBase):

    scenarios = functional.DB_SCENARIOS

    def test_public_network(self):
        public, = self.net.get('/networks').json['networks']

        self.assertEqual(
            {'id': self.public_id, 'name': 'public', 'status': 'ACTIVE',
             'shared': True, 'router:external': True,
             'admin_state_up': True, 'tenant_id': None,
             'project_id': None},
            {key: public[key] for key in (
                'id', 'name', 'status', 'shared', 'router:external',
                'admin_state_up', 'tenant_id', 'project_id')})
        self.assertEqual(2, len(public['subnets']))

    def test_create_show_rename_delete(self):
        response = self.net.post('/networks', {'network': {
            'name': 'mine', 'admin_state_up': True}})

        self.assertEqual(201, response.status_int, response.body)
        network = response.json['network']
        self.assertEqual(('mine', [], False, False, self.project_id),
                         (network['name'], network['subnets'],
                          network['shared'], network['router:external'],
                          network['tenant_id']))
        path = '/networks/' + network['id']
        self.assertEqual(network, self.net.get(path).json['network'])

        response = self.net.put(path, {'network': {'name': 'renamed'}})
        self.assertEqual(200, response.status_int, response.body)
        self.assertEqual('renamed', response.json['network']['name'])

        self.assertEqual(204, self.net.delete(path).status_int)
        self.assertFault(self.net.get(path), 404, 'itemNotFound')
        self.assertFault(self.net.delete(path), 404, 'itemNotFound')

    def test_delete_with_subnets_and_ports(self):
        network_id = self.make_network(ipv6='2001:db8::/64')
        port = self.make_port(network_id)
        path = '/networks/' + network_id

        self.assertFault(self.net.delete(path), 409, 'conflict', 'ports')
        self.assertEqual(204, self.net.delete('/ports/' + port['id'])
                         .status_int)
        self.assertEqual(204, self.net.delete(path).status_int)
        self.assertEqual([], self.net.get('/subnets?network_id='
                                          + network_id).json['subnets'])

    def test_public_network_is_the_operators(self):
        path = '/networks/' + self.public_id

        self.assertFault(self.net.put(path, {'network': {'name': 'x'}}),
                         403, 'forbidden')
        self.assertFault(self.net.delete(path), 403, 'forbidden')
        for field in ('shared', 'router:external'):
            self.assertFault(self.net.post('/networks', {'network': {
                field: True}}), 403, 'forbidden')
        self.assertFault(self.net.post('/networks', {'network': {
            'tenant_id': 'someone-else'}}), 403, 'forbidden')

    def test_bad_bodies(self):
        for body in ({}, {'network': []}, {'network': {'name': 5}},
                     {'network': {'admin_state_up': False}},
                     {'network': {'mtu': 9000}}):
            self.assertFault(self.net.post('/networks', body), 400,
                             'badRequest')
        network_id = self.make_network()
        self.assertFault(self.net.put('/networks/' + network_id, {
            'network': {'shared': True}}), 400, 'badRequest', 'shared')

    def test_another_projects_network(self):
        other = self.other_net()
        network_id = self.make_network(client=other)

        self.assertEqual([self.public_id], [
            network['id'] for network in
            self.net.get('/networks').json['networks']])
        for method in ('get', 'delete'):
            self.assertFault(getattr(self.net, method)(
                '/networks/' + network_id), 404, 'itemNotFound')
        self.assertFault(self.net.put('/networks/' + network_id, {
            'network': {'name': 'x'}}), 404, 'itemNotFound')

    def test_quota(self):
        self.flags(group='quota', network_private=1)
        network_id = self.make_network()

        self.assertFault(self.net.post('/networks', {'network': {}}), 413,
                         'overLimit', 'cyclades.network.private')
        self.net.delete('/networks/' + network_id)
        self.assertEqual(201, self.net.post('/networks', {'network': {}})
                         .status_int)
        with transaction(writer=True) as session:
            self.assertEqual([], quota.verify(session))
            self.assertEqual(1, quota.usage(session, self.project_id)[
                quota.NETWORK_PRIVATE])

    def test_filters_and_fields(self):
        mine = self.make_network()

        def ids(query):
            response = self.net.get('/networks?' + query)
            self.assertEqual(200, response.status_int, response.body)
            return [item['id'] for item in response.json['networks']]

        self.assertEqual([self.public_id], ids('name=public'))
        self.assertEqual([mine], ids('id=%s&id=nothing' % mine))
        self.assertEqual([self.public_id], ids('router:external=true'))
        self.assertEqual([mine], ids('shared=False'))
        self.assertEqual([mine], ids('tenant_id=' + self.project_id))
        self.assertEqual([], ids('name=none'))
        self.assertEqual(
            [{'id': mine, 'name': 'net'}],
            self.net.get('/networks?fields=id&fields=name&id=' + mine)
            .json['networks'])
        self.assertFault(self.net.get('/networks?colour=blue'), 400,
                         'badRequest', 'colour')

    def test_pages(self):
        mine = self.make_network()

        body = self.net.get('/networks?limit=1').json
        self.assertEqual([self.public_id],
                         [item['id'] for item in body['networks']])
        next_link, = body['networks_links']
        self.assertIn('marker=' + self.public_id, next_link['href'])

        body = self.net.get('/networks?limit=1&marker='
                            + self.public_id).json
        self.assertEqual([mine], [item['id'] for item in body['networks']])
        self.assertNotIn('networks_links', body)
        self.assertFault(self.net.get('/networks?limit=0'), 400,
                         'badRequest')
        self.assertFault(self.net.get('/networks?marker=nothing'), 400,
                         'badRequest')


class SubnetsTest(NetworkAPITestBase):

    scenarios = functional.DB_SCENARIOS

    def setUp(self):
        super().setUp()
        response = self.net.post('/networks', {'network': {'name': 'n'}})
        self.network_id = response.json['network']['id']

    def create(self, **values):
        values.setdefault('network_id', self.network_id)
        return self.net.post('/subnets', {'subnet': values})

    def test_defaults(self):
        response = self.create(cidr='192.168.4.0/24', name='four')

        self.assertEqual(201, response.status_int, response.body)
        subnet = response.json['subnet']
        self.assertEqual(
            {'name': 'four', 'network_id': self.network_id,
             'ip_version': 4, 'cidr': '192.168.4.0/24',
             'gateway_ip': '192.168.4.1', 'enable_dhcp': True,
             'allocation_pools': [{'start': '192.168.4.2',
                                   'end': '192.168.4.254'}],
             'tenant_id': self.project_id, 'ipv6_address_mode': None},
            {key: subnet[key] for key in (
                'name', 'network_id', 'ip_version', 'cidr', 'gateway_ip',
                'enable_dhcp', 'allocation_pools', 'tenant_id',
                'ipv6_address_mode')})
        self.assertEqual([subnet['id']], self.net.get(
            '/networks/' + self.network_id).json['network']['subnets'])

    def test_ipv6_gateway_and_pools(self):
        subnet = self.create(cidr='2001:db8:9::/64', ip_version=6,
                             gateway_ip=None).json['subnet']
        self.assertEqual((6, None, 'slaac'),
                         (subnet['ip_version'], subnet['gateway_ip'],
                          subnet['ipv6_address_mode']))

        subnet = self.create(
            cidr='10.9.0.0/24', gateway_ip='10.9.0.254',
            allocation_pools=[{'start': '10.9.0.10',
                               'end': '10.9.0.19'}]).json['subnet']
        self.assertEqual('10.9.0.254', subnet['gateway_ip'])
        port = self.make_port(self.network_id)
        self.assertEqual(['10.9.0.10'], [
            item['ip_address'] for item in port['fixed_ips']
            if item['subnet_id'] == subnet['id']])

    def test_refused(self):
        cases = [({'cidr': '10.0.0.1/24'}, 400),
                 ({'cidr': '10.0.0.0/31'}, 400),
                 ({'cidr': '10.0.0.0/24', 'ip_version': 6}, 400),
                 ({'cidr': '10.0.0.0/24', 'gateway_ip': '10.1.0.1'}, 400),
                 ({'cidr': '10.0.0.0/24', 'allocation_pools': [
                     {'start': '10.0.0.1', 'end': '10.0.0.9'}]}, 400),
                 ({'cidr': '10.0.0.0/24', 'dns_nameservers': ['1.1.1.1']},
                  400),
                 ({'cidr': '10.0.0.0/24', 'ip_version': 5}, 400),
                 ({'network_id': 'nothing', 'cidr': '10.0.0.0/24'}, 404),
                 ({'network_id': self.public_id, 'cidr': '10.1.0.0/24'},
                  403)]
        for values, code in cases:
            response = self.create(**values)
            self.assertEqual(code, response.status_int, values)

        self.assertEqual(201, self.create(cidr='10.0.0.0/24').status_int)
        self.assertFault(self.create(cidr='10.2.0.0/24'), 409, 'conflict',
                         'IPv4 subnet')

    def test_visibility(self):
        public_subnets = self.net.get('/networks/' + self.public_id).json[
            'network']['subnets']
        other = self.other_net()
        other_network = self.make_network(client=other)
        theirs = other.get('/networks/' + other_network).json[
            'network']['subnets'][0]

        listed = [item['id'] for item in
                  self.net.get('/subnets').json['subnets']]
        self.assertEqual(sorted(public_subnets), sorted(listed))
        self.assertEqual(200, self.net.get('/subnets/' + public_subnets[0])
                         .status_int)
        self.assertFault(self.net.get('/subnets/' + theirs), 404,
                         'itemNotFound')
        self.assertFault(self.net.delete('/subnets/' + public_subnets[0]),
                         403, 'forbidden')

    def test_rename_and_delete(self):
        subnet = self.create(cidr='10.0.0.0/24').json['subnet']
        path = '/subnets/' + subnet['id']

        response = self.net.put(path, {'subnet': {'name': 'new'}})
        self.assertEqual('new', response.json['subnet']['name'])

        port = self.make_port(self.network_id)
        self.assertFault(self.net.delete(path), 409, 'conflict')
        self.net.delete('/ports/' + port['id'])
        self.assertEqual(204, self.net.delete(path).status_int)
        self.assertEqual([], self.net.get(
            '/networks/' + self.network_id).json['network']['subnets'])


class PortsTest(NetworkAPITestBase):

    scenarios = functional.DB_SCENARIOS

    def setUp(self):
        super().setUp()
        self.network_id = self.make_network(cidr='192.168.6.0/24')

    def test_create_and_show(self):
        port = self.make_port(self.network_id, name='p')

        self.assertEqual(
            {'name': 'p', 'network_id': self.network_id, 'device_id': '',
             'device_owner': '', 'status': 'DOWN',
             'tenant_id': self.project_id, 'admin_state_up': True},
            {key: port[key] for key in (
                'name', 'network_id', 'device_id', 'device_owner',
                'status', 'tenant_id', 'admin_state_up')})
        self.assertEqual(['192.168.6.2'], [item['ip_address']
                                           for item in port['fixed_ips']])
        self.assertTrue(port['mac_address'].startswith('aa:00:0'))
        self.assertEqual(port, self.net.get('/ports/' + port['id'])
                         .json['port'])

    def test_fixed_ips(self):
        subnet_id = self.net.get('/networks/' + self.network_id).json[
            'network']['subnets'][0]

        port = self.make_port(self.network_id, fixed_ips=[
            {'subnet_id': subnet_id, 'ip_address': '192.168.6.40'}])
        self.assertEqual([{'subnet_id': subnet_id,
                           'ip_address': '192.168.6.40'}],
                         port['fixed_ips'])
        port = self.make_port(self.network_id, fixed_ips=[])
        self.assertEqual([], port['fixed_ips'])

        for fixed_ips, code in (
                ([{'ip_address': '192.168.6.40'}], 409),
                ([{'ip_address': '192.168.7.40'}], 400),
                ([{'subnet_id': 'other'}], 400),
                ([{'subnet_id': subnet_id, 'ip_address': '10.0.0.1'}], 400),
                ([{'subnet_id': subnet_id}, {'subnet_id': subnet_id}], 400),
                ([{}], 400)):
            response = self.net.post('/ports', {'port': {
                'network_id': self.network_id, 'fixed_ips': fixed_ips}})
            self.assertEqual(code, response.status_int, fixed_ips)

    def test_on_the_public_network(self):
        port = self.make_port(self.public_id)

        self.assertEqual(2, len(port['fixed_ips']))
        server = self.create_server(networks=[{'port': port['id']}])
        self.assertEqual(port['id'],
                         server.json['server']['attachments'][0]['id'])

    def test_device_id_filter(self):
        free = self.make_port(self.network_id)
        server_id = self.new_server(networks=[{'uuid': self.network_id}])

        def listed(query):
            return [(item['device_id'], item['network_id']) for item in
                    self.net.get('/ports?' + query).json['ports']]

        self.assertEqual([(server_id, self.network_id)],
                         listed('device_id=' + server_id))
        self.assertEqual([('', self.network_id)], listed('device_id='))
        self.assertEqual([], listed('device_id=abc'))
        self.assertEqual(2, len(listed('network_id=' + self.network_id)))
        self.assertEqual([free['id']], [
            item['id'] for item in self.net.get(
                '/ports?device_owner=&network_id=' + self.network_id)
            .json['ports']])

    def test_rename_and_delete(self):
        port = self.make_port(self.network_id)
        path = '/ports/' + port['id']

        response = self.net.put(path, {'port': {'name': 'eth9'}})
        self.assertEqual(('eth9', 200),
                         (response.json['port']['name'],
                          response.status_int))
        self.assertEqual(204, self.net.delete(path).status_int)
        self.assertFault(self.net.get(path), 404, 'itemNotFound')

    def test_port_on_a_server_stays(self):
        port = self.make_port(self.network_id)
        self.new_server(networks=[{'port': port['id']}])

        self.assertFault(self.net.delete('/ports/' + port['id']), 409,
                         'conflict', 'in use')

    def test_another_project(self):
        other = self.other_net()
        theirs = self.make_port(self.public_id, client=other)
        mine = self.make_port(self.network_id)

        self.assertFault(self.net.get('/ports/' + theirs['id']), 404,
                         'itemNotFound')
        self.assertFault(other.delete('/ports/' + mine['id']), 404,
                         'itemNotFound')
        self.assertFault(other.post('/ports', {'port': {
            'network_id': self.network_id}}), 404, 'itemNotFound')
        self.assertEqual([mine['id']], [
            item['id'] for item in self.net.get('/ports').json['ports']])


class FloatingIPsTest(NetworkAPITestBase):

    scenarios = functional.DB_SCENARIOS
    start_compute = True

    def take(self, client=None, **values):
        values.setdefault('floating_network_id', self.public_id)
        return (client or self.net).post('/floatingips',
                                         {'floatingip': values})

    def taken(self, **values):
        response = self.take(**values)
        self.assertEqual(200, response.status_int, response.body)
        return response.json['floatingip']

    def test_take_show_list_give_back(self):
        floating = self.taken()

        self.assertEqual(
            {'floating_ip_address': '10.0.0.2',
             'floating_network_id': self.public_id, 'port_id': None,
             'fixed_ip_address': None, 'status': 'DOWN',
             'tenant_id': self.project_id, 'router_id': None},
            {key: floating[key] for key in (
                'floating_ip_address', 'floating_network_id', 'port_id',
                'fixed_ip_address', 'status', 'tenant_id', 'router_id')})
        path = '/floatingips/' + floating['id']
        self.assertEqual(floating, self.net.get(path).json['floatingip'])
        self.assertEqual([floating], self.net.get(
            '/floatingips?floating_ip_address=10.0.0.2')
            .json['floatingips'])

        self.assertEqual(204, self.net.delete(path).status_int)
        self.assertFault(self.net.get(path), 404, 'itemNotFound')
        self.assertEqual([], self.net.get('/floatingips')
                         .json['floatingips'])

    def test_refused(self):
        self.taken(floating_ip_address='10.0.0.9')
        private = self.make_network()

        for values, code in (
                ({'floating_ip_address': '10.0.0.9'}, 409),
                ({'floating_ip_address': '10.0.0.1'}, 409),
                ({'floating_ip_address': '10.1.0.9'}, 400),
                ({'floating_network_id': private}, 400),
                ({'floating_network_id': 'nothing'}, 404),
                ({'port_id': 'some-port'}, 400)):
            self.assertEqual(code, self.take(**values).status_int, values)

    def test_quota(self):
        self.flags(group='quota', floating_ip=1)
        floating = self.taken()

        self.assertFault(self.take(), 413, 'overLimit',
                         'cyclades.floating_ip')
        absolute = self.api.get('/limits').json['limits']['absolute']
        self.assertEqual((1, 1), (absolute['maxTotalFloatingIps'],
                                  absolute['totalFloatingIpsUsed']))
        self.net.delete('/floatingips/' + floating['id'])
        self.taken()
        with transaction(writer=True) as session:
            self.assertEqual([], quota.verify(session))

    def test_another_project(self):
        other = self.other_net()
        theirs = self.take(client=other).json['floatingip']

        self.assertFault(self.net.get('/floatingips/' + theirs['id']), 404,
                         'itemNotFound')
        self.assertFault(self.net.delete('/floatingips/' + theirs['id']),
                         404, 'itemNotFound')
        self.assertEqual([], self.net.get('/floatingips')
                         .json['floatingips'])
        self.assertFault(self.create_server(networks=[{
            'uuid': self.public_id, 'fixed_ip': '10.0.0.2'}]), 409,
            'conflict', 'in use')

    def test_on_a_server(self):
        floating = self.taken(floating_ip_address='10.0.0.77')
        path = '/floatingips/' + floating['id']

        server_id = self.new_server(networks=[{
            'uuid': self.public_id, 'fixed_ip': '10.0.0.77'}])

        attachment, = self.server(server_id)['attachments']
        self.assertEqual(('10.0.0.77', 'floating'),
                         (attachment['ipv4'], attachment['OS-EXT-IPS:type']))
        shown = self.net.get(path).json['floatingip']
        self.assertEqual((attachment['id'], '10.0.0.77', 'ACTIVE'),
                         (shown['port_id'], shown['fixed_ip_address'],
                          shown['status']))
        self.assertEqual([shown], self.net.get(
            '/floatingips?port_id=' + attachment['id'])
            .json['floatingips'])
        self.assertFault(self.net.delete(path), 409, 'conflict')
        self.assertFault(self.net.put(path, {'floatingip': {
            'port_id': None}}), 400, 'badRequest', 'fixed_ip')
        self.assertEqual(200, self.net.put(path, {'floatingip': {
            'port_id': attachment['id']}}).status_int)

        self.delete_now(server_id)
        shown = self.net.get(path).json['floatingip']
        self.assertEqual((None, 'DOWN'), (shown['port_id'],
                                          shown['status']))
        self.assertEqual('10.0.0.77', self.create_server(networks=[{
            'uuid': self.public_id, 'fixed_ip': '10.0.0.77'}])
            .json['server']['attachments'][0]['ipv4'])

    def test_through_a_port(self):
        self.taken(floating_ip_address='10.0.0.66')

        port = self.make_port(self.public_id, fixed_ips=[
            {'ip_address': '10.0.0.66'}])

        self.assertEqual(['10.0.0.66'], [item['ip_address']
                                         for item in port['fixed_ips']])
        self.assertEqual(204, self.net.delete('/ports/' + port['id'])
                         .status_int)
        self.assertEqual(['10.0.0.66'], [
            item['floating_ip_address'] for item in
            self.net.get('/floatingips').json['floatingips']])

    def test_public_addresses_need_a_floating_ip(self):
        self.assertFault(self.create_server(networks=[{
            'uuid': self.public_id, 'fixed_ip': '10.0.0.50'}]), 409,
            'conflict', 'not a floating IP')
        self.assertFault(self.net.post('/ports', {'port': {
            'network_id': self.public_id,
            'fixed_ips': [{'ip_address': '10.0.0.50'}]}}), 409,
            'conflict', 'not a floating IP')
