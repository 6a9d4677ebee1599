"""The compute service's timers: they run, and they end with stop()."""

import threading
import uuid
from unittest import mock

from cyclades.compute.drivers import fake
from cyclades.compute import service
from tests import base
from tests.unit.compute import base as compute_base


class PeriodicLoopTest(compute_base.ComputeTestCase):

    def setUp(self):
        super().setUp()
        self.flags(group='messaging', exchange='test-' + uuid.uuid4().hex)
        self.flags(group='compute', periodic_interval=0.01)

    def test_periodic_tasks_run_until_stopped(self):
        compute = service.ComputeService(host='host-1',
                                         driver=fake.FakeDriver())
        runs = []
        compute.periodic.run = mock.Mock(
            side_effect=lambda: runs.append(threading.current_thread()))

        compute.start()
        self.addCleanup(compute.stop)
        base.wait_for(lambda: len(runs) >= 3, message='periodic runs')
        compute.stop()

        self.assertEqual('periodic-tasks', runs[0].name)
        # The thread that ran them has ended, so no run can follow.
        self.assertFalse(any(thread.is_alive() for thread in runs))
        self.assertEqual([], compute._threads)
