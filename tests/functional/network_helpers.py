"""What the networking tests share: a client of the network service
and shortcuts to make networks, subnets and ports through it."""

from cyclades.db import models
from cyclades.db.session import transaction
from cyclades import demo
from tests.functional import base as functional

PREFIX = '/network/v2.0'


class NetworkTestMixin:
    """Helpers for a FunctionalTestCase about networking.

    ``self.net`` calls /network/v2.0 as the demo user.
    """

    def setUp(self):
        super().setUp()
        self.net = functional.APIClient(self.app, self.api.token,
                                        prefix=PREFIX)
        with transaction() as session:
            self.public = session.query(models.Network).filter_by(
                name=demo.PUBLIC_NETWORK['name']).one()
            self.public_id = self.public.id

    def other_net(self, name='other'):
        """A client of the network service of another project."""
        _user, _project, token = functional.make_identity(name)
        return functional.APIClient(self.app, token, prefix=PREFIX)

    def make_network(self, cidr='192.168.1.0/24', client=None, ipv6=None,
                     **subnet):
        """A private network with an IPv4 subnet; return its id."""
        client = client or self.net
        response = client.post('/networks', {'network': {'name': 'net'}})
        self.assertEqual(201, response.status_int, response.body)
        network_id = response.json['network']['id']
        body = dict(network_id=network_id, cidr=cidr, ip_version=4,
                    **subnet)
        response = client.post('/subnets', {'subnet': body})
        self.assertEqual(201, response.status_int, response.body)
        if ipv6 is not None:
            response = client.post('/subnets', {'subnet': {
                'network_id': network_id, 'cidr': ipv6, 'ip_version': 6}})
            self.assertEqual(201, response.status_int, response.body)
        return network_id

    def make_port(self, network_id, client=None, **values):
        """A free port; return its body."""
        values['network_id'] = network_id
        response = (client or self.net).post('/ports', {'port': values})
        self.assertEqual(201, response.status_int, response.body)
        return response.json['port']

    def ports_of(self, network_id):
        with transaction() as session:
            return session.query(models.Port).filter_by(
                network_id=network_id).count()
