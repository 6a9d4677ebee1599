"""A hypervisor that keeps servers in memory.

It takes a configurable time for each operation so that clients see the
transitional states, and can be told to fail chosen operations so that
tests can exercise error paths without a real hypervisor.
"""

import logging
import secrets
import threading
import time

from cyclades.compute.drivers import base
from cyclades import conf
from cyclades import exception

LOG = logging.getLogger(__name__)
CONF = conf.CONF


class FakeDriver(base.ComputeDriver):
    """In-memory hypervisor for tests and the demo."""

    def __init__(self):
        self._lock = threading.Lock()
        #: server id → {'power': 'running' | 'stopped', 'spec':
        #: ServerSpec, 'images': ids of the images taken of it,
        #: 'firewall': port id → profile}
        self.servers = {}

    def _work(self, operation, build=False):
        if operation in CONF.fake_driver.fail_on:
            raise exception.DriverError(operation=operation,
                                        reason='failure requested by '
                                               'configuration')
        delay = (CONF.fake_driver.build_time if build
                 else CONF.fake_driver.action_time)
        if delay:
            time.sleep(delay)

    def _get(self, spec):
        with self._lock:
            record = self.servers.get(spec.id)
        if record is None:
            raise exception.DriverError(operation='lookup',
                                        reason='no server %s' % spec.id)
        return record

    def _set_power(self, spec, power):
        record = self._get(spec)
        with self._lock:
            record['power'] = power

    def host_stats(self):
        return {'vcpus': CONF.fake_driver.vcpus,
                'memory_mb': CONF.fake_driver.memory_mb,
                'disk_gb': CONF.fake_driver.disk_gb}

    def spawn(self, spec, admin_pass):
        self._work('spawn', build=True)
        with self._lock:
            self.servers[spec.id] = {'power': 'running', 'spec': spec}
        LOG.debug('Fake server %s is running', spec.id)

    def destroy(self, spec):
        self._work('destroy')
        with self._lock:
            self.servers.pop(spec.id, None)

    def power_on(self, spec):
        self._work('power_on')
        self._set_power(spec, 'running')

    def power_off(self, spec):
        self._work('power_off')
        self._set_power(spec, 'stopped')

    def reboot(self, spec, hard):
        self._work('reboot')
        self._set_power(spec, 'running')

    def resize(self, spec, new_spec):
        self._work('resize')
        record = self._get(spec)
        with self._lock:
            record['spec'] = new_spec

    def get_console(self, spec):
        self._work('get_console')
        self._get(spec)
        return {'host': '127.0.0.1', 'port': 5900 + spec.id % 1000,
                'password': secrets.token_urlsafe(12)}

    def set_password(self, spec, admin_pass):
        self._work('set_password')
        self._get(spec)

    def snapshot(self, spec, image_id):
        self._work('snapshot')
        record = self._get(spec)
        with self._lock:
            record.setdefault('images', []).append(image_id)
        return record['spec'].disk * 1024 ** 3

    def set_firewall_profile(self, spec, nic_id, profile):
        self._work('set_firewall_profile')
        record = self._get(spec)
        with self._lock:
            record.setdefault('firewall', {})[nic_id] = profile

    def stats(self, spec):
        record = self._get(spec)
        running = record['power'] == 'running'
        return {'cpu_percent': 5.0 if running else 0.0,
                'net_bytes_per_sec': 1024.0 if running else 0.0}
