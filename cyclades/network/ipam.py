"""The addresses of subnets: which ones ports may hold, and handing
them out.

IPv4 addresses come from the subnet's allocation pools, lowest free
first; the network, gateway and broadcast addresses are never handed
out.  IPv6 addresses are EUI-64 addresses made from the port's MAC in
the subnet's first /64, which needs no pool: MACs are unique.

A floating IP is an IPv4 address of a public network that a project
takes from the pool and keeps (``allocate_floating``); the project's
ports get it by asking for it as their fixed address, and it returns
to the project when they are deleted.  No other address of a public
network can be asked for: public addresses are counted as floating IPs.

Two requests never get one address: an allocation first locks the
subnet's row (``lock_subnets``), so allocations of one subnet queue up
and each one sees what the previous ones took; the unique (subnet,
address) key catches anything that slips past.  Rows are locked in the
order of their ids, after the project rows the quota code locks and
after the networks, so that no two transactions wait for each other.
A released address is simply a deleted row: it is free again at once.
"""

import ipaddress
import logging

import sqlalchemy as sa

from cyclades.db import models
from cyclades import exception
from cyclades.network import macs

LOG = logging.getLogger(__name__)

#: Longest prefix of a subnet: an IPv4 subnet needs two addresses
#: besides its network and broadcast ones, and IPv6 ones need a /64
#: for EUI-64 addresses.
MAX_PREFIXLEN = {4: 30, 6: 64}


def parse_address(text, what='address'):
    """An ``ipaddress`` address.

    :raises Invalid: not an IPv4 or IPv6 address.
    """
    try:
        return ipaddress.ip_address(str(text).strip())
    except ValueError:
        raise exception.Invalid(reason='%s %r is not an IP address'
                                % (what, text))


def parse_cidr(cidr, ip_version=None):
    """The network a subnet's CIDR names.

    :param ip_version: 4 or 6, which the CIDR must be; None for either.
    :raises Invalid: not a CIDR, host bits set, another IP version, or
        too small a range.
    """
    try:
        network = ipaddress.ip_network(str(cidr).strip())
    except ValueError as exc:
        raise exception.Invalid(reason='cidr %r: %s' % (cidr, exc))
    if ip_version is not None and network.version != ip_version:
        raise exception.Invalid(reason='cidr %s is not IPv%s'
                                % (network, ip_version))
    if network.prefixlen > MAX_PREFIXLEN[network.version]:
        raise exception.Invalid(
            reason='cidr %s is too small: IPv%d subnets are at most /%d'
                   % (network, network.version,
                      MAX_PREFIXLEN[network.version]))
    return network


def _unusable(network):
    """Addresses of the range itself that no port may hold."""
    found = {network.network_address}
    if network.version == 4:
        found.add(network.broadcast_address)
    return found


def default_gateway(network):
    return network.network_address + 1


def check_gateway(network, gateway):
    """:raises Invalid: the gateway is not a host of ``network``."""
    if gateway is None:
        return None
    gateway = parse_address(gateway, 'gateway_ip')
    if gateway.version != network.version or gateway not in network:
        raise exception.Invalid(reason='gateway_ip %s is not in %s'
                                % (gateway, network))
    if gateway in _unusable(network):
        raise exception.Invalid(reason='gateway_ip %s is not a host '
                                'address of %s' % (gateway, network))
    return gateway


def _ranges(network, gateway):
    first = network.network_address + 1
    last = network.broadcast_address - 1
    if gateway is None or not first <= gateway <= last:
        return [(first, last)]
    return [(start, end) for start, end in
            ((first, gateway - 1), (gateway + 1, last)) if start <= end]


def _pool(start, end):
    return {'start': str(start), 'end': str(end)}


def default_pools(network, gateway):
    """Every host address of the range but the gateway."""
    return [_pool(start, end) for start, end in _ranges(network, gateway)]


def check_pools(network, gateway, pools):
    """Pools a user gave, checked and sorted.

    :param pools: a list of ``{"start", "end"}`` dicts.
    :raises Invalid: an address outside the range or not a host one, a
        start after its end, pools that overlap or hold the gateway.
    """
    parsed = []
    for pool in pools:
        start = parse_address(pool['start'], 'allocation pool start')
        end = parse_address(pool['end'], 'allocation pool end')
        for address in (start, end):
            if address.version != network.version or address not in network:
                raise exception.Invalid(
                    reason='allocation pool address %s is not in %s'
                           % (address, network))
            if address in _unusable(network):
                raise exception.Invalid(
                    reason='allocation pool address %s is not a host '
                           'address of %s' % (address, network))
        if start > end:
            raise exception.Invalid(
                reason='allocation pool %s-%s ends before it starts'
                       % (start, end))
        if gateway is not None and start <= gateway <= end:
            raise exception.Invalid(
                reason='allocation pool %s-%s holds the gateway %s'
                       % (start, end, gateway))
        parsed.append((start, end))

    parsed.sort()
    for (_start, end), (start, _end) in zip(parsed, parsed[1:]):
        if start <= end:
            raise exception.Invalid(reason='allocation pools overlap at '
                                    '%s' % start)
    return [_pool(start, end) for start, end in parsed]


def _reserved(subnet, network):
    found = _unusable(network)
    if subnet.gateway_ip:
        found.add(ipaddress.ip_address(subnet.gateway_ip))
    return found


def candidates(subnet):
    """The addresses a subnet hands out, in the order it does so."""
    network = ipaddress.ip_network(subnet.cidr)
    reserved = _reserved(subnet, network)
    pools = sorted((ipaddress.ip_address(pool['start']),
                    ipaddress.ip_address(pool['end']))
                   for pool in subnet.allocation_pools or ())
    for start, end in pools:
        address = start
        while address <= end:
            if address not in reserved:
                yield address
            address += 1


def subnet_of(subnets, address):
    """The subnet, of ``subnets``, whose range holds ``address``."""
    for subnet in subnets:
        if address in ipaddress.ip_network(subnet.cidr):
            return subnet
    return None


def _locked(session, condition):
    """Subnets matching ``condition``, their rows held until the
    transaction ends, in the order of their ids.

    SQLite writers already hold the database's write lock.  The lock
    leaves the key alone, so that the rows referring to a subnet can
    still be added meanwhile.
    """
    query = (sa.select(models.Subnet).where(condition)
             .order_by(models.Subnet.id)
             .execution_options(populate_existing=True))
    if session.get_bind().dialect.name != 'sqlite':
        query = query.with_for_update(key_share=True)
    return list(session.scalars(query))


def lock_subnets(session, subnet_ids):
    """Hold subnets' rows, for allocating or checking their addresses.

    :returns: subnet id → Subnet, read after the lock was taken.
    :raises Conflict: a subnet was deleted meanwhile.
    """
    subnet_ids = sorted(set(subnet_ids))
    if not subnet_ids:
        return {}
    found = {subnet.id: subnet for subnet in _locked(
        session, models.Subnet.id.in_(subnet_ids))}
    if len(found) != len(subnet_ids):
        raise exception.Conflict(reason='a subnet was deleted while the '
                                        'request was handled; try again')
    return found


def lock_network_subnets(session, network_ids):
    """Hold the rows of the networks' subnets, as ``lock_subnets``.

    :returns: network id → its subnets.
    """
    network_ids = sorted(set(network_ids))
    if not network_ids:
        return {}
    result = {}
    for subnet in _locked(session,
                          models.Subnet.network_id.in_(network_ids)):
        result.setdefault(subnet.network_id, []).append(subnet)
    return result


def taken(session, subnet_id):
    """The addresses of a subnet that ports hold now."""
    query = sa.select(models.IPAllocation.address).where(
        models.IPAllocation.subnet_id == subnet_id)
    # MySQL reads from the transaction's first snapshot, older than the
    # lock; a locking read sees what the lock's last holder committed.
    if session.get_bind().dialect.name == 'mysql':
        query = query.with_for_update(read=True)
    return set(session.scalars(query))


def lowest_free(session, subnet):
    """The address the next port without a fixed one would get, or
    None; the subnet must be locked."""
    in_use = taken(session, subnet.id)
    for address in candidates(subnet):
        if str(address) not in in_use:
            return address
    return None


def _check_fixed(subnet, network, address, in_use):
    if address in _unusable(network):
        raise exception.Invalid(reason='%s is not a host address of %s'
                                % (address, network))
    if subnet.gateway_ip and address == ipaddress.ip_address(
            subnet.gateway_ip):
        raise exception.Conflict(reason='address %s is the gateway of '
                                 'subnet %s' % (address, subnet.id))
    if str(address) in in_use:
        raise exception.Conflict(reason='address %s is in use'
                                 % address)


def _claim_floating(session, subnet, port, address):
    """Give ``port`` the floating IP ``address`` if its project keeps
    it free; None if the address is no floating IP.

    :raises Conflict: another project's floating IP, or one that is on
        a port already.
    """
    floating = session.scalars(
        sa.select(models.IPAllocation)
        .where(models.IPAllocation.subnet_id == subnet.id,
               models.IPAllocation.address == str(address),
               models.IPAllocation.floating == sa.true())
        .with_for_update()
        .execution_options(populate_existing=True)).first()
    if floating is None:
        return None
    if floating.project_id != port.project_id or floating.port_id:
        raise exception.Conflict(reason='address %s is in use' % address)
    port.allocations.append(floating)
    session.flush()
    LOG.debug('Floating IP %s attached to port %s', address, port.id)
    return floating


def allocate(session, subnet, port, address=None):
    """Give ``port`` an address of ``subnet``.

    The subnet must have been locked with ``lock_subnets`` (or
    ``lock_network_subnets``) in this transaction, and the port
    flushed (it needs its id and MAC).

    :param address: the ``ipaddress`` address asked for, in the subnet's
        range; None for the lowest free one (IPv4) or the EUI-64 one of
        the port's MAC (IPv6).  On a public network it must be a free
        floating IP of the port's project.
    :returns: the IPAllocation.
    :raises Invalid: the address asked for is the network's or the
        broadcast address.
    :raises Conflict: the address is in use, is the gateway or is no
        floating IP of the project, or no address is free.
    """
    network = ipaddress.ip_network(subnet.cidr)

    if address is not None:
        claimed = _claim_floating(session, subnet, port, address)
        if claimed is not None:
            return claimed
        if subnet.network.public:
            raise exception.Conflict(
                reason='%s is not a floating IP of project %s; ask for '
                       'one first' % (address, port.project_id))
    in_use = taken(session, subnet.id)

    if address is not None:
        _check_fixed(subnet, network, address, in_use)
    elif subnet.ip_version == 6:
        address = macs.eui64(port.mac_address, network)
        if str(address) in in_use:
            raise exception.Conflict(reason='address %s is in use'
                                     % address)
    else:
        address = next((candidate for candidate in candidates(subnet)
                        if str(candidate) not in in_use), None)
        if address is None:
            raise exception.Conflict(
                reason='no free address in subnet %s (%s) of network %s'
                       % (subnet.id, subnet.cidr, subnet.network_id))

    allocation = models.IPAllocation(subnet_id=subnet.id, port_id=port.id,
                                     address=str(address))
    port.allocations.append(allocation)
    session.flush()
    LOG.debug('Address %s of subnet %s given to port %s', address,
              subnet.id, port.id)
    return allocation


def allocate_floating(session, subnet, project_id, address=None):
    """Take a floating IP of ``subnet`` for a project.

    :param address: the ``ipaddress`` address asked for, or None for the
        lowest free one.
    :raises Invalid, Conflict: as ``allocate``.
    """
    network = ipaddress.ip_network(subnet.cidr)
    in_use = taken(session, subnet.id)

    if address is not None:
        _check_fixed(subnet, network, address, in_use)
    else:
        address = next((candidate for candidate in candidates(subnet)
                        if str(candidate) not in in_use), None)
        if address is None:
            raise exception.Conflict(
                reason='no free address in subnet %s (%s) of network %s'
                       % (subnet.id, subnet.cidr, subnet.network_id))

    floating = models.IPAllocation(subnet_id=subnet.id, floating=True,
                                   project_id=project_id,
                                   address=str(address))
    session.add(floating)
    session.flush()
    LOG.info('Floating IP %s taken by project %s', address, project_id)
    return floating


def assign(session, port, subnets, fixed_ip=None):
    """Give a new port its addresses on its network's subnets.

    Without ``fixed_ip`` the port gets one address of each subnet.  With
    one, it gets that address, plus its EUI-64 address when the fixed
    one is IPv4 and the network has an IPv6 subnet, as hosts configure
    that one themselves anyway.

    :param subnets: the network's subnets, locked.
    :raises Invalid, Conflict: as ``allocate``.
    """
    for subnet in sorted(subnets, key=lambda subnet: subnet.ip_version):
        if fixed_ip is None:
            allocate(session, subnet, port)
        elif subnet.ip_version == fixed_ip.version:
            allocate(session, subnet, port, fixed_ip)
        elif subnet.ip_version == 6:
            allocate(session, subnet, port)
