"""The identity application: its route table and its error shape.

Every route is public as far as the router goes: creating a token needs
no token, and the handlers that do need one (checking and revoking)
ask for the caller's identity themselves.  Errors leave as Keystone
error documents (see ``faults``).
"""

import functools

from cyclades.api import wsgi
from cyclades import exception
from cyclades.identity import faults
from cyclades.identity import v2_tokens
from cyclades.identity import v3_tokens
from cyclades.identity import versions


def routes():
    versions_controller = versions.VersionsController()
    v3 = v3_tokens.TokensController()
    v2 = v2_tokens.TokensController()
    return [
        wsgi.Route('/', {'GET': versions_controller.index}, public=True),
        wsgi.Route('/v3', {'GET': functools.partial(
            versions_controller.show, path='v3')}, public=True),
        wsgi.Route('/v2.0', {'GET': functools.partial(
            versions_controller.show, path='v2.0')}, public=True),
        wsgi.Route('/v3/auth/tokens',
                   {'POST': v3.create, 'GET': v3.show, 'HEAD': v3.show,
                    'DELETE': v3.delete}, public=True),
        wsgi.Route('/v2.0/tokens', {'POST': v2.create}, public=True),
    ]


class IdentityApplication:
    """Routes a request and renders what it raises the Keystone way."""

    def __init__(self, router):
        self.router = router

    def __call__(self, environ, start_response):
        # ``/identity`` without a slash is the versions document too.
        if not environ.get('PATH_INFO'):
            environ['PATH_INFO'] = '/'
        try:
            return self.router(environ, start_response)
        except exception.CycladesException as exc:
            req = wsgi.Request(environ)
            fault = faults.render(environ, exc, versions.service_url(req))
            return fault(environ, start_response)


def app_factory(global_conf, **local_conf):
    """Paste factory of the identity API application."""
    return IdentityApplication(wsgi.Router(routes()))
