"""The route table of the compute API.

Every path of the contract is listed here with its methods; anything
else answers 400 "API endpoint not found" and a listed path called with
another method answers 400 "Method not allowed".
"""

import functools

from cyclades.api.compute import servers
from cyclades.api import versions
from cyclades.api import wsgi
from cyclades.compute import api as compute_api

ID = r'\d+'


def v20_routes(compute):
    server_controller = servers.ServersController(compute)
    version_controller = versions.VersionsController()
    prefix = '/v2.0'
    server_ids = {'server_id': ID}

    return [
        wsgi.Route('/', {'GET': version_controller.index}, public=True),
        wsgi.Route(prefix, {'GET': functools.partial(
            version_controller.show, version_id='v2.0')}, public=True),
        wsgi.Route(prefix + '/servers',
                   {'GET': server_controller.index,
                    'POST': server_controller.create}),
        wsgi.Route(prefix + '/servers/detail',
                   {'GET': server_controller.detail}),
        wsgi.Route(prefix + '/servers/{server_id}',
                   {'GET': server_controller.show,
                    'DELETE': server_controller.delete},
                   requirements=server_ids),
        wsgi.Route(prefix + '/servers/{server_id}/diagnostics',
                   {'GET': server_controller.diagnostics},
                   requirements=server_ids),
    ]


def app_factory(global_conf, **local_conf):
    """Paste factory of the compute API application."""
    return wsgi.Router(v20_routes(compute_api.API()))
