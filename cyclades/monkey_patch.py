"""The one place where eventlet patches the standard library.

Each daemon entry point calls ``patch()`` before importing anything
else, so sockets, threads and sleeps are green in the whole process.
The WSGI application itself never imports eventlet and runs unchanged
under uwsgi or gunicorn.
"""

import os


def _green_psycopg2():
    """Make psycopg2 yield to other green threads while it waits.

    psycopg2 is a C library that blocks the whole process in a query
    unless told to wait through a callback; this one waits on eventlet's
    hub, so a slow query stalls only its own request.
    """
    try:
        import psycopg2
        from psycopg2 import extensions
    except ImportError:
        return

    from eventlet.hubs import trampoline

    def wait_callback(connection, timeout=None):
        while True:
            state = connection.poll()
            if state == extensions.POLL_OK:
                return
            if state == extensions.POLL_READ:
                trampoline(connection.fileno(), read=True)
            elif state == extensions.POLL_WRITE:
                trampoline(connection.fileno(), write=True)
            else:
                raise psycopg2.OperationalError(
                    'Bad result from poll: %r' % state)

    extensions.set_wait_callback(wait_callback)


def patch():
    # eventlet announces on import that it is in maintenance mode; the
    # daemons know, and operators need not see it on every start.
    os.environ.setdefault('EVENTLET_NO_GREENDNS', 'yes')
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        import eventlet
    eventlet.monkey_patch()
    _green_psycopg2()
