"""The base TestCase and the helpers every test uses."""

import logging
import os
import time

import fixtures
from oslo_config import fixture as config_fixture
import testtools

from cyclades import conf

CONF = conf.CONF

#: Longest time a test waits for a condition before failing.
WAIT_TIMEOUT = float(os.environ.get('CYCLADES_TEST_WAIT', '20'))


def wait_for(condition, timeout=WAIT_TIMEOUT, interval=0.01,
             message='condition'):
    """Poll ``condition`` until it returns a true value or time runs out.

    :returns: the true value.
    :raises AssertionError: the deadline passed.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError('Timed out after %ss waiting for %s'
                                 % (timeout, message))
        time.sleep(interval)


class TestCase(testtools.TestCase):
    """Isolates configuration and captures logs for every test."""

    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.Timeout(
            int(os.environ.get('CYCLADES_TEST_TIMEOUT', '120')),
            gentle=True))
        self.config_fixture = self.useFixture(config_fixture.Config(CONF))
        CONF([], project='cyclades', default_config_files=[])
        self.log = self.useFixture(fixtures.FakeLogger(
            level=logging.DEBUG, format='%(levelname)s %(name)s '
                                        '%(message)s'))
        self.flags(state_path=self.useFixture(fixtures.TempDir()).path)
        # Production-strength password hashing would dominate the time
        # of every test that seeds a user.
        self.flags(group='identity', password_hash_iterations=1000)

    def flags(self, group=None, **overrides):
        """Override options for this test only."""
        self.config_fixture.config(group=group, **overrides)
