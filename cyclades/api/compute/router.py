"""The route table of the compute API.

Every path of the contract is listed, module by module, with its
methods; anything else answers 400 "API endpoint not found" and a
listed path called with another method answers 400 "Method not
allowed".  Each resource module contributes a ``routes()`` list and its
controller is given the view module of the dialect it serves.

The OpenStack dialect (``/v2.1``) serves every path also with a project
id after the version, as Nova's clients may send it.  A project id that
is not the caller's answers 404, as another project's resources do.
Its handlers run with ``read_deleted`` off: a deleted server, flavor or
image answers 404 there, which is how its clients see a deletion end.
"""

import dataclasses
import functools

from cyclades.api.compute import actions
from cyclades.api.compute import consoles
from cyclades.api.compute import flavors
from cyclades.api.compute import images
from cyclades.api.compute import ips
from cyclades.api.compute import limits
from cyclades.api.compute import metadata
from cyclades.api.compute import servers
from cyclades.api.compute import stats
from cyclades.api.compute.views import actions as action_views
from cyclades.api.compute.views import flavors as flavor_views
from cyclades.api.compute.views import images as image_views
from cyclades.api.compute.views import limits as limit_views
from cyclades.api.compute.views import servers as server_views
from cyclades.api.compute.views.openstack import actions as os_action_views
from cyclades.api.compute.views.openstack import flavors as os_flavor_views
from cyclades.api.compute.views.openstack import images as os_image_views
from cyclades.api.compute.views.openstack import limits as os_limit_views
from cyclades.api.compute.views.openstack import servers as os_server_views
from cyclades.api.compute.views import stats as stats_views
from cyclades.api import versions
from cyclades.api import wsgi
from cyclades.compute import api as compute_api
from cyclades.compute import flavors as flavor_api
from cyclades.compute import images as image_api
from cyclades import exception
from cyclades.stats import api as stats_api

#: In the Cyclades dialect a malformed id is an unknown URL (400).
DIGITS = r'\d+'
#: In the OpenStack dialect a malformed id names nothing (404), so that
#: clients can look a server up by name.
ANY_ID = r'[^/]+'
#: Project ids as identity services make them.
PROJECT_ID = r'[0-9a-fA-F-]{32,36}'


def version_routes():
    controller = versions.VersionsController()
    return [
        wsgi.Route('/', {'GET': controller.index}, public=True),
        wsgi.Route('/v2.0', {'GET': functools.partial(
            controller.show, version_id='v2.0')}, public=True),
        wsgi.Route('/v2.1', {'GET': functools.partial(
            controller.show, version_id='v2.1')}, public=True),
    ]


def server_metadata_routes(prefix, compute, views, server_id):
    controller = metadata.MetadataController(compute, views,
                                             servers.parse_server_id)
    return metadata.routes(prefix + '/servers/{resource_id}/metadata',
                           controller, resource_id=server_id)


def image_metadata_routes(prefix, views):
    controller = metadata.MetadataController(image_api.API(), views,
                                             images.parse_image_id)
    return metadata.routes(prefix + '/images/{resource_id}/metadata',
                           controller)


def v20_routes(compute):
    prefix = '/v2.0'
    return (
        servers.routes(prefix,
                       servers.ServersController(compute, server_views),
                       server_id=DIGITS)
        + actions.routes(prefix,
                         actions.ActionsController(compute, action_views),
                         server_id=DIGITS)
        + server_metadata_routes(prefix, compute, server_views, DIGITS)
        + ips.routes(prefix, ips.ServerIpsController(compute, server_views),
                     server_id=DIGITS)
        + stats.routes(prefix,
                       stats.StatsController(stats_api.API(), stats_views),
                       server_id=DIGITS)
        + flavors.routes(prefix,
                         flavors.FlavorsController(flavor_api.API(),
                                                   flavor_views),
                         flavor_id=DIGITS)
        + images.routes(prefix,
                        images.ImagesController(image_api.API(),
                                                image_views))
        + image_metadata_routes(prefix, image_views)
        + limits.routes(prefix, limits.LimitsController(limit_views))
    )


def v21_routes(compute):
    prefix = '/v2.1'
    flavor_controller = flavors.FlavorsController(flavor_api.API(),
                                                  os_flavor_views)
    return openstack_routes(prefix, (
        servers.routes(prefix,
                       servers.ServersController(compute, os_server_views),
                       server_id=ANY_ID)
        + actions.routes(prefix,
                         actions.ActionsController(compute,
                                                   os_action_views),
                         server_id=ANY_ID)
        + server_metadata_routes(prefix, compute, os_server_views,
                                 ANY_ID)
        + ips.routes(prefix,
                     ips.ServerIpsController(compute, os_server_views),
                     server_id=ANY_ID)
        + flavors.routes(prefix, flavor_controller, flavor_id=ANY_ID)
        + flavors.extra_specs_routes(prefix, flavor_controller,
                                     flavor_id=ANY_ID)
        + images.routes(prefix,
                        images.ImagesController(image_api.API(),
                                                os_image_views))
        + image_metadata_routes(prefix, os_image_views)
        + limits.routes(prefix, limits.LimitsController(os_limit_views))
    ))


def openstack_routes(prefix, table):
    """Each route of the OpenStack dialect, as it is and with a project
    id after ``prefix``, its handlers run as ``openstack_handler``."""
    result = []
    for route in table:
        handlers = {method: openstack_handler(handler)
                    for method, handler in route.handlers.items()}
        with_project = dict(route.requirements, project_id=PROJECT_ID)
        result.append(dataclasses.replace(route, handlers=handlers))
        result.append(dataclasses.replace(
            route, handlers=handlers, requirements=with_project,
            path='%s/{project_id}%s' % (prefix, route.path[len(prefix):])))
    return result


def openstack_handler(handler):
    """Run ``handler`` as the OpenStack dialect does: deleted resources
    are not found, and a project id in the path must be the caller's.
    """
    @functools.wraps(handler)
    def handle(req, project_id=None, **arguments):
        if req.context is not None:
            if project_id not in (None, req.context.project_id):
                raise exception.ProjectNotFound(project=project_id)
            req.context.read_deleted = False
        return handler(req, **arguments)
    return handle


def app_factory(global_conf, **local_conf):
    """Paste factory of the compute API application."""
    compute = compute_api.API()
    graphs = stats.StatsController(stats_api.API(), stats_views)
    return wsgi.Router(version_routes() + v20_routes(compute)
                       + v21_routes(compute)
                       + stats.graph_routes(graphs)
                       + consoles.routes(consoles.ConsolePageController()))
