"""A slow query stalls only its own green thread in the daemons.

Each probe runs in a process of its own (``green_db_probe.py``): one
green thread sleeps a second in the database while another ticks every
10 ms.  Patched as the daemons are, the ticker keeps going; the
controls show that the same probe sees a stalled loop when the driver
blocks, so the counts mean something.
"""

import json
import os
import subprocess
import sys

from tests import base
from tests import services

PROBE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                     'green_db_probe.py')

#: Turns the ticker must get during the one-second query when the loop
#: runs; about 100 on an idle machine, kept low for busy ones.
MIN_TICKS = 30
#: Turns it may get when the loop is stalled.
MAX_STALLED_TICKS = 2


class GreenDatabaseTest(base.TestCase):

    def probe(self, backend, *modes):
        """Run a probe per mode at once; return their tick counts."""
        url = services.require_database(backend)
        processes = []
        for mode in modes:
            process = subprocess.Popen(
                [sys.executable, PROBE, mode, url], stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                text=True)
            self.addCleanup(process.wait)
            self.addCleanup(process.kill)
            processes.append(process)

        ticks = []
        for mode, process in zip(modes, processes):
            out, err = process.communicate(timeout=base.WAIT_TIMEOUT)
            self.assertEqual(0, process.returncode, '%s: %s' % (mode, err))
            outcome = json.loads(out)
            self.assertGreaterEqual(outcome['seconds'], 0.95, outcome)
            ticks.append(outcome['ticks'])
        return ticks

    def test_postgresql_query_lets_other_green_threads_run(self):
        patched, control = self.probe('postgresql', 'patched',
                                      'no-wait-callback')

        self.assertGreaterEqual(patched, MIN_TICKS)
        # Without the wait callback psycopg2 blocks the whole process.
        self.assertLessEqual(control, MAX_STALLED_TICKS)

    def test_mysql_query_lets_other_green_threads_run(self):
        patched, control = self.probe('mysql', 'patched', 'unpatched')

        self.assertGreaterEqual(patched, MIN_TICKS)
        # PyMySQL is green through the patched socket module alone.
        self.assertLessEqual(control, MAX_STALLED_TICKS)
