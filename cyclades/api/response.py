"""Turning a body dict into an HTTP response, JSON or XML.

Every response of the API, faults included, is built here, so the
headers the contract requires (charset, length, no-cache) are set in
one place.
"""

import json

import webob

from cyclades.api import negotiation
from cyclades.api import xmlutil

NO_CACHE_HEADERS = (
    ('Cache-Control', 'no-cache, no-store, must-revalidate, max-age=0'),
    ('Pragma', 'no-cache'),
    ('Expires', 'Thu, 01 Jan 1970 00:00:00 GMT'),
)


def render(environ, status, body=None, headers=None, fmt=None):
    """Build a webob Response for ``body`` in the negotiated format.

    :param body: a dict with one top-level key, or None for no body.
    :param fmt: force 'json' (for endpoints that have no XML form).
    """
    fmt = fmt or negotiation.response_format(environ)
    response = webob.Response(status=status)
    response.headers.pop('Content-Type', None)

    if body is not None:
        if fmt == negotiation.XML:
            payload = xmlutil.to_xml(body)
        else:
            payload = json.dumps(body).encode('utf-8')
        response.body = payload
        response.headers['Content-Type'] = '%s; charset=UTF-8' % (
            negotiation.CONTENT_TYPES[fmt])
    else:
        response.body = b''
        if status != 304:
            response.headers['Content-Type'] = 'text/plain; charset=UTF-8'

    for name, value in NO_CACHE_HEADERS:
        response.headers[name] = value
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def render_fault(environ, name, code, message, details=''):
    """A fault document, as section 1 of the contract shapes it."""
    fmt = negotiation.response_format(environ)
    if fmt == negotiation.XML:
        response = render(environ, code, None)
        response.body = xmlutil.fault_to_xml(name, code, message, details)
        response.headers['Content-Type'] = 'application/xml; charset=UTF-8'
        return response
    return render(environ, code, {name: {'code': code, 'message': message,
                                         'details': details}})
