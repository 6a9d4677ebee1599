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


def select_host(session, flavor):
    """Return the name of the host that should run a server of ``flavor``.

    TODO: two creates racing for the last room on a host can both pick
    it, since nothing locks the host's capacity between the choice and
    the commit; the host then runs over its allocation ratios.  A claim
    on the host row in the create transaction would close this once
    real drivers make overcommitment matter.

    :raises NoValidHost: no live host has room.
    """
    hosts = db_api.host_list_alive(session,
                                   CONF.compute.service_down_time)
    if not hosts:
        raise exception.NoValidHost(reason='no compute host is up')

    usage = db_api.host_usage(session, [host.host for host in hosts])
    best, best_free_ram = None, None
    for host in hosts:
        used_cpu, used_ram, used_disk = usage.get(host.host, (0, 0, 0))
        free_cpu = (host.vcpus * CONF.compute.cpu_allocation_ratio
                    - used_cpu)
        free_ram = (host.memory_mb * CONF.compute.ram_allocation_ratio
                    - used_ram)
        free_disk = host.disk_gb - used_disk
        if (free_cpu < flavor.vcpus or free_ram < flavor.ram
                or free_disk < flavor.disk):
            continue
        if best is None or free_ram > best_free_ram:
            best, best_free_ram = host.host, free_ram

    if best is None:
        raise exception.NoValidHost(
            reason='no compute host has room for flavor %s '
                   '(%d vCPUs, %d MiB RAM, %d GiB disk)'
                   % (flavor.name, flavor.vcpus, flavor.ram, flavor.disk))
    LOG.debug('Host %s chosen for flavor %s', best, flavor.name)
    return best
