"""Compute daemons sample their servers' load and prune old samples."""

import datetime
import math
import threading
import uuid
from unittest import mock

from cyclades.compute.drivers import fake
from cyclades.compute import manager as compute_manager
from cyclades.compute import service
from cyclades.db import api as db_api
from cyclades.db.session import transaction
from cyclades import exception
from cyclades.stats import sampler
from cyclades.stats import samples
from cyclades import utils
from tests import base
from tests.unit.compute import base as compute_base


class FakeLoads(fake.FakeDriver):
    """Answers the load set in ``loads``; servers not in it fail."""

    def __init__(self, loads=None):
        super().__init__()
        self.loads = loads or {}
        self.asked = []

    def stats(self, spec):
        self.asked.append(spec)
        if spec.id not in self.loads:
            raise exception.DriverError(operation='stats',
                                        reason='no server %s' % spec.id)
        return self.loads[spec.id]


class SamplerTest(compute_base.ComputeTestCase):

    def setUp(self):
        super().setUp()
        self.driver = FakeLoads()
        self.sampler = sampler.Sampler('host-1', self.driver)

    def series(self, server_id, since=None):
        since = since or compute_base.ago(86400)
        with transaction() as session:
            return samples.series(session, server_id, since)

    def test_samples_the_live_servers_of_its_host(self):
        mine = self.add_server()
        other_host = self.add_server(host='host-2')
        deleted = self.add_server(deleted=True, status='DELETED')
        self.driver.loads = {
            server_id: {'cpu_percent': 12.5, 'net_bytes_per_sec': 2048}
            for server_id in (mine, other_host, deleted)}

        before = utils.utcnow()
        self.assertEqual(1, self.sampler.sample())

        self.assertEqual([mine], [spec.id for spec in self.driver.asked])
        taken, = self.series(mine)
        self.assertEqual((12.5, 2048.0),
                         (taken.cpu_percent, taken.net_bytes_per_sec))
        self.assertGreaterEqual(taken.sampled_at, before)
        self.assertEqual([], self.series(other_host))
        self.assertEqual([], self.series(deleted))

    def test_the_driver_gets_the_servers_spec(self):
        server_id = self.add_server(flavor=self.flavors[1])

        self.sampler.sample()

        spec, = self.driver.asked
        self.assertEqual((server_id, self.flavors[1].vcpus,
                          self.image.id),
                         (spec.id, spec.vcpus, spec.image_id))

    def test_servers_the_driver_cannot_measure_are_skipped(self):
        building = self.add_server(status='BUILD', task_state='BUILDING')
        running = self.add_server()
        self.driver.loads = {running: {'cpu_percent': 1,
                                       'net_bytes_per_sec': 1}}

        self.assertEqual(1, self.sampler.sample())

        self.assertEqual([], self.series(building))
        self.assertEqual(1, len(self.series(running)))

    def test_unusable_answers_are_skipped(self):
        answers = [{'cpu_percent': math.nan, 'net_bytes_per_sec': 1},
                   {'cpu_percent': 1, 'net_bytes_per_sec': math.inf},
                   {'cpu_percent': 1}, {'cpu_percent': 'lots',
                                        'net_bytes_per_sec': 1},
                   None]
        servers = [self.add_server() for _ in answers]
        self.driver.loads = dict(zip(servers, answers))

        self.assertEqual(0, self.sampler.sample())

        for server_id in servers:
            self.assertEqual([], self.series(server_id))
        self.assertIn('unusable load sample', self.log.output)

    def test_negative_loads_are_stored_as_zero(self):
        server_id = self.add_server()
        self.driver.loads = {server_id: {'cpu_percent': -3,
                                         'net_bytes_per_sec': '-1'}}

        self.sampler.sample()

        taken, = self.series(server_id)
        self.assertEqual((0.0, 0.0),
                         (taken.cpu_percent, taken.net_bytes_per_sec))

    def test_old_samples_of_any_server_are_pruned(self):
        self.flags(group='stats', retention=600)
        mine = self.add_server()
        elsewhere = self.add_server(host='host-2')
        with transaction(writer=True) as session:
            for server_id in (mine, elsewhere):
                for age in (700, 500):
                    samples.record(session, compute_base.ago(age),
                                   {server_id: (1.0, 1.0)})

        self.sampler.sample()

        # The other host's server loses its old sample too.
        for server_id in (mine, elsewhere):
            kept, = self.series(server_id)
            self.assertAlmostEqual(
                500, (utils.utcnow() - kept.sampled_at).total_seconds(),
                delta=5)

    def test_run_logs_failures(self):
        with mock.patch.object(samples, 'servers_of_host',
                               side_effect=RuntimeError('database gone')):
            self.sampler.run()

        self.assertIn('Sampling the servers of host host-1 failed',
                      self.log.output)
        self.assertIn('database gone', self.log.output)


class SeriesTest(compute_base.ComputeTestCase):

    def test_window_and_order(self):
        server_id = self.add_server()
        other = self.add_server()
        now = utils.utcnow()
        with transaction(writer=True) as session:
            for age, cpu in ((30, 3.0), (90, 2.0), (150, 1.0)):
                samples.record(
                    session, now - datetime.timedelta(seconds=age),
                    {server_id: (cpu, cpu * 10), other: (50.0, 0.0)})

        with transaction() as session:
            found = samples.series(
                session, server_id, now - datetime.timedelta(seconds=120))

        self.assertEqual([(2.0, 20.0), (3.0, 30.0)],
                         [(s.cpu_percent, s.net_bytes_per_sec)
                          for s in found])
        self.assertEqual(datetime.timezone.utc, found[0].sampled_at.tzinfo)

    def test_record_nothing(self):
        with transaction(writer=True) as session:
            samples.record(session, utils.utcnow(), {})
            self.assertEqual(0, samples.prune(session, utils.utcnow()))


class SamplingLoopTest(compute_base.ComputeTestCase):

    def setUp(self):
        super().setUp()
        self.flags(group='messaging', exchange='test-' + uuid.uuid4().hex)
        self.flags(group='stats', period=1)

    def test_samples_every_period_until_stopped(self):
        compute = service.ComputeService(host='host-1',
                                         driver=fake.FakeDriver())
        runs = []
        compute.sampler.run = mock.Mock(
            side_effect=lambda: runs.append(threading.current_thread()))

        compute.start()
        self.addCleanup(compute.stop)
        base.wait_for(lambda: len(runs) >= 2, message='sampling runs')
        compute.stop()

        self.assertEqual('stats-sampler', runs[0].name)
        self.assertFalse(any(thread.is_alive() for thread in runs))

    def test_the_running_service_stores_samples(self):
        driver = fake.FakeDriver()
        server_id = self.add_server()
        with transaction() as session:
            server = db_api.server_get(session, server_id)
        driver.spawn(compute_manager.server_spec(server), 'pass')
        compute = service.ComputeService(host='host-1', driver=driver)

        compute.start()
        self.addCleanup(compute.stop)

        def stored():
            with transaction() as session:
                return samples.series(session, server_id,
                                      compute_base.ago(60))
        taken = base.wait_for(stored, message='a sample')
        self.assertEqual(5.0, taken[0].cpu_percent)
