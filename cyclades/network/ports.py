"""Making, attaching and removing ports, inside a caller's transaction.

A port gets a MAC no other port has: a random one under the configured
prefix, inserted under a savepoint so that the rare clash with another
port's MAC costs a retry, not the whole request.
"""

import logging

import sqlalchemy as sa
import sqlalchemy.exc

from cyclades.db import models
from cyclades import exception
from cyclades.network import ipam
from cyclades.network import macs
from cyclades import utils

LOG = logging.getLogger(__name__)

#: How many random MACs a new port tries before giving up.
MAC_ATTEMPTS = 8

#: Neutron's owner of the ports of servers, which clients look for.
SERVER_OWNER = 'compute:nova'

#: Port statuses: on a server, or waiting for one.
ACTIVE = 'ACTIVE'
DOWN = 'DOWN'


def _insert(session, values):
    for _attempt in range(MAC_ATTEMPTS):
        port = models.Port(mac_address=macs.random_mac(), allocations=[],
                           **values)
        try:
            with session.begin_nested():
                session.add(port)
        except sqlalchemy.exc.IntegrityError:
            LOG.info('MAC %s is taken; trying another', port.mac_address)
            continue
        return port
    raise exception.Conflict(reason='no free MAC address was found '
                                    'after %d tries' % MAC_ATTEMPTS)


def create(session, network, project_id, subnets, fixed_ip=None,
           name='', server_id=None, nic_index=None):
    """Make a port on ``network`` with its addresses.

    :param subnets: the network's subnets, locked with
        ``ipam.lock_subnets``.
    :param fixed_ip: an ``ipaddress`` address in one of the subnets.
    :param server_id: the server the port is made for, if any.
    :raises Invalid, Conflict: see ``ipam.allocate``.
    """
    values = dict(network_id=network.id, project_id=project_id, name=name,
                  server_id=server_id, nic_index=nic_index,
                  status=ACTIVE if server_id is not None else DOWN,
                  device_owner=SERVER_OWNER if server_id is not None
                  else '')
    port = _insert(session, values)
    ipam.assign(session, port, subnets, fixed_ip)
    LOG.info('Port %s (%s) made on network %s%s', port.id,
             port.mac_address, network.id,
             ' for server %s' % server_id if server_id is not None else '')
    return port


def attach(session, port, server_id, nic_index):
    """Give a free port to a server.

    :raises Conflict: the port is on a server already, or was deleted
        meanwhile.
    """
    Port = models.Port
    result = session.execute(
        sa.update(Port)
        .where(Port.id == port.id, Port.server_id.is_(None))
        .values(server_id=server_id, nic_index=nic_index, status=ACTIVE,
                device_owner=SERVER_OWNER, updated_at=utils.utcnow()),
        execution_options={'synchronize_session': False})
    if result.rowcount != 1:
        raise exception.Conflict(reason='port %s is in use' % port.id)
    LOG.info('Port %s attached to server %s', port.id, server_id)


def delete(session, port_ids):
    """Delete ports, giving their addresses back to their subnets and
    their floating IPs back to their projects."""
    port_ids = list(port_ids)
    if not port_ids:
        return
    IP = models.IPAllocation
    session.execute(
        sa.update(IP)
        .where(IP.port_id.in_(port_ids), IP.floating == sa.true())
        .values(port_id=None),
        execution_options={'synchronize_session': False})
    session.execute(
        sa.delete(IP).where(IP.port_id.in_(port_ids)),
        execution_options={'synchronize_session': False})
    session.execute(
        sa.delete(models.Port).where(models.Port.id.in_(port_ids)),
        execution_options={'synchronize_session': False})
    LOG.info('Ports %s deleted', ', '.join(sorted(port_ids)))


def delete_free(session, port):
    """Delete a port that is on no server.

    :raises Conflict: the port is on a server.
    """
    Port = models.Port
    in_use = session.scalars(sa.select(Port.server_id).where(
        Port.id == port.id).with_for_update()).first()
    if in_use is not None:
        raise exception.Conflict(reason='port %s is in use by server %s'
                                 % (port.id, in_use))
    delete(session, [port.id])
