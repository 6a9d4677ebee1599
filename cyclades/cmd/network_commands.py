"""cyclades-manage commands for networks.

    cyclades-manage network create-public NAME --cidr CIDR
        [--gateway ADDRESS | --no-gateway] [--ipv6-cidr CIDR]
    cyclades-manage network list
    cyclades-manage network delete ID|NAME

Public networks are where servers get their addresses by default; only
operators make, change or delete them.  The rules are in
``cyclades.network.api``; these classes only read arguments and print.
"""

import logging

from cyclades.cmd.common import args
from cyclades.cmd.common import print_table
from cyclades.network import api as network_api

LOG = logging.getLogger(__name__)


def _subnets(network, version):
    return ', '.join('%s (gw %s)' % (subnet.cidr, subnet.gateway_ip or '-')
                     for subnet in network.subnets
                     if subnet.ip_version == version) or '-'


class NetworkCommands:
    """Networks: public ones, which operators manage, and all others."""

    @args('network_name', metavar='NAME', help='name of the network')
    @args('--cidr', required=True,
          help='its IPv4 range, such as 192.0.2.0/24')
    @args('--gateway', default=network_api.DEFAULT_GATEWAY,
          metavar='ADDRESS',
          help='its IPv4 gateway (default: the first host address)')
    @args('--no-gateway', dest='gateway', action='store_const', const=None,
          help='the IPv4 range has no gateway')
    @args('--ipv6-cidr', metavar='CIDR',
          help='an IPv6 /64, such as 2001:db8::/64; servers get EUI-64 '
               'addresses in it')
    def create_public(self, network_name, cidr, gateway, ipv6_cidr):
        """Make a public network, which new servers are connected to."""
        network = network_api.API().create_public_network(
            network_name, cidr, gateway=gateway, ipv6_cidr=ipv6_cidr)
        print('Created public network %s (%s): %s'
              % (network.id, network.name,
                 ', '.join(subnet.cidr for subnet in network.subnets)))

    def list(self):
        """List every network with its ranges and number of ports."""
        networks, ports = network_api.API().list_all()
        print_table(
            ('ID', 'NAME', 'PUBLIC', 'PROJECT', 'IPV4', 'IPV6', 'PORTS'),
            [(network.id, network.name, network.public,
              network.project_id, _subnets(network, 4),
              _subnets(network, 6), ports.get(network.id, 0))
             for network in networks])

    @args('network_ref', metavar='ID|NAME', help='the network to delete')
    def delete(self, network_ref):
        """Delete a network that has no ports left, whoever owns it."""
        api = network_api.API()
        found = api.find_network(network_ref)
        api.operator_delete(found.id)
        print('Deleted network %s (%s)' % (found.id, found.name))
