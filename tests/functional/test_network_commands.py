"""cyclades-manage network: create-public, list and delete."""

import testscenarios

from cyclades.db import models
from cyclades.db.session import transaction
from cyclades import quota
from tests.unit.cmd import test_manage

load_tests = testscenarios.load_tests_apply_scenarios


def networks():
    with transaction() as session:
        return {network.name: (network.public, sorted(
            (subnet.cidr, subnet.gateway_ip) for subnet in network.subnets))
            for network in session.query(models.Network)}


class NetworkCommandsTest(test_manage.ManageTestCase):

    scenarios = test_manage.DB_SCENARIOS

    def test_create_public(self):
        status, out, _err = self.manage(
            'network', 'create-public', 'pub', '--cidr', '192.0.2.0/24',
            '--ipv6-cidr', '2001:db8::/64')

        self.assertEqual(0, status)
        self.assertIn('Created public network', out)
        self.assertEqual({'pub': (True, [('192.0.2.0/24', '192.0.2.1'),
                                         ('2001:db8::/64', '2001:db8::1')])},
                         networks())

    def test_gateway_options(self):
        self.manage('network', 'create-public', 'a', '--cidr',
                    '192.0.2.0/24', '--gateway', '192.0.2.254')
        self.manage('network', 'create-public', 'b', '--cidr',
                    '198.51.100.0/24', '--no-gateway')

        self.assertEqual({'a': (True, [('192.0.2.0/24', '192.0.2.254')]),
                          'b': (True, [('198.51.100.0/24', None)])},
                         networks())

    def test_refused(self):
        self.manage('network', 'create-public', 'a', '--cidr',
                    '192.0.2.0/24')

        self.assertFails('overlaps', 'network', 'create-public', 'b',
                         '--cidr', '192.0.2.128/25')
        self.assertFails('cidr', 'network', 'create-public', 'c',
                         '--cidr', 'nonsense')
        self.assertFails('gateway_ip', 'network', 'create-public', 'd',
                         '--cidr', '198.51.100.0/24', '--gateway',
                         '192.0.2.1')
        self.assertEqual(['a'], list(networks()))

    def test_list_and_delete(self):
        self.manage('network', 'create-public', 'pub', '--cidr',
                    '192.0.2.0/24')
        with transaction(writer=True) as session:
            project = models.Project(name='tenant')
            session.add(project)
            session.flush()
            quota.charge(session, project.id, {quota.NETWORK_PRIVATE: 1})
            session.add(models.Network(name='private',
                                       project_id=project.id))

        status, out, _err = self.manage('network', 'list')
        self.assertEqual(0, status)
        lines = out.splitlines()
        self.assertEqual(['ID', 'NAME', 'PUBLIC', 'PROJECT', 'IPV4', 'IPV6',
                          'PORTS'], lines[0].split())
        self.assertIn('192.0.2.0/24 (gw 192.0.2.1)', lines[1])
        self.assertIn('private', lines[2])

        for name in ('pub', 'private'):
            status, out, _err = self.manage('network', 'delete', name)
            self.assertEqual(0, status)
            self.assertIn('Deleted network', out)
        self.assertEqual({}, networks())
        with transaction(writer=True) as session:
            self.assertEqual([], quota.verify(session))
        self.assertFails('not found', 'network', 'delete', 'pub')
