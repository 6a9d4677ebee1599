"""The embedded cloud of ``make run``, for tests of real clients.

``EmbeddedCloud`` does what a person does after a fresh clone: it
creates the schema, runs ``cyclades-manage demo`` and starts
``cyclades-all`` on the embedded SQLite and memory:// defaults.  The
demo prints the API's port, so a free port is chosen first and written
into the configuration.  The ``export`` lines of the demo become the
environment the clients run with, exactly as a shell that sourced them.

``CloudTestCase`` shares one cloud among the tests of a class, since
the clients take seconds to start; each test deletes the servers it
leaves behind.
"""

import json
import os
import shlex
import socket
import subprocess

import fixtures
from testtools import content

from tests import base
from tests.integration import daemons

#: Seconds the fake driver takes to build a server and to act on one:
#: long enough for clients to see BUILD, short enough for the tests.
BUILD_TIME = 0.3
ACTION_TIME = 0.2

#: Longest run of one client command; clients that wait poll every
#: few seconds.
CLIENT_DEADLINE = 90.0


def free_port(host='127.0.0.1'):
    """A TCP port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def parse_demo(output):
    """The variables of the demo's output: (plain, exported) dicts.

    Values are quoted for the shell; shlex reads them as a shell would.
    """
    plain, exported = {}, {}
    for line in output.splitlines():
        words = shlex.split(line)
        if not words:
            continue
        target = plain
        if words[0] == 'export':
            target, words = exported, words[1:]
        for word in words:
            name, sep, value = word.partition('=')
            if not sep:
                raise AssertionError('not an assignment in the demo '
                                     'output: %r' % line)
            target[name] = value
    return plain, exported


class EmbeddedCloud(fixtures.Fixture):
    """cyclades-all serving the demo data on a port of its own."""

    def _setUp(self):
        self.port = free_port()
        self.deployment = self.useFixture(daemons.Deployment(
            database='sqlite', messaging='memory', seed=False,
            options={
                'api': {'bind_port': self.port},
                'fake_driver': {'build_time': BUILD_TIME,
                                'action_time': ACTION_TIME},
                # Each client command logs in with the password.
                'identity': {'password_hash_iterations': 1000},
            }))
        self.directory = self.deployment.directory

        self.deployment.manage('db', 'sync')
        self.demo_output = self.deployment.manage('demo')
        self.variables, self.exported = parse_demo(self.demo_output)
        self.token = self.variables['OS_TOKEN']
        self.compute_url = self.variables['OS_COMPUTE_URL']
        self.root_url = self.compute_url.rsplit('/compute/', 1)[0]

        self.api = self.deployment.start_all()
        if self.api.port != self.port:
            raise AssertionError('cyclades-all listens on %s, the demo '
                                 'printed %s' % (self.api.port, self.port))

    def client(self):
        """A client of the Cyclades dialect with the demo token."""
        return self.api.client(token=self.token)

    def environment(self, home):
        """The environment of a shell that sourced the demo's output.

        Nothing of the test runner's own ``OS_*`` variables leaks in,
        and ``home`` keeps the clients' caches and configuration out of
        the user's.
        """
        env = {name: value for name, value in os.environ.items()
               if not name.startswith('OS_')}
        env.update(self.exported)
        env['HOME'] = home
        env['NO_PROXY'] = env['no_proxy'] = '127.0.0.1,localhost'
        return env

    def demo_ids(self):
        """(image id, smallest flavor id) of the demo data."""
        image, flavor, _user = self.deployment.demo_ids()
        return image, str(flavor)

    def server(self, server_id):
        """A server as the Cyclades dialect shows it, or None if gone."""
        response = self.client().get('/servers/%s' % server_id)
        if response.status == 404:
            return None
        if response.status != 200:
            raise AssertionError('GET /servers/%s: %r'
                                 % (server_id, response))
        server = response.json()['server']
        return None if server['status'] == 'DELETED' else server

    def wait_for_server(self, server_id, status):
        """Wait until a server is in ``status`` with no task pending."""
        def settled():
            server = self.server(server_id)
            if server is None:
                raise AssertionError('server %s is gone' % server_id)
            if server['status'] == 'ERROR':
                raise AssertionError('server %s failed: %r'
                                     % (server_id, server))
            return (server['status'] == status
                    and not server.get('SNF:task_state'))

        return daemons.poll(settled, message='server %s to be %s'
                            % (server_id, status))

    def create_server(self, name):
        """A server built through the Cyclades dialect, quickly."""
        image, flavor = self.demo_ids()
        response = self.client().post('/servers', {'server': {
            'name': name, 'imageRef': image, 'flavorRef': flavor}})
        if response.status != 202:
            raise AssertionError('POST /servers: %r' % response)
        server_id = response.json()['server']['id']
        self.wait_for_server(server_id, 'ACTIVE')
        return server_id

    def server_ids(self):
        response = self.client().get('/servers')
        if response.status != 200:
            raise AssertionError('GET /servers: %r' % response)
        return [server['id'] for server in response.json()['servers']]

    def delete_servers(self):
        """Delete every server of the demo project and wait for it.

        A server in the middle of an action refuses the delete for a
        moment, so deletes are repeated until nothing is left.
        """
        client = self.client()

        def all_gone():
            remaining = self.server_ids()
            for server_id in remaining:
                client.delete('/servers/%s' % server_id)
            return not remaining

        daemons.poll(all_gone, interval=0.2,
                     message='the servers of the demo to be deleted')


class CloudTestCase(base.TestCase):
    """Tests that share one embedded cloud per class.

    The first test of the class starts it, so that a class whose tests
    all skip starts nothing; it stops after the last one.
    """

    cloud = None

    @classmethod
    def tearDownClass(cls):
        if cls.cloud is not None:
            cls.cloud.cleanUp()
            cls.cloud = None
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        if type(self).cloud is None:
            cloud = EmbeddedCloud()
            cloud.setUp()
            type(self).cloud = cloud

        self.home = self.useFixture(fixtures.TempDir()).path
        self.addCleanup(self.cloud.delete_servers)
        # Read when a test fails, so the log covers the whole test.
        self.addDetail('cyclades-all log', content.Content(
            content.UTF8_TEXT,
            lambda: [self.cloud.api.tail().encode('utf-8')]))

    def run_client(self, args, timeout=CLIENT_DEADLINE, env=None):
        """Run a client command; return its standard output.

        :raises AssertionError: it failed, with what it printed.
        """
        result = subprocess.run(
            args, env=env or self.cloud.environment(self.home),
            cwd=self.home, stdin=subprocess.DEVNULL, capture_output=True,
            text=True, timeout=timeout)
        if result.returncode != 0:
            raise AssertionError(
                '%s exited with %d\n--- stdout ---\n%s\n--- stderr ---\n%s'
                % (' '.join(shlex.quote(arg) for arg in args),
                   result.returncode, result.stdout, result.stderr))
        return result.stdout

    @staticmethod
    def parse_json(output):
        try:
            return json.loads(output)
        except ValueError:
            raise AssertionError('not JSON: %r' % output)
