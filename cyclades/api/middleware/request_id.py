"""Request id filter, and the one log line per request.

It gives each request an id (``req-<uuid>``), returns it in the
``X-Compute-Request-Id`` and ``X-OpenStack-Request-Id`` headers and logs
one line when the response is done: method, path, status, bytes,
duration, request id and user.  It must be the first filter of the
pipeline so that the line covers everything after it, faults included.
It reads no options.
"""

import logging
import time

from cyclades import context

LOG = logging.getLogger(__name__)

ENVIRON_KEY = 'cyclades.request_id'
#: The user id, set by the auth filter for the log line.
USER_KEY = 'cyclades.user_id'


class RequestIdMiddleware:

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        request_id = context.generate_request_id()
        environ[ENVIRON_KEY] = request_id
        started = time.monotonic()
        status_holder = []
        path = environ.get('SCRIPT_NAME', '') + environ.get('PATH_INFO', '')
        if environ.get('QUERY_STRING'):
            path += '?' + environ['QUERY_STRING']

        def _start_response(status, headers, exc_info=None):
            headers = [(name, value) for name, value in headers
                       if name.lower() not in ('x-compute-request-id',
                                               'x-openstack-request-id')]
            headers.append(('X-Compute-Request-Id', request_id))
            headers.append(('X-OpenStack-Request-Id', request_id))
            status_holder.append(status.split(' ', 1)[0])
            return start_response(status, headers, exc_info)

        size = 0
        try:
            for chunk in self.application(environ, _start_response):
                size += len(chunk)
                yield chunk
        finally:
            LOG.info('%s %s status: %s len: %d time: %.4f req: %s '
                     'user: %s', environ.get('REQUEST_METHOD'), path,
                     status_holder[-1] if status_holder else '-', size,
                     time.monotonic() - started, request_id,
                     environ.get(USER_KEY, '-'))


def filter_factory(global_conf, **local_conf):
    return RequestIdMiddleware
