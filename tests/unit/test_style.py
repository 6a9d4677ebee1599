"""The code keeps the project's style: flake8 with 79 columns."""

import os
import subprocess
import sys

from tests import base

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


class StyleTest(base.TestCase):

    def test_flake8_is_clean(self):
        launchers = [os.path.join('bin', name)
                     for name in sorted(os.listdir(os.path.join(ROOT,
                                                                'bin')))]
        result = subprocess.run(
            [sys.executable, '-m', 'flake8', 'cyclades', 'tests', 'bench',
             'tools'] + launchers, cwd=ROOT, capture_output=True,
            text=True, check=False)

        self.assertEqual('', result.stdout + result.stderr)
        self.assertEqual(0, result.returncode)
