"""The route table of the network service.

Paths are relative to the service root (``/network``).  The version
documents need no token; everything else under ``/v2.0`` does.  Other
paths and methods get the shared router's 400 answers.
"""

from cyclades.api.network import floatingips
from cyclades.api.network import networks
from cyclades.api.network import ports
from cyclades.api.network import subnets
from cyclades.api.network import versions
from cyclades.api import wsgi
from cyclades.network import api as network_api

PREFIX = '/' + versions.VERSION


def routes(api=None):
    api = api or network_api.API()
    versions_controller = versions.VersionsController()
    return [
        # NOTE: '' is the service root without its slash (``/network``).
        wsgi.Route('', {'GET': versions_controller.index}, public=True),
        wsgi.Route('/', {'GET': versions_controller.index}, public=True),
        wsgi.Route(PREFIX, {'GET': versions_controller.resources},
                   public=True),
        wsgi.Route(PREFIX + '/extensions',
                   {'GET': versions_controller.extensions}),
    ] + (networks.routes(PREFIX, networks.NetworksController(api))
         + subnets.routes(PREFIX, subnets.SubnetsController(api))
         + ports.routes(PREFIX, ports.PortsController(api))
         + floatingips.routes(PREFIX,
                              floatingips.FloatingIPsController(api)))


def app_factory(global_conf, **local_conf):
    """Paste factory of the network service application."""
    return wsgi.Router(routes())
