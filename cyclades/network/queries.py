"""The database queries of networking: what a project may see.

A project sees the public networks and its own, the subnets of those,
and its own ports.  Anything else answers as if it did not exist.
"""

import sqlalchemy as sa
from sqlalchemy import orm

from cyclades.db import models
from cyclades import exception

Network = models.Network
Subnet = models.Subnet
Port = models.Port


def _visible_networks(project_id):
    query = sa.select(Network)
    if project_id is not None:
        query = query.where(sa.or_(Network.public == sa.true(),
                                   Network.project_id == project_id))
    return query


def network_get(session, network_id, project_id=None):
    """A network the project may see (any, for None).

    :raises NetworkNotFound:
    """
    network = session.scalars(_visible_networks(project_id).where(
        Network.id == str(network_id))).first()
    if network is None:
        raise exception.NetworkNotFound(network_id=network_id)
    return network


def network_list(session, project_id=None, ids=None, names=None,
                 public=None):
    """Networks the project may see, oldest first.

    :param ids, names: collections of values to keep, or None.
    :param public: True or False to keep only public or private ones.
    """
    query = _visible_networks(project_id)
    if ids is not None:
        query = query.where(Network.id.in_(sorted(ids)))
    if names is not None:
        query = query.where(Network.name.in_(sorted(names)))
    if public is not None:
        query = query.where(Network.public == public)
    return list(session.scalars(query.order_by(Network.created_at,
                                               Network.id)))


def lock_networks(session, network_ids, project_id=None):
    """Keep the networks from being deleted until the transaction ends.

    The lock is the one adding a row that refers to a network takes
    anyway, taken first: a request that waits behind a network's
    deletion then finds the network gone instead of failing to refer
    to it.  Rows are locked in the order of their ids.

    :returns: network id → Network, read after the lock.
    :raises NetworkNotFound: a network is gone or not visible.
    """
    network_ids = sorted(set(network_ids))
    if not network_ids:
        return {}
    query = (_visible_networks(project_id)
             .where(Network.id.in_(network_ids))
             .order_by(Network.id)
             .execution_options(populate_existing=True))
    if session.get_bind().dialect.name != 'sqlite':
        query = query.with_for_update(read=True, key_share=True)
    found = {network.id: network for network in session.scalars(query)}
    for network_id in network_ids:
        if network_id not in found:
            raise exception.NetworkNotFound(network_id=network_id)
    return found


def lock_network_for_change(session, network_id, project_id=None):
    """Hold a visible network's row, for changing or deleting it.

    :raises NetworkNotFound:
    """
    query = (_visible_networks(project_id)
             .where(Network.id == str(network_id))
             .execution_options(populate_existing=True))
    if session.get_bind().dialect.name != 'sqlite':
        query = query.with_for_update()
    network = session.scalars(query).first()
    if network is None:
        raise exception.NetworkNotFound(network_id=network_id)
    return network


def network_has_ports(session, network_id):
    return session.scalars(sa.select(Port.id).where(
        Port.network_id == network_id).limit(1)).first() is not None


def network_delete(session, network_id):
    """Delete a network and its subnets; the caller checked that no
    port is left on it."""
    for model, column in ((Subnet, Subnet.network_id),
                          (Network, Network.id)):
        session.execute(sa.delete(model).where(column == network_id),
                        execution_options={'synchronize_session': False})


def _visible_subnets(project_id):
    query = sa.select(Subnet).join(Network, Subnet.network_id == Network.id)
    if project_id is not None:
        query = query.where(sa.or_(Network.public == sa.true(),
                                   Network.project_id == project_id))
    return query


def subnet_get(session, subnet_id, project_id=None):
    """A subnet of a network the project may see.

    :raises SubnetNotFound:
    """
    subnet = session.scalars(_visible_subnets(project_id).where(
        Subnet.id == str(subnet_id))).first()
    if subnet is None:
        raise exception.SubnetNotFound(subnet_id=subnet_id)
    return subnet


def subnet_list(session, project_id=None, ids=None, names=None,
                network_ids=None):
    query = _visible_subnets(project_id)
    if ids is not None:
        query = query.where(Subnet.id.in_(sorted(ids)))
    if names is not None:
        query = query.where(Subnet.name.in_(sorted(names)))
    if network_ids is not None:
        query = query.where(Subnet.network_id.in_(sorted(network_ids)))
    return list(session.scalars(query.order_by(Subnet.created_at,
                                               Subnet.id)))


def subnet_in_use(session, subnet_id):
    return session.scalars(sa.select(models.IPAllocation.id).where(
        models.IPAllocation.subnet_id == subnet_id).limit(1)
    ).first() is not None


def _own_ports(project_id):
    query = sa.select(Port)
    if project_id is not None:
        query = query.where(Port.project_id == project_id)
    return query


def port_get(session, port_id, project_id=None):
    """A port of the project.

    :raises PortNotFound:
    """
    port = session.scalars(_own_ports(project_id).where(
        Port.id == str(port_id))).first()
    if port is None:
        raise exception.PortNotFound(port_id=port_id)
    return port


def port_list(session, project_id=None, ids=None, names=None,
              network_ids=None, server_ids=None, unattached=False):
    """Ports of the project, oldest first.

    :param server_ids: keep the ports of these servers.
    :param unattached: keep the ports of no server; with
        ``server_ids``, those too.
    """
    query = _own_ports(project_id)
    if ids is not None:
        query = query.where(Port.id.in_(sorted(ids)))
    if names is not None:
        query = query.where(Port.name.in_(sorted(names)))
    if network_ids is not None:
        query = query.where(Port.network_id.in_(sorted(network_ids)))
    if server_ids is not None or unattached:
        wanted = []
        if server_ids:
            wanted.append(Port.server_id.in_(sorted(server_ids)))
        if unattached:
            wanted.append(Port.server_id.is_(None))
        query = query.where(sa.or_(sa.false(), *wanted))
    return list(session.scalars(query.order_by(Port.created_at, Port.id)))


def port_counts(session):
    """Map network id → how many ports it has."""
    return dict(session.execute(
        sa.select(Port.network_id, sa.func.count(Port.id))
        .group_by(Port.network_id)).all())


def _own_floating_ips(project_id):
    IP = models.IPAllocation
    query = (sa.select(IP).where(IP.floating == sa.true())
             .options(orm.joinedload(IP.subnet)))
    if project_id is not None:
        query = query.where(IP.project_id == project_id)
    return query


def floating_ip_get(session, floating_ip_id, project_id=None, lock=False):
    """A floating IP of the project.

    :param lock: hold its row until the transaction ends.
    :raises FloatingIPNotFound:
    """
    IP = models.IPAllocation
    text = str(floating_ip_id)
    floating = None
    if text.isdigit() and len(text) < 10:
        query = _own_floating_ips(project_id).where(IP.id == int(text))
        if lock:
            query = query.with_for_update(of=IP)
        floating = session.scalars(query).first()
    if floating is None:
        raise exception.FloatingIPNotFound(floating_ip_id=floating_ip_id)
    return floating


def floating_ip_list(session, project_id=None):
    """Floating IPs of the project, oldest first."""
    IP = models.IPAllocation
    return list(session.scalars(_own_floating_ips(project_id)
                                .order_by(IP.id)))


def floating_ip_counts(session):
    """Map project id → how many floating IPs it keeps."""
    IP = models.IPAllocation
    return dict(session.execute(
        sa.select(IP.project_id, sa.func.count(IP.id))
        .where(IP.floating == sa.true())
        .group_by(IP.project_id)).all())
