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

    def _heartbeat_loop(self):
        while not self._stopping.wait(CONF.compute.report_interval):
            try:
                self.report()
            except Exception:
                LOG.exception('Heartbeat of host %s failed; retrying in '
                              '%s s', self.host, CONF.compute.report_interval)

    def _periodic_loop(self):
        # The interval is read each time so that it can be changed
        # without a restart.
        while not self._stopping.wait(CONF.compute.periodic_interval):
            self.periodic.run()

    def _sampling_loop(self):
        while not self._stopping.wait(CONF.stats.period):
            self.sampler.run()

    def start(self):
        self.report()
        self.rpc_server.start()
        for name, target in (('heartbeat', self._heartbeat_loop),
                             ('periodic-tasks', self._periodic_loop),
                             ('stats-sampler', self._sampling_loop)):
            thread = threading.Thread(target=target, name=name,
                                      daemon=True)
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
