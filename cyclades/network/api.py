"""The network service inside the API process: what users may do with
networks, subnets and ports, and what operators do with public
networks.

Users make private networks (counted against ``cyclades.network.
private``), their subnets and ports; they see public networks and
their subnets, and may make ports on them, but only operators change
them.  Each method is one transaction; nothing here knows about HTTP.

Rows are locked in one order, so that no two transactions wait for
each other: a project's quota row, then networks, then subnets, then
ports.
"""

import logging

from cyclades.db import models
from cyclades.db.session import transaction
from cyclades import exception
from cyclades.network import ipam
from cyclades.network import ports
from cyclades.network import queries
from cyclades import quota

LOG = logging.getLogger(__name__)

#: The gateway a subnet gets when the request does not name one: the
#: first host address of its range.
DEFAULT_GATEWAY = object()


def _check_private(network):
    """:raises Forbidden: users may not change a public network."""
    if network.public:
        raise exception.Forbidden(
            reason='network %s is public; only operators change it'
                   % network.id)


def _new_subnet(session, network, cidr, ip_version=None, name='',
                gateway=DEFAULT_GATEWAY, pools=None, enable_dhcp=True):
    """Add a subnet to a network whose row the caller locked.

    :param gateway: an address, None for no gateway, or
        DEFAULT_GATEWAY.
    :param pools: ``{"start", "end"}`` dicts; None for every host
        address but the gateway.
    :raises Invalid: a bad range, gateway or pool.
    :raises Conflict: the network has a subnet of that IP version.
    """
    address_range = ipam.parse_cidr(cidr, ip_version)
    if any(subnet.ip_version == address_range.version
           for subnet in network.subnets):
        raise exception.Conflict(
            reason='network %s already has an IPv%d subnet'
                   % (network.id, address_range.version))

    if gateway is DEFAULT_GATEWAY:
        gateway = ipam.default_gateway(address_range)
    else:
        gateway = ipam.check_gateway(address_range, gateway)
    if pools is None:
        pools = ipam.default_pools(address_range, gateway)
    else:
        pools = ipam.check_pools(address_range, gateway, pools)

    subnet = models.Subnet(
        network_id=network.id, name=name or '',
        ip_version=address_range.version, cidr=str(address_range),
        gateway_ip=str(gateway) if gateway is not None else None,
        allocation_pools=pools, enable_dhcp=enable_dhcp)
    session.add(subnet)
    session.flush()
    network.subnets.append(subnet)
    return subnet


def _wanted_addresses(network, subnets, fixed_ips):
    """Pair the subnets with the addresses a port asks for.

    :param fixed_ips: Neutron's ``fixed_ips`` entries, each with a
        ``subnet_id``, an ``ip_address`` or both.
    :returns: a list of (subnet, address or None).
    :raises Invalid: a subnet of another network, an address outside
        the network's subnets, or two entries for one subnet.
    """
    by_id = {subnet.id: subnet for subnet in subnets}
    wanted = {}
    for entry in fixed_ips:
        address = None
        if 'ip_address' in entry:
            address = ipam.parse_address(entry['ip_address'],
                                         'fixed_ips ip_address')
        if 'subnet_id' in entry:
            subnet = by_id.get(entry['subnet_id'])
            if subnet is None:
                raise exception.Invalid(
                    reason='subnet %s is not a subnet of network %s'
                           % (entry['subnet_id'], network.id))
            if address is not None and ipam.subnet_of(
                    [subnet], address) is None:
                raise exception.Invalid(
                    reason='%s is not in subnet %s (%s)'
                           % (address, subnet.id, subnet.cidr))
        else:
            subnet = ipam.subnet_of(subnets, address)
            if subnet is None:
                raise exception.Invalid(
                    reason='%s is not in a subnet of network %s'
                           % (address, network.id))
        if subnet.id in wanted:
            raise exception.Invalid(
                reason='a port holds one address of subnet %s' % subnet.id)
        wanted[subnet.id] = (subnet, address)
    return list(wanted.values())


def _check_public_overlap(session, network):
    """Two public networks with a common range would give servers the
    same addresses."""
    others = [subnet for other in queries.network_list(session,
                                                       public=True)
              if other.id != network.id for subnet in other.subnets]
    for subnet in network.subnets:
        mine = ipam.parse_cidr(subnet.cidr)
        for other in others:
            theirs = ipam.parse_cidr(other.cidr)
            if mine.version == theirs.version and mine.overlaps(theirs):
                raise exception.Invalid(
                    reason='%s overlaps %s of public network %s'
                           % (mine, theirs, other.network_id))


def create_public_network(session, name, cidr, gateway=DEFAULT_GATEWAY,
                          ipv6_cidr=None, ipv6_gateway=DEFAULT_GATEWAY):
    """Make a public network with an IPv4 subnet (and an IPv6 one).

    :param gateway, ipv6_gateway: an address, None for no gateway, or
        DEFAULT_GATEWAY for the first host address.
    :raises Invalid: a bad range or gateway, or a range that overlaps
        one of another public network.
    """
    network = models.Network(name=name, public=True, subnets=[])
    session.add(network)
    session.flush()
    _new_subnet(session, network, cidr, 4, gateway=gateway)
    if ipv6_cidr:
        _new_subnet(session, network, ipv6_cidr, 6, gateway=ipv6_gateway)
    _check_public_overlap(session, network)
    LOG.info('Public network %s (%s) made', network.id, name)
    return network


class API:
    """Networks, subnets and ports, for users and for operators."""

    # Networks

    def list_networks(self, context, ids=None, names=None):
        with transaction() as session:
            return queries.network_list(session, context.project_id,
                                        ids=ids, names=names)

    def get_network(self, context, network_id):
        with transaction() as session:
            return queries.network_get(session, network_id,
                                       context.project_id)

    def create_network(self, context, name=''):
        """Make a private network of the caller's project.

        :raises OverLimit: the project has all the networks it may.
        """
        with transaction(writer=True) as session:
            quota.charge(session, context.project_id,
                         {quota.NETWORK_PRIVATE: 1})
            network = models.Network(name=name, project_id=context.project_id,
                                     public=False, subnets=[])
            session.add(network)
            session.flush()
        LOG.info('Network %s made for project %s', network.id,
                 context.project_id)
        return network

    def update_network(self, context, network_id, name):
        """Rename a private network of the caller's.

        :raises NetworkNotFound, Forbidden:
        """
        with transaction(writer=True) as session:
            network = queries.lock_network_for_change(
                session, network_id, context.project_id)
            _check_private(network)
            network.name = name
            session.flush()
        return network

    def delete_network(self, context, network_id):
        """Delete a private network of the caller's, with its subnets.

        :raises NetworkNotFound, Forbidden:
        :raises Conflict: the network has ports.
        """
        with transaction(writer=True) as session:
            network = queries.network_get(session, network_id,
                                          context.project_id)
            _check_private(network)
            # The project's row comes before the network's.
            quota.charge(session, network.project_id,
                         {quota.NETWORK_PRIVATE: -1})
            self._delete(session, network.id)
        LOG.info('Network %s deleted', network_id)

    @staticmethod
    def _delete(session, network_id):
        network = queries.lock_network_for_change(session, network_id)
        if queries.network_has_ports(session, network.id):
            raise exception.Conflict(reason='network %s has ports'
                                     % network.id)
        queries.network_delete(session, network.id)

    # Subnets

    def list_subnets(self, context, ids=None, names=None,
                     network_ids=None):
        with transaction() as session:
            return queries.subnet_list(session, context.project_id,
                                       ids=ids, names=names,
                                       network_ids=network_ids)

    def get_subnet(self, context, subnet_id):
        with transaction() as session:
            return queries.subnet_get(session, subnet_id,
                                      context.project_id)

    def create_subnet(self, context, network_id, cidr, ip_version=None,
                      name='', gateway=DEFAULT_GATEWAY, pools=None,
                      enable_dhcp=True):
        """Add a subnet to a private network of the caller's.

        :raises NetworkNotFound, Forbidden, Invalid, Conflict: see
            ``_new_subnet``.
        """
        with transaction(writer=True) as session:
            network = queries.lock_network_for_change(
                session, network_id, context.project_id)
            _check_private(network)
            subnet = _new_subnet(session, network, cidr, ip_version, name,
                                 gateway, pools, enable_dhcp)
        LOG.info('Subnet %s (%s) added to network %s', subnet.id,
                 subnet.cidr, network.id)
        return subnet

    def update_subnet(self, context, subnet_id, name):
        with transaction(writer=True) as session:
            subnet = queries.subnet_get(session, subnet_id,
                                        context.project_id)
            _check_private(subnet.network)
            subnet.name = name
            session.flush()
        return subnet

    def delete_subnet(self, context, subnet_id):
        """:raises SubnetNotFound, Forbidden:
        :raises Conflict: ports hold addresses of the subnet.
        """
        with transaction(writer=True) as session:
            subnet = queries.subnet_get(session, subnet_id,
                                        context.project_id)
            _check_private(subnet.network)
            queries.lock_network_for_change(session, subnet.network_id)
            ipam.lock_subnets(session, [subnet.id])
            if queries.subnet_in_use(session, subnet.id):
                raise exception.Conflict(
                    reason='ports hold addresses of subnet %s' % subnet.id)
            session.delete(subnet)
        LOG.info('Subnet %s deleted', subnet_id)

    # Ports

    def list_ports(self, context, ids=None, names=None, network_ids=None,
                   server_ids=None, unattached=False):
        with transaction() as session:
            return queries.port_list(
                session, context.project_id, ids=ids, names=names,
                network_ids=network_ids, server_ids=server_ids,
                unattached=unattached)

    def get_port(self, context, port_id):
        with transaction() as session:
            return queries.port_get(session, port_id, context.project_id)

    def create_port(self, context, network_id, name='', fixed_ips=None):
        """Make a free port of the caller's project, which a server
        create may then name.

        :param fixed_ips: Neutron's ``fixed_ips``; None for an address
            of each subnet.
        :raises NetworkNotFound, Invalid, Conflict:
        """
        with transaction(writer=True) as session:
            network = queries.lock_networks(
                session, [network_id], context.project_id)[network_id]
            subnets = ipam.lock_network_subnets(
                session, [network.id]).get(network.id, [])
            if fixed_ips is None:
                port = ports.create(session, network, context.project_id,
                                    subnets, name=name)
            else:
                wanted = _wanted_addresses(network, subnets, fixed_ips)
                port = ports.create(session, network, context.project_id,
                                    [], name=name)
                for subnet, address in wanted:
                    ipam.allocate(session, subnet, port, address)
        return port

    def update_port(self, context, port_id, name):
        with transaction(writer=True) as session:
            port = queries.port_get(session, port_id, context.project_id)
            port.name = name
            session.flush()
        return port

    def delete_port(self, context, port_id):
        """:raises PortNotFound:
        :raises Conflict: the port is on a server.
        """
        with transaction(writer=True) as session:
            port = queries.port_get(session, port_id, context.project_id)
            ports.delete_free(session, port)

    # Floating IPs

    def list_floating_ips(self, context):
        with transaction() as session:
            return queries.floating_ip_list(session, context.project_id)

    def get_floating_ip(self, context, floating_ip_id):
        with transaction() as session:
            return queries.floating_ip_get(session, floating_ip_id,
                                           context.project_id)

    def create_floating_ip(self, context, network_id, address=None):
        """Take a public address for the caller's project to keep.

        :param address: the address asked for; None for any free one.
        :raises NetworkNotFound:
        :raises Invalid: a private network, or an address outside the
            network's IPv4 subnet.
        :raises OverLimit: the project keeps all the floating IPs it
            may.
        :raises Conflict: the address is taken, or none is free.
        """
        with transaction(writer=True) as session:
            quota.charge(session, context.project_id,
                         {quota.FLOATING_IP: 1})
            network = queries.lock_networks(
                session, [network_id], context.project_id)[network_id]
            if not network.public:
                raise exception.Invalid(
                    reason='network %s is private; floating IPs come '
                           'from public networks' % network.id)
            subnets = [subnet for subnet in ipam.lock_network_subnets(
                session, [network.id]).get(network.id, [])
                if subnet.ip_version == 4]
            if not subnets:
                raise exception.Invalid(reason='network %s has no IPv4 '
                                        'subnet' % network.id)
            if address is not None:
                address = ipam.parse_address(address,
                                             'floating_ip_address')
                if ipam.subnet_of(subnets, address) is None:
                    raise exception.Invalid(
                        reason='%s is not in a subnet of network %s'
                               % (address, network.id))
            floating = ipam.allocate_floating(session, subnets[0],
                                              context.project_id, address)
            floating.subnet = subnets[0]
        return floating

    def delete_floating_ip(self, context, floating_ip_id):
        """Give a floating IP back to its network's pool.

        :raises FloatingIPNotFound:
        :raises Conflict: a port holds it.
        """
        with transaction(writer=True) as session:
            quota.charge(session, context.project_id,
                         {quota.FLOATING_IP: -1})
            floating = queries.floating_ip_get(
                session, floating_ip_id, context.project_id, lock=True)
            if floating.port_id is not None:
                raise exception.Conflict(
                    reason='floating IP %s is on port %s'
                           % (floating.address, floating.port_id))
            session.delete(floating)
        LOG.info('Floating IP %s given back by project %s',
                 floating.address, context.project_id)

    # Operators

    def create_public_network(self, name, cidr, gateway=DEFAULT_GATEWAY,
                              ipv6_cidr=None, ipv6_gateway=DEFAULT_GATEWAY):
        """Make a public network; see ``create_public_network``."""
        with transaction(writer=True) as session:
            return create_public_network(session, name, cidr, gateway,
                                         ipv6_cidr, ipv6_gateway)

    def find_network(self, network):
        """A network of any project by id, or by name if one has it.

        :raises NetworkNotFound: none, or several of that name.
        """
        with transaction() as session:
            try:
                return queries.network_get(session, network)
            except exception.NetworkNotFound:
                named = queries.network_list(session, names=[network])
            if len(named) != 1:
                raise exception.NetworkNotFound(
                    message='Network %s not found%s' % (
                        network, '; several have that name, use an id'
                        if named else ''))
            return named[0]

    def list_all(self):
        """Every network, and map network id → its number of ports."""
        with transaction() as session:
            return (queries.network_list(session),
                    queries.port_counts(session))

    def operator_delete(self, network_id):
        """Delete any network that has no ports, with its subnets.

        :raises NetworkNotFound:
        :raises Conflict: the network has ports.
        """
        with transaction(writer=True) as session:
            network = queries.network_get(session, network_id)
            if network.project_id is not None:
                quota.charge(session, network.project_id,
                             {quota.NETWORK_PRIVATE: -1})
            self._delete(session, network.id)
        LOG.info('Network %s deleted by an operator', network_id)
        return network
