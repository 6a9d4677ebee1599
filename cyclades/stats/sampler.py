"""Sampling the load of a compute host's servers, on the daemon's timer.

Each round asks the driver for the load of every live server of the
host and stores what it answers in one transaction, then deletes the
samples that are older than ``[stats] retention``.  Every compute
daemon prunes the whole table, so samples of servers that were deleted
or whose host is gone age out all the same; concurrent prunes delete
the same rows and agree.
"""

import datetime
import logging
import math

from cyclades.compute import manager as compute_manager
from cyclades import conf
from cyclades.db.session import transaction
from cyclades.stats import samples
from cyclades import utils

LOG = logging.getLogger(__name__)
CONF = conf.CONF


def _load(answer):
    """(cpu, net) from a driver's answer, or None when it is unusable."""
    try:
        cpu = float(answer['cpu_percent'])
        net = float(answer['net_bytes_per_sec'])
    except (KeyError, TypeError, ValueError):
        return None
    if not (math.isfinite(cpu) and math.isfinite(net)):
        return None
    return max(cpu, 0.0), max(net, 0.0)


class Sampler:
    """Takes the load samples of one compute host."""

    def __init__(self, host, driver):
        self.host = host
        self.driver = driver

    def run(self):
        """Sample and prune, logging rather than raising a failure, so
        that the timer keeps going."""
        try:
            self.sample()
        except Exception:
            LOG.exception('Sampling the servers of host %s failed',
                          self.host)

    def sample(self):
        """Take one sample of each server and drop the expired ones.

        A server the driver cannot measure (still building, say) is
        skipped this round.

        :returns: how many samples were stored.
        """
        with transaction() as session:
            servers = samples.servers_of_host(session, self.host)

        sampled_at = utils.utcnow()
        loads = {}
        for server in servers:
            try:
                answer = self.driver.stats(compute_manager.server_spec(
                    server))
            except Exception as exc:
                LOG.debug('No load sample of server %s: %s', server.id,
                          exc)
                continue
            load = _load(answer)
            if load is None:
                LOG.warning('Driver gave an unusable load sample for '
                            'server %s: %r', server.id, answer)
                continue
            loads[server.id] = load

        horizon = sampled_at - datetime.timedelta(
            seconds=CONF.stats.retention)
        with transaction(writer=True) as session:
            samples.record(session, sampled_at, loads)
            pruned = samples.prune(session, horizon)
        LOG.debug('Host %s stored %d load samples and pruned %d',
                  self.host, len(loads), pruned)
        return len(loads)
