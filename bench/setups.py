"""The deployments the benchmark measures, started and torn down by it.

Each setup writes its own configuration into a scratch directory, runs
the console scripts of the virtualenv as child processes bound to
127.0.0.1, and on exit stops every process it started and removes every
resource it made on the shared broker and database servers, whether the
run finished, failed or was interrupted.
"""

import contextlib
import ctypes
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

import kombu
import sqlalchemy as sa

LOG = logging.getLogger(__name__)

BIN_DIR = os.path.dirname(os.path.abspath(sys.executable))

#: Seconds a stopped process gets to exit before it is killed.
STOP_TIMEOUT = 10

#: Seconds a service gets to start answering.
START_TIMEOUT = 60

# The fake host must hold the preloaded servers plus every one the run
# creates; its defaults fit about a thousand servers of flavor 1.
FAKE_HOST_CAPACITY = {'vcpus': 1024 * 1024,
                      'memory_mb': 1024 * 1024 * 1024,
                      'disk_gb': 1024 * 1024 * 1024}

_PR_SET_PDEATHSIG = 1


def _die_with_parent():
    """Runs in the child before exec, so a killed benchmark leaks none.

    Only Linux offers this; elsewhere the finally blocks must do.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def _quietly(function, *args):
    """Run a cleanup step; a failure is logged so the next step runs."""
    try:
        function(*args)
    except Exception as exc:
        LOG.warning('Cleanup step %s failed: %s', function.__name__, exc)


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _write_config(path, sections):
    lines = []
    for section, values in sections.items():
        lines.append('[%s]' % section)
        lines.extend('%s = %s' % item for item in values.items())
        lines.append('')
    with open(path, 'w') as stream:
        stream.write('\n'.join(lines))


def _log_tail(path, lines=20):
    try:
        with open(path, errors='replace') as stream:
            return ''.join(stream.readlines()[-lines:])
    except OSError:
        return '(no log)'


class Process:
    """One console script, in its own session so that a Ctrl-C reaches
    only the benchmark, which then stops it in order.
    """

    def __init__(self, name, script, config_file, log_file):
        self.name = name
        self.log_file = log_file
        self._log = open(log_file, 'ab')
        self.popen = subprocess.Popen(
            [os.path.join(BIN_DIR, script), '--config-file', config_file],
            stdin=subprocess.DEVNULL, stdout=self._log,
            stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform == 'linux'
            else None)
        LOG.info('Started %s (pid %d)', name, self.popen.pid)

    def check_running(self):
        code = self.popen.poll()
        if code is not None:
            raise RuntimeError('%s exited with status %s; log tail:\n%s'
                               % (self.name, code,
                                  _log_tail(self.log_file)))

    def stop(self):
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                LOG.warning('%s did not stop in %d s; killing it',
                            self.name, STOP_TIMEOUT)
                self.popen.kill()
                self.popen.wait()
        self._log.close()
        LOG.info('Stopped %s', self.name)


def _run_manage(config_file, *args):
    result = subprocess.run(
        [os.path.join(BIN_DIR, 'cyclades-manage'), '--config-file',
         config_file] + list(args),
        stdin=subprocess.DEVNULL, capture_output=True, text=True,
        timeout=START_TIMEOUT)
    if result.returncode != 0:
        raise RuntimeError('cyclades-manage %s failed:\n%s%s'
                           % (' '.join(args), result.stdout,
                              result.stderr))
    return result.stdout


def _wait_for_api(url, processes):
    """Poll the public version document until the API answers."""
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        for process in processes:
            process.check_running()
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError('the API at %s did not answer in %d s'
                               % (url, START_TIMEOUT))
        time.sleep(0.1)


class Deployment:
    """What a started setup offers the benchmark."""

    def __init__(self, name, description, database_url, compute_url,
                 token, compute_host, processes):
        self.name = name
        self.description = description
        self.database_url = database_url
        self.compute_url = compute_url
        self.token = token
        self.compute_host = compute_host
        self.processes = processes

    def check_running(self):
        for process in self.processes:
            process.check_running()


def _base_config(workdir, port, build_time, host):
    return {
        'DEFAULT': {'state_path': workdir, 'host': host},
        'api': {'bind_host': '127.0.0.1', 'bind_port': port},
        'compute': {'host': host},
        'fake_driver': dict(FAKE_HOST_CAPACITY, build_time=build_time,
                            action_time=build_time),
        # The benchmark measures the API, not the demo project's limits.
        'quota': dict.fromkeys(('vm', 'total_cpu', 'total_ram', 'cpu',
                                'ram', 'disk'), -1),
    }


def _start(stack, name, description, sections, database_url, workdir,
           scripts):
    """Create the schema, seed the demo and start ``scripts``.

    :param scripts: (process name, console script) pairs; each gets a
        configuration file of its own that names its log file.
    """
    common = os.path.join(workdir, 'cyclades.conf')
    _write_config(common, sections)
    _run_manage(common, 'db', 'sync')
    seeded = dict(line.split('=', 1) for line in
                  _run_manage(common, 'demo').splitlines()
                  if '=' in line)

    processes = []
    for process_name, script in scripts:
        config = os.path.join(workdir, process_name + '.conf')
        log_file = os.path.join(workdir, process_name + '.log')
        own = {section: dict(values) for section, values in
               sections.items()}
        own['DEFAULT']['log_file'] = log_file
        _write_config(config, own)
        process = Process(process_name, script, config, log_file)
        stack.callback(process.stop)
        processes.append(process)

    compute_url = seeded['OS_COMPUTE_URL'].strip()
    _wait_for_api(compute_url.rsplit('/', 1)[0] + '/', processes)
    return Deployment(name, description, database_url, compute_url,
                      seeded['OS_TOKEN'].strip(),
                      sections['compute']['host'], processes)


def _scratch_directory(stack, keep):
    workdir = tempfile.mkdtemp(prefix='cyclades-bench-')
    if keep:
        stack.callback(LOG.info, 'Kept logs and data in %s', workdir)
    else:
        stack.callback(shutil.rmtree, workdir, True)
    return workdir


@contextlib.contextmanager
def embedded(options):
    """cyclades-all on SQLite with the in-process memory:// transport."""
    with contextlib.ExitStack() as stack:
        workdir = _scratch_directory(stack, options.keep)
        host = 'bench-%s' % uuid.uuid4().hex[:8]
        sections = _base_config(workdir, free_port(), options.build_time,
                                host)
        database_url = 'sqlite:///%s' % os.path.join(workdir,
                                                     'cyclades.sqlite')
        sections['database'] = {'connection': database_url}
        sections['messaging'] = {'transport_url': 'memory://'}
        yield _start(stack, 'embedded',
                     'cyclades-all, SQLite, memory:// transport',
                     sections, database_url, workdir,
                     [('cyclades-all', 'cyclades-all')])


def _create_database(stack, admin_url):
    """A PostgreSQL database of our own, dropped when the stack closes."""
    name = 'cyclades_bench_%s' % uuid.uuid4().hex[:12]
    admin = sa.create_engine(admin_url, isolation_level='AUTOCOMMIT')
    stack.callback(admin.dispose)
    with admin.connect() as connection:
        connection.exec_driver_sql('CREATE DATABASE %s' % name)
    LOG.info('Created database %s', name)

    def drop():
        with admin.connect() as connection:
            connection.exec_driver_sql(
                'SELECT pg_terminate_backend(pid) FROM pg_stat_activity '
                'WHERE datname = %s AND pid <> pg_backend_pid()', (name,))
            connection.exec_driver_sql('DROP DATABASE IF EXISTS %s' % name)
        LOG.info('Dropped database %s', name)

    stack.callback(_quietly, drop)
    return admin.url.set(database=name).render_as_string(
        hide_password=False)


def _delete_broker_objects(broker_url, exchange, host):
    """Remove the exchange and the host's queue the run declared.

    Reply queues are exclusive and vanish with their connection.
    """
    queue_name = '%s.compute.%s' % (exchange, host)
    with kombu.Connection(broker_url, connect_timeout=5) as connection:
        channel = connection.channel()
        channel.queue_delete(queue_name)
        channel.exchange_delete(exchange)
    LOG.info('Deleted queue %s and exchange %s', queue_name, exchange)


@contextlib.contextmanager
def rabbit(options):
    """cyclades-api and cyclades-compute over RabbitMQ and PostgreSQL."""
    with contextlib.ExitStack() as stack:
        workdir = _scratch_directory(stack, options.keep)
        suffix = uuid.uuid4().hex[:8]
        host = 'bench-%s' % suffix
        exchange = 'cyclades_bench_%s' % suffix
        # Registered before anything can declare them, so a failure at
        # any later step still removes them.
        stack.callback(_quietly, _delete_broker_objects,
                       options.rabbitmq_url, exchange, host)
        database_url = _create_database(stack, options.postgresql_url)

        sections = _base_config(workdir, free_port(), options.build_time,
                                host)
        sections['api']['workers'] = options.api_workers
        sections['database'] = {'connection': database_url}
        sections['messaging'] = {'transport_url': options.rabbitmq_url,
                                 'exchange': exchange}
        description = ('cyclades-api (%d worker%s) + cyclades-compute, '
                       'PostgreSQL, RabbitMQ'
                       % (options.api_workers,
                          '' if options.api_workers == 1 else 's'))
        yield _start(stack, 'rabbit', description, sections, database_url,
                     workdir, [('cyclades-compute', 'cyclades-compute'),
                               ('cyclades-api', 'cyclades-api')])


SETUPS = {'embedded': embedded, 'rabbit': rabbit}
