"""Subnet addresses: pools, reserved addresses and allocation."""

import ipaddress
import threading
import types

import testscenarios

from cyclades.db import models
from cyclades.db.session import transaction
from cyclades import exception
from cyclades.network import ipam
from cyclades.network import ports
from tests import base
from tests import db_fixtures

load_tests = testscenarios.load_tests_apply_scenarios

DB_SCENARIOS = [
    ('sqlite', {'backend': 'sqlite'}),
    ('postgresql', {'backend': 'postgresql'}),
]


def _net(cidr):
    return ipaddress.ip_network(cidr)


def _ip(text):
    return ipaddress.ip_address(text)


def _subnet(cidr, gateway, pools=None):
    network = _net(cidr)
    gateway = _ip(gateway) if gateway else None
    return types.SimpleNamespace(
        cidr=cidr, gateway_ip=str(gateway) if gateway else None,
        ip_version=network.version,
        allocation_pools=(pools if pools is not None
                          else ipam.default_pools(network, gateway)))


class RangeTest(base.TestCase):

    def test_parse_cidr(self):
        self.assertEqual(_net('10.0.0.0/24'), ipam.parse_cidr('10.0.0.0/24'))
        self.assertEqual(_net('2001:db8::/64'),
                         ipam.parse_cidr('2001:db8::/64', 6))
        for cidr, version in (('10.0.0.1/24', None), ('10.0.0.0/31', None),
                              ('2001:db8::/80', None), ('nonsense', None),
                              ('10.0.0.0/24', 6), ('2001:db8::/64', 4)):
            self.assertRaises(exception.Invalid, ipam.parse_cidr, cidr,
                              version)

    def test_default_pools_leave_out_the_gateway(self):
        network = _net('10.0.0.0/24')

        self.assertEqual([{'start': '10.0.0.2', 'end': '10.0.0.254'}],
                         ipam.default_pools(network, _ip('10.0.0.1')))
        self.assertEqual([{'start': '10.0.0.1', 'end': '10.0.0.99'},
                          {'start': '10.0.0.101', 'end': '10.0.0.254'}],
                         ipam.default_pools(network, _ip('10.0.0.100')))
        self.assertEqual([{'start': '10.0.0.1', 'end': '10.0.0.254'}],
                         ipam.default_pools(network, None))

    def test_gateway(self):
        network = _net('10.0.0.0/24')

        self.assertEqual(_ip('10.0.0.9'),
                         ipam.check_gateway(network, '10.0.0.9'))
        self.assertIsNone(ipam.check_gateway(network, None))
        for gateway in ('10.0.1.1', '10.0.0.0', '10.0.0.255', '::1', 'x'):
            self.assertRaises(exception.Invalid, ipam.check_gateway,
                              network, gateway)

    def test_pools_given_are_sorted(self):
        pools = ipam.check_pools(
            _net('10.0.0.0/24'), _ip('10.0.0.1'),
            [{'start': '10.0.0.100', 'end': '10.0.0.200'},
             {'start': '10.0.0.10', 'end': '10.0.0.10'}])

        self.assertEqual([{'start': '10.0.0.10', 'end': '10.0.0.10'},
                          {'start': '10.0.0.100', 'end': '10.0.0.200'}],
                         pools)

    def test_bad_pools(self):
        network, gateway = _net('10.0.0.0/24'), _ip('10.0.0.1')
        for pools in ([{'start': '10.0.0.9', 'end': '10.0.0.5'}],
                      [{'start': '10.0.0.0', 'end': '10.0.0.5'}],
                      [{'start': '10.0.0.5', 'end': '10.0.0.255'}],
                      [{'start': '10.0.0.5', 'end': '10.0.1.5'}],
                      [{'start': '10.0.0.1', 'end': '10.0.0.5'}],
                      [{'start': '10.0.0.2', 'end': '10.0.0.9'},
                       {'start': '10.0.0.9', 'end': '10.0.0.20'}],
                      [{'start': '2001:db8::2', 'end': '2001:db8::9'}],
                      [{'start': 'a', 'end': '10.0.0.9'}]):
            self.assertRaises(exception.Invalid, ipam.check_pools,
                              network, gateway, pools)

    def test_candidates_lowest_first_without_reserved(self):
        subnet = _subnet('192.0.2.0/29', '192.0.2.3', pools=[
            {'start': '192.0.2.5', 'end': '192.0.2.7'},
            {'start': '192.0.2.1', 'end': '192.0.2.3'}])

        # Pools may come from older rules; the gateway and the
        # broadcast address are skipped all the same.
        self.assertEqual(['192.0.2.1', '192.0.2.2', '192.0.2.5',
                          '192.0.2.6'],
                         [str(address)
                          for address in ipam.candidates(subnet)])

    def test_subnet_of(self):
        v4 = _subnet('10.0.0.0/24', '10.0.0.1')
        v6 = _subnet('2001:db8::/64', '2001:db8::1')

        self.assertIs(v4, ipam.subnet_of([v6, v4], _ip('10.0.0.7')))
        self.assertIs(v6, ipam.subnet_of([v4, v6], _ip('2001:db8::7')))
        self.assertIsNone(ipam.subnet_of([v4, v6], _ip('10.0.1.7')))


class DatabaseTestBase(base.TestCase):
    """A private network with an IPv4 /28 and an IPv6 /64."""

    def setUp(self):
        super().setUp()
        self.useFixture(db_fixtures.Database(self.config_fixture,
                                             self.backend))
        with transaction(writer=True) as session:
            project = models.Project(name='owner')
            session.add(project)
            session.flush()
            network = models.Network(name='net', project_id=project.id)
            session.add(network)
            session.flush()
            self.project_id, self.network_id = project.id, network.id
            self.v4 = self.add_subnet(session, '192.0.2.0/28',
                                      '192.0.2.1')
            self.v6 = self.add_subnet(session, '2001:db8::/64',
                                      '2001:db8::1')

    def add_subnet(self, session, cidr, gateway):
        network = _net(cidr)
        subnet = models.Subnet(
            network_id=self.network_id, ip_version=network.version,
            cidr=cidr, gateway_ip=gateway,
            allocation_pools=ipam.default_pools(network, _ip(gateway)))
        session.add(subnet)
        session.flush()
        return subnet.id

    def new_port(self, fixed_ip=None, subnet_ids=None, project_id=None):
        """Make a port the way the API does; return its addresses."""
        with transaction(writer=True) as session:
            network = session.get(models.Network, self.network_id)
            subnets = list(ipam.lock_subnets(
                session, subnet_ids or [self.v4, self.v6]).values())
            port = ports.create(session, network,
                                project_id or self.project_id, subnets,
                                fixed_ip=fixed_ip)
            return port.id, port.mac_address, sorted(
                allocation.address for allocation in port.allocations)


class AllocationTest(DatabaseTestBase):
    """Allocation in the database, alone and from racing threads."""

    scenarios = DB_SCENARIOS

    def test_lowest_free_first_and_eui64(self):
        _id, mac, addresses = self.new_port()

        octets = bytes.fromhex(mac.replace(':', ''))
        identifier = '%02x%02x:%02xff:fe%02x:%02x%02x' % (
            octets[0] ^ 2, octets[1], octets[2], octets[3], octets[4],
            octets[5])
        self.assertEqual('192.0.2.2', addresses[0])
        self.assertEqual(_ip('2001:db8::' + identifier), _ip(addresses[1]))
        self.assertEqual('192.0.2.3', self.new_port()[2][0])

    def test_released_addresses_return_lowest_first(self):
        first = self.new_port(subnet_ids=[self.v4])
        self.new_port(subnet_ids=[self.v4])

        with transaction(writer=True) as session:
            ports.delete(session, [first[0]])

        self.assertEqual(['192.0.2.2'],
                         self.new_port(subnet_ids=[self.v4])[2])

    def test_fixed_addresses(self):
        _id, _mac, addresses = self.new_port(fixed_ip=_ip('192.0.2.9'))
        self.assertIn('192.0.2.9', addresses)
        # A fixed IPv4 address still gets the host's own IPv6 one.
        self.assertEqual(2, len(addresses))

        _id, _mac, addresses = self.new_port(
            fixed_ip=_ip('2001:db8::99'))
        self.assertEqual(['2001:db8::99'], addresses)

        for address, error in (('192.0.2.9', exception.Conflict),
                               ('192.0.2.1', exception.Conflict),
                               ('2001:db8::99', exception.Conflict),
                               ('192.0.2.0', exception.Invalid),
                               ('192.0.2.15', exception.Invalid)):
            self.assertRaises(error, self.new_port, _ip(address))

    def test_failed_allocation_leaves_nothing(self):
        self.new_port(fixed_ip=_ip('192.0.2.9'))

        self.assertRaises(exception.Conflict, self.new_port,
                          _ip('192.0.2.9'))
        with transaction() as session:
            self.assertEqual(1, session.query(models.Port).count())
            self.assertEqual(2, session.query(models.IPAllocation).count())

    def test_exhausted(self):
        # 13 host addresses: 14 hosts in a /28 less the gateway.
        got = [self.new_port(subnet_ids=[self.v4])[2][0]
               for _ in range(13)]

        self.assertEqual(['192.0.2.%d' % i for i in range(2, 15)], got)
        self.assertRaises(exception.Conflict, self.new_port,
                          subnet_ids=[self.v4])

    def test_concurrent_requests_never_share_an_address(self):
        threads = 16
        barrier = threading.Barrier(threads)
        results, errors = [], []

        def take():
            barrier.wait()
            try:
                results.append(self.new_port(subnet_ids=[self.v4])[2][0])
            except exception.Conflict as exc:
                errors.append(exc)

        workers = [threading.Thread(target=take) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

        self.assertEqual(sorted(['192.0.2.%d' % i for i in range(2, 15)],
                                key=_ip),
                         sorted(results, key=_ip))
        self.assertEqual(3, len(errors))

    def test_macs_are_unique_even_when_the_random_part_repeats(self):
        made = iter(['aa:00:00:00:00:01', 'aa:00:00:00:00:01',
                     'aa:00:00:00:00:02'])
        self.patch(ports.macs, 'random_mac', lambda: next(made))

        first = self.new_port(subnet_ids=[self.v4])
        second = self.new_port(subnet_ids=[self.v4])

        self.assertEqual(('aa:00:00:00:00:01', 'aa:00:00:00:00:02'),
                         (first[1], second[1]))
        self.assertEqual(['192.0.2.3'], second[2])


class FloatingIPTest(DatabaseTestBase):
    """Floating IPs: public addresses that projects keep."""

    scenarios = DB_SCENARIOS

    def setUp(self):
        super().setUp()
        with transaction(writer=True) as session:
            session.get(models.Network, self.network_id).public = True
            other = models.Project(name='other')
            session.add(other)
            session.flush()
            self.other_id = other.id

    def take(self, address=None, project_id=None):
        with transaction(writer=True) as session:
            subnet = ipam.lock_subnets(session, [self.v4])[self.v4]
            return ipam.allocate_floating(
                session, subnet, project_id or self.project_id,
                _ip(address) if address else None).address

    def floating(self):
        with transaction() as session:
            return [(row.address, row.port_id is not None) for row in
                    session.query(models.IPAllocation).filter_by(
                        floating=True).order_by(models.IPAllocation.id)]

    def test_lowest_free_or_asked_for(self):
        self.assertEqual('192.0.2.2', self.take())
        self.assertEqual('192.0.2.9', self.take('192.0.2.9'))
        self.assertEqual('192.0.2.3', self.take(project_id=self.other_id))
        self.assertRaises(exception.Conflict, self.take, '192.0.2.9')
        self.assertRaises(exception.Conflict, self.take, '192.0.2.1')

    def test_public_addresses_are_asked_for_as_floating_ips(self):
        self.assertRaises(exception.Conflict, self.new_port,
                          _ip('192.0.2.5'), [self.v4])
        self.take('192.0.2.5', project_id=self.other_id)
        self.assertRaises(exception.Conflict, self.new_port,
                          _ip('192.0.2.5'), [self.v4])

    def test_a_port_takes_it_and_gives_it_back(self):
        self.take('192.0.2.5')

        port_id, _mac, addresses = self.new_port(_ip('192.0.2.5'),
                                                 [self.v4])
        self.assertEqual(['192.0.2.5'], addresses)
        self.assertEqual([('192.0.2.5', True)], self.floating())
        self.assertRaises(exception.Conflict, self.new_port,
                          _ip('192.0.2.5'), [self.v4])

        with transaction(writer=True) as session:
            ports.delete(session, [port_id])
        self.assertEqual([('192.0.2.5', False)], self.floating())
        # Still the project's: the pool does not hand it out.
        self.assertEqual(['192.0.2.2'],
                         self.new_port(subnet_ids=[self.v4])[2])
