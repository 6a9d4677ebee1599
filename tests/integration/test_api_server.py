"""cyclades-api as a process: idle connections, workers, request logs.

The API runs on the embedded SQLite and memory:// defaults; none of
this depends on the database or the broker.
"""

import os
import re
import socket
import time

from cyclades import conf
from tests import base
from tests.integration import daemons

CONF = conf.CONF

# "<date> <time> <pid> <level> <logger> <message>", as config.LOG_FORMAT.
_LOG_PID = re.compile(r'^\S+ \S+ (\d+) ')


def embedded(test, seed=False, **api_options):
    return test.useFixture(daemons.Deployment(
        database='sqlite', messaging='memory', seed=seed,
        options={'api': api_options}))


def read_until_closed(sock, deadline):
    """Everything the peer sends until it closes the connection."""
    received = b''
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError('the server kept the connection open; '
                                 'received %r' % received)
        sock.settimeout(remaining)
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            continue
        if not chunk:
            return received
        received += chunk


def listening_socket_inode(port):
    """The inode of the socket listening on 127.0.0.1:port."""
    with open('/proc/net/tcp') as table:
        next(table)
        for line in table:
            fields = line.split()
            local, state, inode = fields[1], fields[3], int(fields[9])
            if state == '0A' and int(local.split(':')[1], 16) == port:
                return inode
    raise AssertionError('nothing listens on port %d' % port)


def watched_inodes(pid):
    """Inodes of the files the epoll instances of a process watch."""
    inodes = set()
    fd_dir = '/proc/%d/fd' % pid
    for fd in os.listdir(fd_dir):
        try:
            if 'eventpoll' not in os.readlink(os.path.join(fd_dir, fd)):
                continue
            with open('/proc/%d/fdinfo/%s' % (pid, fd)) as info:
                text = info.read()
        except FileNotFoundError:
            continue
        inodes.update(int(found, 16) for found in
                      re.findall(r'^tfd:.*\bino:([0-9a-f]+)', text, re.M))
    return inodes


class IdleTimeoutTest(base.TestCase):

    def test_default_is_twenty_seconds(self):
        self.assertEqual(20, CONF.api.client_socket_timeout)

    def test_idle_connections_are_closed(self):
        api = embedded(self, client_socket_timeout=1).start_api()

        opened = time.monotonic()
        silent = socket.create_connection((api.host, api.port))
        self.addCleanup(silent.close)
        kept = socket.create_connection((api.host, api.port))
        self.addCleanup(kept.close)
        kept.sendall(b'GET /compute/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')

        # A tenth of the default timeout; the test would fail there.
        deadline = opened + 10
        self.assertEqual(b'', read_until_closed(silent, deadline))
        silent_closed = time.monotonic() - opened
        answered = read_until_closed(kept, deadline)
        self.assertTrue(answered.startswith(b'HTTP/1.1 200 '), answered)
        self.assertGreaterEqual(silent_closed, 0.9)
        self.assertLess(time.monotonic() - opened, 5)


class WorkersTest(base.TestCase):

    def test_workers_serve_and_stop_with_the_parent(self):
        api = embedded(self, workers=2).start_api()
        workers = daemons.poll(
            lambda: len(daemons.children(api.pid)) == 2
            and daemons.children(api.pid), message='two API workers')

        client = api.client()
        served = set()

        def both_served():
            response = client.get('/', prefix='/compute')
            self.assertEqual(200, response.status)
            line = api.request_log_line(
                response.headers['X-Compute-Request-Id'])
            served.add(int(_LOG_PID.match(line).group(1)))
            return served == set(workers)

        daemons.poll(both_served, message='both workers to serve, not '
                     'just %s' % served)

        # Each worker watches the listening socket from an event hub of
        # its own; the parent, which never accepts, watches nothing.
        listening = listening_socket_inode(api.port)
        for worker in workers:
            self.assertIn(listening, watched_inodes(worker))
        self.assertEqual(set(), watched_inodes(api.pid))

        self.assertEqual(0, api.stop())
        daemons.poll(lambda: all(daemons.exited(pid) for pid in workers),
                     message='the workers to exit')


class RequestLogTest(base.TestCase):

    def test_one_line_per_request_with_its_id(self):
        deployment = embedded(self, seed=True)
        api = deployment.start_api()
        user = deployment.demo_ids()[2]

        response = api.client(deployment.token).get('/servers?limit=5')
        self.assertEqual(200, response.status)
        request_id = response.headers['X-Compute-Request-Id']
        self.assertRegex(request_id, r'^req-[0-9a-f-]{36}$')
        self.assertEqual(request_id,
                         response.headers['X-OpenStack-Request-Id'])
        self.assertRegex(
            api.request_log_line(request_id),
            r' INFO cyclades\.api\.middleware\.request_id GET '
            r'/compute/v2\.0/servers\?limit=5 status: 200 len: %d '
            r'time: \d+\.\d{4} req: %s user: %s$'
            % (len(response.body), re.escape(request_id), user))

        anonymous = api.client().get('/servers')
        self.assertEqual(401, anonymous.status)
        request_id = anonymous.headers['X-Compute-Request-Id']
        self.assertRegex(
            api.request_log_line(request_id),
            r' GET /compute/v2\.0/servers status: 401 len: %d time: '
            r'\S+ req: %s user: -$'
            % (len(anonymous.body), re.escape(request_id)))
