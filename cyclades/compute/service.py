"""A compute host as a running service: registration, heartbeat, RPC.

The service registers the host's capacity, keeps a heartbeat so the API
schedules onto it only while it is alive, consumes the host's message
topic with a ``ComputeManager``, runs the ``PeriodicTasks`` on a timer
and samples the load of its servers on another.  The timers are threads
of the service that end with ``stop()``.
"""

import logging
import threading

from cyclades.compute.drivers import base as driver_base
from cyclades.compute import manager as compute_manager
from cyclades.compute import rpcapi
from cyclades import conf
from cyclades.db import api as db_api
from cyclades.db.session import transaction
from cyclades import messaging
from cyclades.stats import sampler as stats_sampler

LOG = logging.getLogger(__name__)
CONF = conf.CONF


class ComputeService:
    """Runs one compute host until stopped."""

    def __init__(self, transport=None, host=None, driver=None):
        self.host = host or CONF.compute.host or CONF.host
        self.driver = driver or driver_base.load_driver(CONF.compute.driver)
        self.transport = transport or messaging.Transport()
        self.manager = compute_manager.ComputeManager(self.host,
                                                      self.driver)
        self.rpc_server = messaging.RPCServer(
            self.transport, [rpcapi.host_topic(self.host)], self.manager)
        self.periodic = compute_manager.PeriodicTasks(self.host)
        self.sampler = stats_sampler.Sampler(self.host, self.driver)
        self._stopping = threading.Event()
        self._threads = []

    def report(self):
        """Record the host's capacity and that it is alive now."""
        stats = self.driver.host_stats()
        with transaction(writer=True) as session:
            db_api.host_report(session, self.host, stats['vcpus'],
                               stats['memory_mb'], stats['disk_gb'])

    def _repeat(self, name, interval, work):
        """Run ``work`` every ``interval()`` seconds until stopped.

        The interval is read each time so that it can be changed without
        a restart; a failed run is logged and the next one still comes.
        """
        while not self._stopping.wait(interval()):
            try:
                work()
            except Exception:
                LOG.exception('%s of host %s failed; trying again in '
                              '%s s', name, self.host, interval())

    def start(self):
        self.report()
        self.rpc_server.start()
        timers = (
            ('heartbeat', lambda: CONF.compute.report_interval,
             self.report),
            ('periodic-tasks', lambda: CONF.compute.periodic_interval,
             self.periodic.run),
            ('stats-sampler', lambda: CONF.stats.period, self.sampler.run),
        )
        for name, interval, work in timers:
            thread = threading.Thread(target=self._repeat,
                                      args=(name, interval, work),
                                      name=name, daemon=True)
            thread.start()
            self._threads.append(thread)
        LOG.info('Compute host %s started with driver %s', self.host,
                 type(self.driver).__name__)

    def stop(self):
        self._stopping.set()
        self.rpc_server.stop()
        for thread in self._threads:
            thread.join()
        self._threads = []
        LOG.info('Compute host %s stopped', self.host)

    def wait(self):
        self.rpc_server.wait()
