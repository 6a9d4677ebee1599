"""The route table of the compute API.

Every path of the contract is listed, module by module, with its
methods; anything else answers 400 "API endpoint not found" and a
listed path called with another method answers 400 "Method not
allowed".  Each resource module contributes a ``routes()`` list and its
controller is given the view module of the dialect it serves.
"""

import functools

from cyclades.api.compute import actions
from cyclades.api.compute import flavors
from cyclades.api.compute import image_metadata
from cyclades.api.compute import images
from cyclades.api.compute import ips
from cyclades.api.compute import server_metadata
from cyclades.api.compute import servers
from cyclades.api.compute.views import actions as action_views
from cyclades.api.compute.views import flavors as flavor_views
from cyclades.api.compute.views import images as image_views
from cyclades.api.compute.views import servers as server_views
from cyclades.api import versions
from cyclades.api import wsgi
from cyclades.compute import api as compute_api
from cyclades.compute import flavors as flavor_api
from cyclades.compute import images as image_api

#: In the Cyclades dialect a malformed id is an unknown URL (400).
DIGITS = r'\d+'


def version_routes():
    controller = versions.VersionsController()
    return [
        wsgi.Route('/', {'GET': controller.index}, public=True),
        wsgi.Route('/v2.0', {'GET': functools.partial(
            controller.show, version_id='v2.0')}, public=True),
    ]


def v20_routes(compute):
    prefix = '/v2.0'
    return (
        servers.routes(prefix,
                       servers.ServersController(compute, server_views),
                       server_id=DIGITS)
        + actions.routes(prefix,
                         actions.ActionsController(compute, action_views),
                         server_id=DIGITS)
        + server_metadata.routes(
            prefix, server_metadata.ServerMetadataController(
                compute, server_views), server_id=DIGITS)
        + ips.routes(prefix, ips.ServerIpsController(compute, server_views),
                     server_id=DIGITS)
        + flavors.routes(prefix,
                         flavors.FlavorsController(flavor_api.API(),
                                                   flavor_views),
                         flavor_id=DIGITS)
        + images.routes(prefix,
                        images.ImagesController(image_api.API(),
                                                image_views))
        + image_metadata.routes(
            prefix, image_metadata.ImageMetadataController(
                image_api.API(), image_views))
    )


def app_factory(global_conf, **local_conf):
    """Paste factory of the compute API application."""
    compute = compute_api.API()
    return wsgi.Router(version_routes() + v20_routes(compute))
