"""The network connections of servers: their ports.

A create request names the connections it wants (``networks``) or
leaves them to the default policy (``[network] default_policy``).
``Connections.plan`` checks what the request refers to before the
server is made; ``connect`` makes or attaches the ports in the same
transaction as the server, so that a create that fails leaves nothing
allocated; ``disconnect`` deletes them with the server.
"""

import dataclasses
import ipaddress
import logging

import sqlalchemy as sa

from cyclades import conf
from cyclades.db import models
from cyclades import exception
from cyclades.network import ipam
from cyclades.network import ports
from cyclades.network import queries

LOG = logging.getLogger(__name__)
CONF = conf.CONF

#: Most network connections (ports) one server may have.
MAX_PORTS = 8


@dataclasses.dataclass
class Request:
    """One connection a new server is to get.

    :param networks: where a new port may go.
    :param port: an existing free port to attach instead.
    :param fixed_ip: the ``ipaddress`` address the new port asks for.
    :param any_public: the default connection: the first of
        ``networks`` with a free IPv4 address wins.
    """

    networks: list = dataclasses.field(default_factory=list)
    port: models.Port | None = None
    fixed_ip: ipaddress.IPv4Address | ipaddress.IPv6Address | None = None
    any_public: bool = False


@dataclasses.dataclass(frozen=True)
class Nic:
    """A port of a server as its views show it."""

    server_id: int
    id: str
    network_id: str
    network_name: str
    mac_address: str
    firewall_profile: str
    ipv4: str = ''
    ipv6: str = ''
    #: 'floating' when the port holds a floating IP, else 'fixed'.
    ip_type: str = 'fixed'


class Connections:
    """Ports of new servers, by request or by the default policy."""

    def __init__(self):
        # A deployment without a public network is told once, not on
        # every create.
        self._warned = False

    def plan(self, session, project_id, networks):
        """Check the connections a create request asks for.

        :param project_id: the project of the new server, which must be
            able to see the networks and own the ports.
        :param networks: the request's ``networks`` (shapes already
            checked), or None for the default policy.
        :returns: a list of ``Request``.
        :raises Invalid: too many entries, or a fixed IP outside its
            network's subnets.
        :raises NetworkNotFound, PortNotFound:
        :raises Conflict: a port that is in use.
        """
        if networks is None:
            return self._default(session)
        if len(networks) > MAX_PORTS:
            raise exception.Invalid(
                reason='%d networks asked for; a server may have at most '
                       '%d ports' % (len(networks), MAX_PORTS))

        requests = []
        for entry in networks:
            if 'port' in entry:
                port = queries.port_get(session, entry['port'], project_id)
                if port.server_id is not None or port.id in {
                        request.port.id for request in requests
                        if request.port is not None}:
                    raise exception.Conflict(reason='port %s is in use'
                                             % port.id)
                requests.append(Request(port=port))
                continue

            network = queries.network_get(session, entry['uuid'],
                                          project_id)
            fixed_ip = None
            if 'fixed_ip' in entry:
                fixed_ip = ipam.parse_address(entry['fixed_ip'],
                                              'fixed_ip')
                if ipam.subnet_of(network.subnets, fixed_ip) is None:
                    raise exception.Invalid(
                        reason='fixed_ip %s is not in a subnet of '
                               'network %s' % (fixed_ip, network.id))
            requests.append(Request(networks=[network], fixed_ip=fixed_ip))
        return requests

    def _default(self, session):
        if CONF.network.default_policy == 'none':
            return []
        public = [network for network in
                  queries.network_list(session, public=True)
                  if any(subnet.ip_version == 4
                         for subnet in network.subnets)]
        if not public:
            if not self._warned:
                LOG.warning('No public network has an IPv4 subnet; new '
                            'servers get no network connection unless '
                            'they ask for one')
                self._warned = True
            return []
        return [Request(networks=public, any_public=True)]

    def connect(self, session, server_id, project_id, requests):
        """Make or attach the ports of a new server.

        Call it in the transaction that made the server, after the
        project's quota was charged (which locks the project's row):
        networks and subnets are locked after it.

        :returns: the server's ports, in the order of ``requests``.
        :raises Conflict: an address asked for is taken, a network has
            no free address, or a port was taken meanwhile.
        :raises ServiceUnavailable: no public network has a free IPv4
            address for the default connection.
        :raises NetworkNotFound: a network was deleted meanwhile.
        """
        network_ids = {network.id for request in requests
                       for network in request.networks}
        queries.lock_networks(session, network_ids)
        subnets = ipam.lock_network_subnets(session, network_ids)

        made = []
        for index, request in enumerate(requests):
            if request.port is not None:
                ports.attach(session, request.port, server_id, index)
                made.append(request.port)
                continue
            network = self._choose(session, request, subnets)
            made.append(ports.create(
                session, network, project_id,
                subnets.get(network.id, []), fixed_ip=request.fixed_ip,
                server_id=server_id, nic_index=index))
        return made

    @staticmethod
    def _choose(session, request, subnets):
        """The network of a new port: the one asked for, or the first
        public one with a free IPv4 address."""
        if not request.any_public:
            return request.networks[0]
        for network in request.networks:
            for subnet in subnets.get(network.id, []):
                if (subnet.ip_version == 4
                        and ipam.lowest_free(session, subnet) is not None):
                    return network
        raise exception.ServiceUnavailable(
            reason='no public network has a free IPv4 address')


def disconnect(session, server_id):
    """Delete a server's ports, giving their addresses back."""
    Port = models.Port
    port_ids = list(session.scalars(sa.select(Port.id).where(
        Port.server_id == server_id)))
    ports.delete(session, port_ids)


def server_port(session, server_id, port_id):
    """A port of the server.

    :raises NicNotFound: the server has no such port.
    """
    Port = models.Port
    port = session.scalars(sa.select(Port).where(
        Port.id == str(port_id), Port.server_id == server_id)).first()
    if port is None:
        raise exception.NicNotFound()
    return port


def set_firewall_profile(session, port_id, profile, expected=None):
    """Set a port's firewall profile; with ``expected``, only while
    the port still has that one, so that a newer change stays."""
    Port = models.Port
    query = sa.update(Port).where(Port.id == port_id)
    if expected is not None:
        query = query.where(Port.firewall_profile == expected)
    session.execute(query.values(firewall_profile=profile),
                    execution_options={'synchronize_session': False})


def nics(session, server_ids):
    """Map server id → its ports as ``Nic`` items, in their order.

    One query, whatever the number of servers: the listing of servers
    with details calls this for a whole page.
    """
    if not server_ids:
        return {}
    Port, Network = models.Port, models.Network
    IP, Subnet = models.IPAllocation, models.Subnet
    rows = session.execute(
        sa.select(Port.server_id, Port.id, Port.network_id, Network.name,
                  Port.mac_address, Port.firewall_profile, IP.address,
                  Subnet.ip_version, IP.floating)
        .join(Network, Port.network_id == Network.id)
        .outerjoin(IP, IP.port_id == Port.id)
        .outerjoin(Subnet, Subnet.id == IP.subnet_id)
        .where(Port.server_id.in_(sorted(set(server_ids))))
        .order_by(Port.server_id, Port.nic_index, Port.created_at, Port.id,
                  IP.id))

    found = {}
    for (server_id, port_id, network_id, network_name, mac, profile,
         address, version, floating) in rows:
        fields = found.setdefault((server_id, port_id), dict(
            server_id=server_id, id=port_id, network_id=network_id,
            network_name=network_name, mac_address=mac,
            firewall_profile=profile, ipv4='', ipv6='', ip_type='fixed'))
        field = 'ipv4' if version == 4 else 'ipv6'
        if address is not None and not fields[field]:
            fields[field] = address
        if floating:
            fields['ip_type'] = 'floating'

    result = {}
    for fields in found.values():
        result.setdefault(fields['server_id'], []).append(Nic(**fields))
    return result
