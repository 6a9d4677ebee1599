"""Firewall profiles of ports: the action's rules and the host's part."""

from unittest import mock

from cyclades.compute import actions
from cyclades.compute.drivers import fake
from cyclades.compute import manager
from cyclades.db import models
from cyclades.db.session import transaction
from cyclades import demo
from cyclades import exception
from tests.unit.compute import base


class FirewallTestCase(base.ComputeTestCase):

    def add_port(self, server_id):
        with transaction(writer=True) as session:
            network = session.query(models.Network).filter_by(
                name=demo.PUBLIC_NETWORK['name']).one()
            port = models.Port(network_id=network.id, server_id=server_id,
                               project_id=self.context.project_id,
                               mac_address='aa:00:00:00:00:%02x'
                               % server_id)
            session.add(port)
            session.flush()
            return port.id

    def profile(self, port_id):
        with transaction() as session:
            return session.get(models.Port, port_id).firewall_profile

    def messages(self, server_id):
        return [(entry.level, entry.message)
                for entry in self.diagnostics(server_id)]


class FirewallActionTest(FirewallTestCase):

    def setUp(self):
        super().setUp()
        self.add_host('host-1')
        self.compute = mock.Mock()
        self.actions = actions.ActionAPI(self.compute)
        self.server_id = self.add_server()
        self.port_id = self.add_port(self.server_id)

    def test_stored_and_cast_to_the_host(self):
        self.actions.set_firewall_profile(self.context, self.server_id,
                                          self.port_id, 'ENABLED')

        self.assertEqual('ENABLED', self.profile(self.port_id))
        self.compute.rpc.set_firewall_profile.assert_called_once_with(
            self.context, 'host-1', self.server_id, self.port_id,
            'ENABLED')

    def test_port_of_another_server(self):
        other = self.add_server()
        other_port = self.add_port(other)

        self.assertRaises(exception.NicNotFound,
                          self.actions.set_firewall_profile, self.context,
                          self.server_id, other_port, 'ENABLED')
        self.assertEqual('DISABLED', self.profile(other_port))

    def test_host_down(self):
        self.add_host('dead', heartbeat_age=3600)
        server_id = self.add_server(host='dead')
        port_id = self.add_port(server_id)

        self.actions.set_firewall_profile(self.context, server_id, port_id,
                                          'PROTECTED')

        self.assertEqual('DISABLED', self.profile(port_id))
        self.assertFalse(self.compute.rpc.set_firewall_profile.called)
        self.assertIn('WARNING', [level for level, _message
                                  in self.messages(server_id)])

    def test_broker_unreachable_undoes_the_change(self):
        self.compute.rpc.set_firewall_profile.side_effect = (
            exception.MessagingError(reason='down'))

        self.assertRaises(exception.MessagingError,
                          self.actions.set_firewall_profile, self.context,
                          self.server_id, self.port_id, 'ENABLED')

        self.assertEqual('DISABLED', self.profile(self.port_id))
        self.assertEqual('ERROR', self.messages(self.server_id)[0][0])


class FirewallHostTest(FirewallTestCase):

    def setUp(self):
        super().setUp()
        self.flags(group='fake_driver', action_time=0, build_time=0)
        self.driver = fake.FakeDriver()
        self.manager = manager.ComputeManager('host-1', self.driver)
        self.server_id = self.add_server()
        self.driver.spawn(manager.server_spec(self.server(self.server_id)),
                          'secret')

    def test_driver_applies_it(self):
        self.manager.set_firewall_profile(self.context, self.server_id,
                                          'port-1', 'PROTECTED')

        self.assertEqual({'port-1': 'PROTECTED'},
                         self.driver.servers[self.server_id]['firewall'])
        self.assertEqual(('INFO', 'Firewall profile PROTECTED applied to '
                                  'port port-1'),
                         self.messages(self.server_id)[0])

    def test_driver_failure_is_recorded(self):
        self.flags(group='fake_driver', fail_on=['set_firewall_profile'])

        self.manager.set_firewall_profile(self.context, self.server_id,
                                          'port-1', 'ENABLED')

        self.assertEqual(('ERROR', 'Firewall profile of port port-1 not '
                                   'applied'),
                         self.messages(self.server_id)[0])
        self.assertEqual('ACTIVE', self.server(self.server_id).status)

    def test_deleted_server_is_left_alone(self):
        deleted = self.add_server(status='DELETED', deleted=True)

        self.manager.set_firewall_profile(self.context, deleted, 'port-1',
                                          'ENABLED')

        self.assertEqual([], self.messages(deleted))
