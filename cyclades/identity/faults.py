"""Errors of the identity API, in Keystone's shape.

Keystone clients read ``{"error": {"code", "title", "message"}}`` and
show its message, so the identity application renders the project's
exceptions this way instead of as compute faults.  Status codes follow
Keystone too: an unknown URL is 404 and a wrong method 405 (compute
answers both with 400), and a 401 names the identity service in
``WWW-Authenticate``.  Errors that are not ``CycladesException`` are
bugs and are left to the fault wrapper filter, which logs them.
"""

import logging

import webob.exc

from cyclades.api import response
from cyclades import exception

LOG = logging.getLogger(__name__)

#: Where Keystone's status differs from the compute API's.
STATUS_OVERRIDES = (
    (exception.EndpointNotFound, 404),
    (exception.MethodNotAllowed, 405),
)

UNEXPECTED = ('An unexpected error prevented the server from fulfilling '
              'your request.')


def status_of(exc):
    for exc_class, status in STATUS_OVERRIDES:
        if isinstance(exc, exc_class):
            return status
    return exc.code


def render(environ, exc, identity_url):
    """The response of a CycladesException raised in the identity API.

    :param identity_url: the service's URL, for ``WWW-Authenticate``.
    """
    status = status_of(exc)
    if status >= 500:
        LOG.error('%s %s failed: %s', environ.get('REQUEST_METHOD'),
                  environ.get('PATH_INFO'), exc.message)
    else:
        LOG.debug('%s %s: %s %s', environ.get('REQUEST_METHOD'),
                  environ.get('PATH_INFO'), status, exc.message)

    headers = dict(exc.headers)
    if status == 401:
        headers['WWW-Authenticate'] = 'Keystone uri="%s"' % identity_url
    body = {'error': {
        'code': status,
        'title': webob.exc.status_map[status].title,
        'message': exc.message if exc.safe else UNEXPECTED,
    }}
    return response.render(environ, status, body, headers, fmt='json')
