"""Routing requests to controller methods, and what surrounds the call.

A ``Router`` holds an explicit table of paths.  For each request it
finds the path (unknown → 400 "API endpoint not found"), the method
(unknown → 400 "Method not allowed" with ``Allow``), checks the caller's
identity where the route needs one, parses a JSON body where the method
takes one, and renders what the controller returns.
"""

import dataclasses
import json
import logging

import routes
import webob
import webob.dec

from cyclades.api.middleware import request_id
from cyclades.api import response
from cyclades import conf
from cyclades import context as cyclades_context
from cyclades import exception

LOG = logging.getLogger(__name__)
CONF = conf.CONF

BODY_METHODS = ('POST', 'PUT', 'PATCH')


@dataclasses.dataclass
class Result:
    """What a controller method returns: status, body and headers."""

    body: dict | list | None = None
    status: int = 200
    headers: dict = dataclasses.field(default_factory=dict)
    #: Force a format for bodies that have no XML form.
    fmt: str | None = None


@dataclasses.dataclass
class Route:
    """One path and the handlers of its methods.

    :param handlers: HTTP method → bound controller method.
    :param public: the route needs no token.
    """

    path: str
    handlers: dict
    public: bool = False
    requirements: dict = dataclasses.field(default_factory=dict)


class Request(webob.Request):
    """A request that knows its caller and its parsed body."""

    context = None
    body_json = None


def identity_from_headers(req):
    """Build the caller's context from the auth filter's headers.

    :raises NotAuthenticated: the identity was not confirmed.
    """
    headers = req.headers
    if headers.get('X-Identity-Status') != 'Confirmed':
        if not headers.get('X-Auth-Token'):
            raise exception.NotAuthenticated(
                'Access denied. No authentication token')
        raise exception.NotAuthenticated('Invalid token')

    roles = [role.strip() for role in headers.get('X-Roles', '').split(',')
             if role.strip()]
    return cyclades_context.RequestContext(
        user_id=headers.get('X-User-Id'),
        project_id=headers.get('X-Project-Id') or headers.get(
            'X-Tenant-Id'),
        roles=roles,
        request_id=req.environ.get(request_id.ENVIRON_KEY) or
        cyclades_context.generate_request_id(),
        user_name=headers.get('X-User-Name'),
        project_name=headers.get('X-Project-Name'))


def _reject_constant(name):
    raise ValueError('%s is not valid JSON' % name)


def parse_json_body(req):
    """Return the request's JSON object.

    :raises RequestTooLarge: the body is over the configured size.
    :raises BadRequest: no JSON content type, bad UTF-8 or JSON, or not
        an object.
    """
    limit = CONF.api.max_request_body_size
    if req.content_length is not None and req.content_length > limit:
        raise exception.RequestTooLarge()
    raw = req.body_file.read(limit + 1) if req.content_length is None \
        else req.body
    if len(raw) > limit:
        raise exception.RequestTooLarge()

    if req.content_type != 'application/json':
        raise exception.BadRequest(
            'Unsupported Content-Type %r: requests must be '
            'application/json' % (req.content_type or ''))
    if not raw.strip():
        raise exception.BadRequest('The request body is empty')
    try:
        text = raw.decode('utf-8')
        body = json.loads(text, parse_constant=_reject_constant)
    except UnicodeDecodeError:
        raise exception.BadRequest('The request body is not valid UTF-8')
    except (ValueError, RecursionError) as exc:
        raise exception.BadRequest('The request body is not valid JSON: '
                                   '%s' % exc)
    if not isinstance(body, dict):
        raise exception.BadRequest('The request body must be a JSON '
                                   'object')
    return body


class Router:
    """A WSGI application dispatching on an explicit route table."""

    def __init__(self, route_table):
        self.routes = list(route_table)
        self.mapper = routes.Mapper()
        for index, route in enumerate(self.routes):
            self.mapper.connect(route.path, route_index=index,
                                requirements=route.requirements)

    def match(self, path):
        found = self.mapper.match(path)
        if found is None and len(path) > 1 and path.endswith('/'):
            found = self.mapper.match(path.rstrip('/'))
        if found is None:
            raise exception.EndpointNotFound()
        found = dict(found)
        return self.routes[int(found.pop('route_index'))], found

    @webob.dec.wsgify(RequestClass=Request)
    def __call__(self, req):
        try:
            path = req.path_info
        except UnicodeDecodeError:
            # A percent-escape that is not UTF-8 names no path of ours.
            raise exception.EndpointNotFound()
        route, arguments = self.match(path)

        handler = route.handlers.get(req.method)
        if handler is None and req.method == 'HEAD':
            handler = route.handlers.get('GET')
        if handler is None:
            raise exception.MethodNotAllowed(allowed=route.handlers)

        if not route.public:
            req.context = identity_from_headers(req)
        if req.method in BODY_METHODS:
            req.body_json = parse_json_body(req)

        result = handler(req, **arguments)
        if isinstance(result, webob.Response):
            return result
        return response.render(req.environ, result.status, result.body,
                               result.headers, fmt=result.fmt)
