"""Choosing the compute host for a new server.

Hosts that are alive and have room for the flavor qualify; the one with
the most free RAM wins, which spreads servers across hosts.
"""

import logging

from cyclades import conf
from cyclades.db import api as db_api
from cyclades import exception

LOG = logging.getLogger(__name__)
CONF = conf.CONF


def _free(host, used):
    """(vCPUs, MiB, GiB) a host can still give out."""
    used_cpu, used_ram, used_disk = used
    return (host.vcpus * CONF.compute.cpu_allocation_ratio - used_cpu,
            host.memory_mb * CONF.compute.ram_allocation_ratio - used_ram,
            host.disk_gb - used_disk)


def _fits(free, flavor):
    free_cpu, free_ram, free_disk = free
    return (free_cpu >= flavor.vcpus and free_ram >= flavor.ram
            and free_disk >= flavor.disk)


def select_host(session, flavor):
    """Return the name of the host that should run a server of ``flavor``.

    Call it in the write transaction that records the server.  The
    chosen host's row stays locked until that transaction ends and its
    room is counted again under the lock, so creates racing for a
    host's last room queue, and the later ones move on to another host.

    :raises NoValidHost: no live host has room.
    """
    hosts = db_api.host_list_alive(session,
                                   CONF.compute.service_down_time)
    if not hosts:
        raise exception.NoValidHost(reason='no compute host is up')

    usage = db_api.host_usage(session, [host.host for host in hosts])
    candidates = [(_free(host, usage.get(host.host, (0, 0, 0))), host)
                  for host in hosts]
    candidates = [(free, host) for free, host in candidates
                  if _fits(free, flavor)]
    candidates.sort(key=lambda candidate: -candidate[0][1])

    for _free_before, host in candidates:
        db_api.host_lock(session, host.host)
        used = db_api.host_usage(session, [host.host]).get(host.host,
                                                           (0, 0, 0))
        if _fits(_free(host, used), flavor):
            LOG.debug('Host %s chosen for flavor %s', host.host,
                      flavor.name)
            return host.host
        LOG.debug('Host %s filled up meanwhile', host.host)

    raise exception.NoValidHost(
        reason='no compute host has room for flavor %s '
               '(%d vCPUs, %d MiB RAM, %d GiB disk)'
               % (flavor.name, flavor.vcpus, flavor.ram, flavor.disk))
