"""The real daemons as child processes, for integration tests.

``Deployment`` is a fixture that writes a configuration file into a
temporary directory, gives it a PostgreSQL database and a messaging
exchange of its own (or the embedded SQLite and memory:// defaults),
creates the schema and the demo data with cyclades-manage, and starts
the console scripts with their output in files beside the
configuration.  A test that fails shows the end of every daemon's log;
after the test the processes are stopped, the database dropped and the
queues and exchange deleted.
"""

import configparser
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid

import fixtures
import kombu
import sqlalchemy as sa
from testtools import content

from cyclades.compute import rpcapi
from cyclades import demo
from tests import base
from tests import services

#: Longest wait for a daemon to come up or for a state to be reached.
DEADLINE = base.WAIT_TIMEOUT
#: Longest wait for a daemon to exit after SIGTERM before it is killed.
STOP_DEADLINE = 10.0
#: Longest run of one cyclades-manage command.
MANAGE_DEADLINE = 60.0
#: Log lines shown when a daemon misbehaves.
TAIL_LINES = 60

_LISTENING = r'API listening on http://([^:\s]+):(\d+)'
_COMPUTE_STARTED = r'Compute host \S+ started'


def script(name):
    """The console script ``name`` installed beside this interpreter."""
    path = os.path.join(os.path.dirname(sys.executable), name)
    if os.path.exists(path):
        return path
    found = shutil.which(name)
    if found is None:
        raise AssertionError('%s is not installed; run pip install -e .'
                             % name)
    return found


def poll(condition, timeout=DEADLINE, message='condition',
         interval=0.02):
    """Wait for ``condition`` to return a true value, and return it."""
    return base.wait_for(condition, timeout=timeout, interval=interval,
                         message=message)


def _process_stat(pid):
    """(state, parent pid, start time) of a process, or None if gone."""
    try:
        with open('/proc/%d/stat' % pid) as stat:
            fields = stat.read().rsplit(')', 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return fields[0], int(fields[1]), int(fields[19])


def children(pid):
    """Process ids whose parent is ``pid``, from /proc."""
    found = []
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        stat = _process_stat(int(entry))
        if stat is not None and stat[1] == pid:
            found.append(int(entry))
    return sorted(found)


def exited(pid):
    """Whether a process is gone or a zombie waiting to be reaped."""
    stat = _process_stat(pid)
    return stat is None or stat[0] in ('Z', 'X')


class Response:
    """What an HTTP request got back, read in full."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return '<Response %s %r>' % (self.status, self.body[:200])


class Client:
    """A small HTTP client of the compute API, one connection a request."""

    def __init__(self, host, port, token=None, prefix='/compute/v2.0'):
        self.host = host
        self.port = port
        self.token = token
        self.prefix = prefix

    def request(self, method, path, body=None, headers=None, prefix=None):
        all_headers = {'Accept': 'application/json'}
        if self.token:
            all_headers['X-Auth-Token'] = self.token
        payload = None
        if body is not None:
            payload = json.dumps(body).encode('utf-8')
            all_headers['Content-Type'] = 'application/json'
        all_headers.update(headers or {})
        url = (self.prefix if prefix is None else prefix) + path

        connection = http.client.HTTPConnection(self.host, self.port,
                                                timeout=DEADLINE)
        try:
            connection.request(method, url, body=payload,
                               headers=all_headers)
            response = connection.getresponse()
            return Response(response.status, response.headers,
                            response.read())
        finally:
            connection.close()

    def get(self, path, **kwargs):
        return self.request('GET', path, **kwargs)

    def post(self, path, body=None, **kwargs):
        return self.request('POST', path, body=body, **kwargs)

    def delete(self, path, **kwargs):
        return self.request('DELETE', path, **kwargs)


class Daemon:
    """One console script running as a child process."""

    def __init__(self, name, args, log_path, cwd):
        self.name = name
        self.log_path = log_path
        self._log = open(log_path, 'ab')
        self._final_log = None
        self.process = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=self._log,
            stderr=subprocess.STDOUT, cwd=cwd, start_new_session=True)

    @property
    def pid(self):
        return self.process.pid

    def running(self):
        return self.process.poll() is None

    def log(self):
        if self._final_log is not None:
            return self._final_log
        try:
            with open(self.log_path, encoding='utf-8',
                      errors='replace') as log:
                return log.read()
        except FileNotFoundError:
            return ''

    def tail(self, lines=TAIL_LINES):
        return '\n'.join(self.log().splitlines()[-lines:])

    def fail(self, message):
        """Raise with what the daemon has logged so far."""
        state = ('running' if self.running()
                 else 'exited with %s' % self.process.returncode)
        raise AssertionError('%s (%s, pid %d): %s\n--- end of its log ---\n'
                             '%s' % (self.name, state, self.pid, message,
                                     self.tail()))

    def wait_for_log(self, pattern, timeout=DEADLINE):
        """Wait for a line matching ``pattern``; return the match."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            match = regex.search(self.log())
            if match:
                return match
            if not self.running():
                self.fail('exited before logging %r' % pattern)
            if time.monotonic() > deadline:
                self.fail('did not log %r within %ss' % (pattern, timeout))
            time.sleep(0.02)

    def wait_ready(self, timeout=DEADLINE):
        """Wait until the daemon does its work; return the daemon."""
        return self

    def stop(self, signum=signal.SIGTERM, timeout=STOP_DEADLINE):
        """Signal the daemon, wait for it, kill it after ``timeout``.

        Workers it forked and left behind are killed too, so that no
        test leaves processes running.

        :returns: its exit status.
        """
        workers = []
        if self.running():
            # Start times tell a worker from a later process of its pid.
            workers = [(pid, _process_stat(pid))
                       for pid in children(self.pid)]
            self.process.send_signal(signum)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout)
        for pid, stat in workers:
            if stat is not None and _process_stat(pid) == stat:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self._log.close()
        # Kept for the failure report, made after the directory is gone.
        self._final_log = self.log()
        return self.process.returncode


class ComputeDaemon(Daemon):
    """cyclades-compute, ready once it consumes its host's queue."""

    def wait_ready(self, timeout=DEADLINE):
        self.wait_for_log(_COMPUTE_STARTED, timeout)
        return self


class APIDaemon(Daemon):
    """cyclades-api or cyclades-all, which bind the port they log."""

    host = None
    port = None

    def wait_ready(self, timeout=DEADLINE):
        """Wait until ``GET /compute/`` answers 200."""
        deadline = time.monotonic() + timeout
        match = self.wait_for_log(_LISTENING, timeout)
        self.host, self.port = match.group(1), int(match.group(2))
        while True:
            try:
                if self.client().get('/', prefix='/compute').status == 200:
                    return self
            except OSError:
                pass
            if not self.running():
                self.fail('exited before serving /compute/')
            if time.monotonic() > deadline:
                self.fail('did not serve /compute/ within %ss' % timeout)
            time.sleep(0.02)

    def client(self, token=None):
        return Client(self.host, self.port, token=token)

    def request_log_line(self, request_id, timeout=DEADLINE):
        """The request's line in the log, once written."""
        return self.wait_for_log(
            r'(?m)^.*req: %s .*$' % re.escape(request_id), timeout).group(0)


class AllDaemon(APIDaemon):
    """cyclades-all: the API and a compute host in one process."""

    def wait_ready(self, timeout=DEADLINE):
        super().wait_ready(timeout)
        self.wait_for_log(_COMPUTE_STARTED, timeout)
        return self


class Deployment(fixtures.Fixture):
    """A configuration, a database and an exchange the daemons share.

    :param database: 'postgresql' for a database of its own on the
        local server, or 'sqlite' for the embedded default.
    :param messaging: 'rabbit' for an exchange of its own on the local
        RabbitMQ, or 'memory' for the embedded default.
    :param options: {group: {option: value}} added to the file.
    :param seed: create the schema and the demo data.
    """

    def __init__(self, database='postgresql', messaging='rabbit',
                 options=None, seed=True):
        super().__init__()
        self.database = database
        self.messaging = messaging
        self.options = options or {}
        self.seed = seed
        self.token = None
        self.daemons = []

    def _setUp(self):
        self.directory = self.useFixture(fixtures.TempDir()).path
        self.compute_host = 'host-%s' % uuid.uuid4().hex[:12]
        config = {
            'DEFAULT': {'state_path': self.directory,
                        'host': self.compute_host},
            'api': {'bind_host': '127.0.0.1', 'bind_port': '0'},
            'compute': {'report_interval': '1'},
            'fake_driver': {'build_time': '0.2', 'action_time': '0.1'},
        }

        if self.database == 'postgresql':
            self.db_url = self._create_database()
            config['database'] = {'connection': self.db_url}
        else:
            self.db_url = 'sqlite:///%s' % os.path.join(self.directory,
                                                        'cyclades.sqlite')
        if self.messaging == 'rabbit':
            self.broker_url = services.require_rabbitmq()
            self.exchange = 'cyclades-test-%s' % uuid.uuid4().hex
            self.addCleanup(self._delete_broker_entities)
            config['messaging'] = {'transport_url': self.broker_url,
                                   'exchange': self.exchange}

        for group, values in self.options.items():
            config.setdefault(group, {}).update(
                {name: str(value) for name, value in values.items()})
        self.config_file = self._write_config('cyclades.conf', config)
        # Details are copied when the fixture is set up, so this one
        # reads the daemons started later only when it is reported.
        self.addDetail('daemon logs', content.Content(
            content.UTF8_TEXT, self._logs_report))

        if self.seed:
            self.manage('db', 'sync')
            output = self.manage('demo')
            self.token = re.search(r'^OS_TOKEN=(\S+)$', output,
                                   re.M).group(1)

    # The database and the broker.

    def _create_database(self):
        admin_url = services.require_database('postgresql')
        name = 'cyclades_daemons_%s' % uuid.uuid4().hex[:12]
        admin = sa.create_engine(admin_url, isolation_level='AUTOCOMMIT')
        self.addCleanup(admin.dispose)
        with admin.connect() as connection:
            connection.exec_driver_sql('CREATE DATABASE %s' % name)

        def drop():
            with admin.connect() as connection:
                connection.exec_driver_sql(
                    'SELECT pg_terminate_backend(pid) FROM '
                    'pg_stat_activity WHERE datname = %s '
                    'AND pid <> pg_backend_pid()', (name,))
                connection.exec_driver_sql('DROP DATABASE IF EXISTS %s'
                                           % name)

        self.addCleanup(drop)
        return admin.url.set(database=name).render_as_string(
            hide_password=False)

    def query(self, sql, **params):
        """Rows of a query on the deployment's database."""
        engine = sa.create_engine(self.db_url)
        try:
            with engine.connect() as connection:
                return connection.execute(sa.text(sql), params).all()
        finally:
            engine.dispose()

    def demo_ids(self):
        """(image id, smallest flavor id, user id) of the demo data."""
        image = self.query('SELECT id FROM images WHERE name = :name',
                           name=demo.IMAGE['name'])[0][0]
        flavor = self.query('SELECT id FROM flavors ORDER BY vcpus, id')
        user = self.query('SELECT id FROM users WHERE name = :name',
                          name=demo.USER)[0][0]
        return image, flavor[0][0], user

    def _delete_broker_entities(self):
        hosts = {self.compute_host}
        try:
            hosts.update(row[0] for row in
                         self.query('SELECT host FROM compute_hosts'))
        except sa.exc.SQLAlchemyError:
            pass
        with kombu.Connection(self.broker_url) as connection:
            channel = connection.channel()
            for host in sorted(hosts):
                # Queues are named "<exchange>.<topic>" by the transport.
                channel.queue_delete('%s.%s' % (self.exchange,
                                                rpcapi.host_topic(host)))
            channel.exchange_delete(self.exchange)

    # Commands and daemons.

    def _logs_report(self):
        for daemon in self.daemons:
            yield ('--- end of the log of %s (pid %d) ---\n%s\n'
                   % (daemon.name, daemon.pid, daemon.tail())
                   ).encode('utf-8')

    def _write_config(self, name, sections):
        parser = configparser.RawConfigParser()
        for section, values in sections.items():
            if section != 'DEFAULT':
                parser.add_section(section)
            for key, value in values.items():
                parser.set(section, key, value)
        path = os.path.join(self.directory, name)
        with open(path, 'w') as config_file:
            parser.write(config_file)
        return path

    def _config_args(self, options, name):
        args = ['--config-file', self.config_file]
        if options:
            extra = {group: {key: str(value) for key, value in
                             values.items()}
                     for group, values in options.items()}
            args += ['--config-file',
                     self._write_config('%s.conf' % name, extra)]
        return args

    def manage(self, *args):
        """Run cyclades-manage; return its standard output."""
        command = [script('cyclades-manage'),
                   '--config-file', self.config_file] + list(args)
        result = subprocess.run(
            command, cwd=self.directory, stdin=subprocess.DEVNULL,
            capture_output=True, text=True, timeout=MANAGE_DEADLINE)
        if result.returncode != 0:
            raise AssertionError('%s failed with %s:\n%s\n%s' % (
                ' '.join(command[:1] + list(args)), result.returncode,
                result.stdout, result.stderr))
        return result.stdout

    def start(self, command, options=None, cls=Daemon):
        """Start a console script; it is stopped after the test.

        :param options: {group: {option: value}} for this daemon only,
            in a second configuration file that overrides the first.
        :returns: the daemon, which may not be ready yet.
        """
        name = '%s-%d' % (command, len(self.daemons) + 1)
        args = [script(command)] + self._config_args(options, name)
        daemon = cls(name, args, os.path.join(self.directory,
                                              name + '.log'),
                     self.directory)
        self.daemons.append(daemon)
        self.addCleanup(daemon.stop)
        return daemon

    def start_api(self, options=None, wait=True):
        daemon = self.start('cyclades-api', options, cls=APIDaemon)
        return daemon.wait_ready() if wait else daemon

    def start_compute(self, options=None, wait=True):
        daemon = self.start('cyclades-compute', options, cls=ComputeDaemon)
        return daemon.wait_ready() if wait else daemon

    def start_all(self, options=None, wait=True):
        daemon = self.start('cyclades-all', options, cls=AllDaemon)
        return daemon.wait_ready() if wait else daemon
