"""The eventlet WSGI server loop of the daemons.

Only processes that called ``cyclades.monkey_patch.patch()`` first use
this module.  With more than one worker the parent binds the socket,
forks the workers, which all accept on it, and replaces any that dies.
"""

import errno
import logging
import os
import signal
import sys

import eventlet
import eventlet.wsgi

from cyclades import conf
from cyclades.db import session as db_session

LOG = logging.getLogger(__name__)
CONF = conf.CONF

#: Green threads serving connections in one worker.
POOL_SIZE = 1000


class _AccessLogSilencer:
    """eventlet's own access log; ours is the request id filter's."""

    def write(self, data):
        pass


class WSGIServer:
    """Serves a WSGI application on [api] bind_host and bind_port."""

    def __init__(self, application, host=None, port=None, workers=None):
        self.application = application
        self.host = host or CONF.api.bind_host
        self.port = CONF.api.bind_port if port is None else port
        self.workers = workers or CONF.api.workers
        self.socket = None
        self._children = set()
        self._running = True

    def listen(self):
        self.socket = eventlet.listen((self.host, self.port), backlog=1024)
        self.port = self.socket.getsockname()[1]
        LOG.info('API listening on http://%s:%s with %d worker(s)',
                 self.host, self.port, self.workers)
        return self.socket

    def _serve(self):
        timeout = CONF.api.client_socket_timeout or None
        eventlet.wsgi.server(
            self.socket, self.application,
            custom_pool=eventlet.GreenPool(POOL_SIZE),
            log=_AccessLogSilencer(), log_output=False,
            socket_timeout=timeout, keepalive=True, debug=False)

    def run(self):
        """Serve until stopped; in the parent with workers, supervise."""
        if self.socket is None:
            self.listen()
        if self.workers == 1:
            self._serve()
            return

        signal.signal(signal.SIGTERM, self._stop_children)
        signal.signal(signal.SIGINT, self._stop_children)
        while self._running:
            while len(self._children) < self.workers and self._running:
                self._fork_worker()
            try:
                pid, status = os.wait()
            except OSError as exc:
                if exc.errno in (errno.EINTR, errno.ECHILD):
                    continue
                raise
            if pid in self._children:
                self._children.discard(pid)
                if self._running:
                    LOG.warning('API worker %d exited (status %d); '
                                'starting another', pid, status)
        for pid in list(self._children):
            try:
                os.waitpid(pid, 0)
            except OSError:
                pass

    def _fork_worker(self):
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            # No database connection may be shared with the parent.
            db_session.dispose()
            try:
                self._serve()
            finally:
                os._exit(0)
        self._children.add(pid)
        LOG.info('Started API worker %d', pid)

    def _stop_children(self, signum, frame):
        self._running = False
        for pid in list(self._children):
            try:
                os.kill(pid, signal.SIGTERM)
            except OSError:
                pass


def exit_on_signals():
    """Turn SIGTERM into SystemExit so that finally blocks run."""
    def _handler(signum, frame):
        sys.exit(0)
    signal.signal(signal.SIGTERM, _handler)
