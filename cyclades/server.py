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
import threading

import eventlet
from eventlet import greenthread
import eventlet.hubs
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

    # TODO: on SIGTERM eventlet stops accepting but lets every connection
    # finish its request in hand, and a forked worker is killed with the
    # default handler; neither bounds how long a stop takes nor drains a
    # worker gracefully.  A drain timeout, then closing what is left,
    # would give operators a predictable stop.
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
            _new_event_hub()
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


def _new_event_hub():
    """Give a forked worker an event hub of its own.

    The epoll instance of a hub made before fork() stays shared by the
    parent and every worker: a worker that stops watching the listening
    socket after an accept stops it for all of them, and each process
    is woken by the sockets of the others.
    """
    inherited = eventlet.hubs.get_hub()
    eventlet.hubs.use_hub()
    poll = getattr(inherited, 'poll', None)
    if hasattr(poll, 'close'):
        poll.close()


def exit_on_signals():
    """Turn SIGTERM into SystemExit in the main green thread.

    Python runs a signal handler in whichever green thread is running
    when the signal arrives.  Raised there, SystemExit would end a
    request or an RPC handler halfway and leave the daemon running.  So
    unless the signal caught the main thread or the hub, whose errors
    reach the main thread, the hub throws it into the main thread at
    its next turn, and the finally blocks there stop the service.
    """
    main = greenthread.getcurrent()

    def _handler(signum, frame):
        current = greenthread.getcurrent()
        hub = eventlet.hubs.get_hub()
        if current is main or current is hub.greenlet:
            sys.exit(0)
        hub.schedule_call_global(0, main.throw, SystemExit(0))

    signal.signal(signal.SIGTERM, _handler)


def wait_for_signal():
    """Block the main green thread until a signal ends the process.

    Not by joining a thread: a join that SystemExit interrupts takes
    the thread for finished, so the join of the stop that follows
    returns at once and the process exits under its running handlers.
    """
    threading.Event().wait()
