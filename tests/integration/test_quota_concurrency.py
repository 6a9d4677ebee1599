"""Concurrent requests never push a project past a limit.

Many HTTP clients send their requests at the same moment to the running
service, once served by a threaded WSGI server in this process (on
SQLite and PostgreSQL) and once by the daemons themselves, with two API
workers, on PostgreSQL and RabbitMQ.  Exactly as many requests succeed
as the limit has room for, the others answer 413 overLimit, and
afterwards ``quota verify`` finds the kept usage equal to what the
servers hold.
"""

import concurrent.futures
import socketserver
import threading
from wsgiref import simple_server

import testscenarios

from cyclades.db import api as db_api
from cyclades.db.session import transaction
from cyclades import quota
from tests import base
from tests.functional import base as functional
from tests.integration import daemons

load_tests = testscenarios.load_tests_apply_scenarios

#: Requests sent at once.
CLIENTS = 50
#: What the limit under test has room for.
ROOM = 10


class _ThreadedWSGIServer(socketserver.ThreadingMixIn,
                          simple_server.WSGIServer):
    daemon_threads = True
    request_queue_size = 128


class _QuietHandler(simple_server.WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


def at_once(requests):
    """Send each request from a thread of its own, all at one moment.

    :param requests: functions that send one request and return the
        response.
    :returns: the responses, in the order of ``requests``.
    """
    barrier = threading.Barrier(len(requests))

    def send(request):
        barrier.wait()
        return request()

    with concurrent.futures.ThreadPoolExecutor(len(requests)) as pool:
        return list(pool.map(send, requests))


def statuses(responses):
    return sorted(response.status for response in responses)


class ConcurrencyTestCase(functional.FunctionalTestCase):
    """The in-process service, behind a real HTTP server."""

    scenarios = functional.DB_SCENARIOS

    def setUp(self):
        super().setUp()
        self.flags(group='quota', vm=-1, cpu=-1, ram=-1, total_cpu=-1,
                   total_ram=-1, disk=-1)
        self.small = self.flavors[0]
        server = simple_server.make_server(
            '127.0.0.1', 0, self.app, server_class=_ThreadedWSGIServer,
            handler_class=_QuietHandler)
        thread = threading.Thread(target=server.serve_forever,
                                  name='wsgi', daemon=True)
        thread.start()
        self.addCleanup(thread.join)
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        self.http = daemons.Client('127.0.0.1', server.server_port,
                                   token=self.api.token)

    def set_limit(self, resource, value):
        with transaction(writer=True) as session:
            quota.set_limit(session, self.project_id, resource, value)

    def usage(self):
        with transaction() as session:
            return quota.usage(session, self.project_id)

    def live_servers(self):
        with transaction() as session:
            return db_api.server_list(session, self.project_id)

    def assertVerified(self):
        with transaction(writer=True) as session:
            self.assertEqual([], quota.verify(session))

    def create(self):
        return self.http.post('/servers', {'server': {
            'name': 'racer', 'flavorRef': str(self.small.id),
            'imageRef': self.image.id}})

    def assertRoomTaken(self, responses, code=202):
        self.assertEqual([code] * ROOM + [413] * (len(responses) - ROOM),
                         statuses(responses), [r for r in responses
                                               if r.status not in
                                               (code, 413)])
        for response in responses:
            if response.status == 413:
                self.assertEqual(413, response.json()['overLimit']['code'])

    def wait_settled(self, count):
        """Wait until no server of the project has a pending task."""
        def settled():
            servers = self.live_servers()
            return (len(servers) == count
                    and not any(server.task_state for server in servers)
                    and servers)
        return base.wait_for(settled, message='servers to settle')


class ConcurrentCreateTest(ConcurrencyTestCase):

    def check_creates(self, resource, limit):
        self.set_limit(resource, limit)

        responses = at_once([self.create] * CLIENTS)

        self.assertRoomTaken(responses)
        self.assertEqual(limit, self.usage()[resource])
        self.assertVerified()
        servers = self.wait_settled(ROOM)
        self.assertEqual(['ACTIVE'] * ROOM,
                         [server.status for server in servers])
        self.assertEqual(limit, self.usage()[resource])
        self.assertVerified()

    def test_server_limit(self):
        self.check_creates(quota.VM, ROOM)

    def test_cpu_limit(self):
        self.check_creates(quota.CPU, ROOM * self.small.vcpus)

    def test_ram_limit(self):
        self.check_creates(quota.RAM, ROOM * self.small.ram)


class ConcurrentStartTest(ConcurrencyTestCase):

    #: Stopped servers that all try to start.
    SERVERS = 2 * ROOM

    def setUp(self):
        super().setUp()
        responses = at_once([self.create] * self.SERVERS)
        self.assertEqual([202] * self.SERVERS, statuses(responses))
        self.wait_settled(self.SERVERS)
        self.ids = [response.json()['server']['id']
                    for response in responses]
        self.assertEqual([202] * self.SERVERS, statuses(at_once(
            [self.action(server_id, {'shutdown': {}})
             for server_id in self.ids])))
        servers = self.wait_settled(self.SERVERS)
        self.assertEqual(['STOPPED'] * self.SERVERS,
                         [server.status for server in servers])

    def action(self, server_id, body):
        return lambda: self.http.post('/servers/%s/action' % server_id,
                                      body)

    def check_starts(self, resource, limit, body):
        self.set_limit(resource, limit)

        responses = at_once([self.action(server_id, body)
                             for server_id in self.ids])

        self.assertRoomTaken(responses)
        self.assertEqual(limit, self.usage()[resource])
        self.assertVerified()
        servers = self.wait_settled(self.SERVERS)
        self.assertEqual(['ACTIVE'] * ROOM + ['STOPPED'] * ROOM,
                         sorted(server.status for server in servers))
        self.assertEqual(limit, self.usage()[resource])
        self.assertVerified()

    def test_cpu_limit(self):
        self.check_starts(quota.CPU, ROOM * self.small.vcpus,
                          {'start': {}})

    def test_ram_limit(self):
        self.check_starts(quota.RAM, ROOM * self.small.ram,
                          {'reboot': {'type': 'SOFT'}})


class DaemonsTest(base.TestCase):
    """cyclades-api with two workers and cyclades-compute."""

    def test_concurrent_creates_stop_at_the_server_limit(self):
        deployment = self.useFixture(daemons.Deployment(
            database='postgresql', messaging='rabbit', options={
                'quota': {'vm': ROOM}, 'api': {'workers': 2},
                'fake_driver': {'build_time': '0.05'}}))
        deployment.start_compute()
        api = deployment.start_api()
        image, flavor, _user = deployment.demo_ids()
        client = api.client(deployment.token)

        responses = at_once([
            lambda: client.post('/servers', {'server': {
                'name': 'racer', 'flavorRef': str(flavor),
                'imageRef': image}})] * CLIENTS)

        self.assertEqual([202] * ROOM + [413] * (CLIENTS - ROOM),
                         statuses(responses))
        self.assertEqual(ROOM, deployment.query(
            'SELECT count(*) FROM servers WHERE NOT deleted')[0][0])
        daemons.poll(lambda: deployment.query(
            "SELECT count(*) FROM servers WHERE status = 'ACTIVE'"
        )[0][0] == ROOM, message='servers to become ACTIVE')
        self.assertIn('matches', deployment.manage('quota', 'verify'))
        show = deployment.manage('quota', 'show', 'demo')
        self.assertRegex(show, r'cyclades\.vm\s+%d\s+%d\s+default'
                         % (ROOM, ROOM))
