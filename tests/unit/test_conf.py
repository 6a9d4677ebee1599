"""The sample configuration file is generated from the options."""

import os
import subprocess
import sys
import tempfile

from tests import base

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


class SampleConfigTest(base.TestCase):

    def test_etc_cyclades_conf_is_up_to_date(self):
        with tempfile.TemporaryDirectory() as directory:
            output = os.path.join(directory, 'cyclades.conf')
            generator = os.path.join(os.path.dirname(sys.executable),
                                     'oslo-config-generator')
            subprocess.run(
                [generator, '--config-file',
                 os.path.join(ROOT, 'etc', 'cyclades-config-generator.conf'),
                 '--output-file', output], check=True, cwd=ROOT)
            with open(output) as generated:
                expected = generated.read()

        with open(os.path.join(ROOT, 'etc', 'cyclades.conf')) as current:
            self.assertEqual(expected, current.read(),
                             'etc/cyclades.conf is out of date: run '
                             '"make config"')
