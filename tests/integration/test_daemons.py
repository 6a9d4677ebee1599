"""The daemons as separately running processes, through their REST API.

cyclades-api and cyclades-compute talk over the local RabbitMQ and keep
their state in a PostgreSQL database of the test's own; cyclades-all
runs on the embedded SQLite and memory:// defaults.
"""

import json
import subprocess
import sys

from tests import base
from tests.integration import daemons


class ServerFlow:
    """Drives a server through the API of a running deployment."""

    def __init__(self, test, deployment, api):
        self.test = test
        self.deployment = deployment
        self.client = api.client(deployment.token)
        self.image, self.flavor, self.user = deployment.demo_ids()

    def create(self, name='server'):
        response = self.client.post('/servers', {'server': {
            'name': name, 'imageRef': self.image,
            'flavorRef': str(self.flavor)}})
        self.test.assertEqual(202, response.status, response)
        server = response.json()['server']
        self.test.assertTrue(server['adminPass'])
        self.test.assertEqual('BUILD', server['status'])
        return server['id']

    def show(self, server_id):
        response = self.client.get('/servers/%s' % server_id)
        self.test.assertEqual(200, response.status, response)
        return response.json()['server']

    def wait_for_status(self, server_id, status):
        seen = []

        def reached():
            seen.append(self.show(server_id)['status'])
            return seen[-1] == status

        try:
            daemons.poll(reached)
        except AssertionError:
            raise AssertionError('server %s did not become %s; it stayed '
                                 '%s' % (server_id, status, seen[-1]))


class SeparateDaemonsTest(base.TestCase):

    def setUp(self):
        super().setUp()
        # Builds last long enough for a signal to arrive in the middle.
        self.deployment = self.useFixture(daemons.Deployment(
            database='postgresql', messaging='rabbit',
            options={'fake_driver': {'build_time': 1.0}}))
        # Both start at once; each waits for the other only here.
        self.api = self.deployment.start_api(wait=False)
        self.compute = self.deployment.start_compute(wait=False)
        self.api.wait_ready()
        self.compute.wait_ready()
        self.flow = ServerFlow(self, self.deployment, self.api)

    def build_started(self, server_id):
        return self.deployment.query(
            "SELECT id FROM server_diagnostics WHERE server_id = :id "
            "AND source = 'compute'", id=int(server_id))

    def test_server_lifecycle(self):
        server_id = self.flow.create('lifecycle')
        self.flow.wait_for_status(server_id, 'ACTIVE')

        listed = self.flow.client.get('/servers')
        self.assertEqual(200, listed.status)
        self.assertEqual([(server_id, 'lifecycle')],
                         [(item['id'], item['name'])
                          for item in listed.json()['servers']])
        detail = self.flow.client.get('/servers/detail').json()['servers']
        self.assertEqual([(server_id, 'ACTIVE')],
                         [(item['id'], item['status']) for item in detail])
        shown = self.flow.show(server_id)
        self.assertEqual(self.flow.image, shown['image']['id'])
        self.assertEqual(str(self.flow.flavor), shown['flavor']['id'])
        self.assertEqual(self.flow.user, shown['user_id'])

        deleted = self.flow.client.delete('/servers/%s' % server_id)
        self.assertEqual(204, deleted.status, deleted)
        self.flow.wait_for_status(server_id, 'DELETED')
        self.assertEqual(
            [], self.flow.client.get('/servers').json()['servers'])

    def act(self, server_id, body, expected=202):
        response = self.flow.client.post('/servers/%s/action' % server_id,
                                         body)
        self.assertEqual(expected, response.status, response)

    def test_actions_go_through_the_compute_daemon(self):
        server_id = self.flow.create('actions')
        self.flow.wait_for_status(server_id, 'ACTIVE')

        self.act(server_id, {'shutdown': {}})
        self.flow.wait_for_status(server_id, 'STOPPED')
        self.act(server_id, {'start': {}})
        self.flow.wait_for_status(server_id, 'ACTIVE')
        self.act(server_id, {'reboot': {'type': 'HARD'}})
        self.flow.wait_for_status(server_id, 'ACTIVE')

        bigger = str(self.flow.flavor + 1)
        self.act(server_id, {'resize': {'flavorRef': bigger}})
        self.flow.wait_for_status(server_id, 'VERIFY_RESIZE')
        self.act(server_id, {'confirmResize': None}, expected=204)
        self.flow.wait_for_status(server_id, 'ACTIVE')
        self.assertEqual(bigger, self.flow.show(server_id)['flavor']['id'])

        self.act(server_id, {'resize': {'flavorRef': str(
            self.flow.flavor + 2)}})
        self.flow.wait_for_status(server_id, 'VERIFY_RESIZE')
        self.act(server_id, {'revertResize': None})
        self.flow.wait_for_status(server_id, 'ACTIVE')
        self.assertEqual(bigger, self.flow.show(server_id)['flavor']['id'])

        self.assertEqual(204, self.flow.client.delete(
            '/servers/%s' % server_id).status)
        self.flow.wait_for_status(server_id, 'DELETED')

    def test_sigterm_finishes_builds_and_restart_gets_queued_work(self):
        building = self.flow.create('building')
        daemons.poll(lambda: self.build_started(building),
                     message='the build of server %s to start' % building)

        # Stopping waits for the build under way and exits cleanly.
        self.assertEqual(0, self.compute.stop())
        self.assertEqual('ACTIVE', self.flow.show(building)['status'])

        queued = self.flow.create('queued')
        rows = self.deployment.query(
            'SELECT host FROM servers WHERE id = :id', id=int(queued))
        self.assertEqual([self.deployment.compute_host],
                         [row[0] for row in rows])
        self.assertEqual('BUILD', self.flow.show(queued)['status'])
        self.assertEqual([], self.build_started(queued))

        self.deployment.start_compute()
        self.flow.wait_for_status(queued, 'ACTIVE')


class EmbeddedTest(base.TestCase):

    def test_server_becomes_active(self):
        deployment = self.useFixture(daemons.Deployment(
            database='sqlite', messaging='memory'))
        with open(deployment.config_file) as config_file:
            written = config_file.read()
        self.assertNotIn('transport_url', written)
        self.assertNotIn('connection', written)
        api = deployment.start_all()
        flow = ServerFlow(self, deployment, api)

        server_id = flow.create('embedded')
        flow.wait_for_status(server_id, 'ACTIVE')
        self.assertEqual(
            [server_id],
            [item['id'] for item in
             flow.client.get('/servers/detail').json()['servers']])
        self.assertEqual(0, api.stop())


# A daemon's main thread waiting, and an RPC handler or a request
# running Python code when SIGTERM arrives.
_SIGNAL_SCRIPT = """
from cyclades import monkey_patch
monkey_patch.patch()

import json
import os
import signal
import time

import eventlet

from cyclades import server

server.exit_on_signals()
outcome = {'handler_finished': False, 'main_exited': False}


def handler():
    os.kill(os.getpid(), signal.SIGTERM)
    deadline = time.monotonic() + 0.1
    while time.monotonic() < deadline:
        pass
    outcome['handler_finished'] = True


try:
    eventlet.spawn(handler)
    server.wait_for_signal()
except SystemExit:
    outcome['main_exited'] = True
print(json.dumps(outcome))
"""


class SignalTest(base.TestCase):

    def test_sigterm_ends_the_main_thread_not_the_running_one(self):
        result = subprocess.run(
            [sys.executable, '-c', _SIGNAL_SCRIPT], capture_output=True,
            text=True, timeout=daemons.DEADLINE, stdin=subprocess.DEVNULL)

        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual({'handler_finished': True, 'main_exited': True},
                         json.loads(result.stdout))
