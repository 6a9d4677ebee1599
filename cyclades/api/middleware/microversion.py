"""Microversion filter of the OpenStack dialect (``/v2.1`` paths).

OpenStack clients name the microversion they speak in
``OpenStack-API-Version: compute <v>`` or, older ones, in
``X-OpenStack-Nova-API-Version: <v>``; the first wins when it names
compute.  The dialect speaks 2.1 alone: no header, ``2.1`` and
``latest`` get it; a malformed version is a 400 and a well-formed one
we do not speak a 406, as Nova answers.  Every answer of the dialect,
faults included, names the version in both headers, with ``Vary`` on
both so that caches keep versions apart.

It sits between the request id filter and the fault wrapper: outside
the fault wrapper so that faults get the headers too, which is also
why it renders its own 400 and 406.  Other paths pass through
untouched.  It reads no options.

TODO: sitting before the router, it answers 406 to a request without a
token that Nova would answer 401; checking the version after the route
and identity are known would match Nova's order.
"""

import logging
import re

from cyclades.api.middleware import faultwrap
from cyclades import exception

LOG = logging.getLogger(__name__)

#: The path prefix of the dialect, below the compute service's root.
PREFIX = '/v2.1'

MIN_VERSION = '2.1'
MAX_VERSION = '2.1'
LATEST = 'latest'
SERVICE = 'compute'

HEADER = 'OpenStack-API-Version'
LEGACY_HEADER = 'X-OpenStack-Nova-API-Version'
_ENVIRON_HEADER = 'HTTP_OPENSTACK_API_VERSION'
_ENVIRON_LEGACY_HEADER = 'HTTP_X_OPENSTACK_NOVA_API_VERSION'

_VERSION = re.compile(r'([1-9][0-9]*)\.([1-9][0-9]*|0)\Z')


def _as_tuple(version):
    major, minor = _VERSION.match(version).groups()
    return int(major), int(minor)


def requested(environ):
    """The version text a request asks for, or None for the default.

    :raises BadRequest: ``OpenStack-API-Version`` names compute in an
        entry that is not ``compute <version>``.
    """
    for entry in environ.get(_ENVIRON_HEADER, '').split(','):
        parts = entry.split()
        if not parts or parts[0].lower() != SERVICE:
            continue
        if len(parts) != 2:
            raise exception.BadRequest(
                'Invalid %s header %r: "compute <version>" is expected'
                % (HEADER, environ[_ENVIRON_HEADER]))
        return parts[1]
    return environ.get(_ENVIRON_LEGACY_HEADER, '').strip() or None


def negotiate(environ):
    """The version to answer with.

    :raises BadRequest: a malformed version.
    :raises VersionNotAcceptable: a version outside MIN_VERSION..MAX_VERSION.
    """
    version = requested(environ)
    if version is None or version.lower() == LATEST:
        return MAX_VERSION
    if not _VERSION.match(version):
        raise exception.BadRequest(
            'Invalid API version request string %r: "<major>.<minor>" or '
            '"latest" is expected' % version)
    if not (_as_tuple(MIN_VERSION) <= _as_tuple(version)
            <= _as_tuple(MAX_VERSION)):
        raise exception.VersionNotAcceptable(
            version=version, min_version=MIN_VERSION,
            max_version=MAX_VERSION)
    return '%d.%d' % _as_tuple(version)


def version_headers(version):
    return [(HEADER, '%s %s' % (SERVICE, version)),
            (LEGACY_HEADER, version),
            ('Vary', '%s, %s' % (HEADER, LEGACY_HEADER))]


def in_dialect(path):
    return path == PREFIX or path.startswith(PREFIX + '/')


class MicroversionMiddleware:

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if not in_dialect(environ.get('PATH_INFO', '')):
            return self.application(environ, start_response)

        try:
            version = negotiate(environ)
        except exception.CycladesException as exc:
            LOG.debug('%s %s: %s', environ.get('REQUEST_METHOD'),
                      environ.get('PATH_INFO'), exc.message)
            fault = faultwrap.fault_from_exception(environ, exc)
            return fault(environ, start_response)

        added = version_headers(version)
        names = {name.lower() for name, _value in added}

        def _start_response(status, headers, exc_info=None):
            headers = [(name, value) for name, value in headers
                       if name.lower() not in names] + added
            return start_response(status, headers, exc_info)

        return self.application(environ, _start_response)


def filter_factory(global_conf, **local_conf):
    return MicroversionMiddleware
