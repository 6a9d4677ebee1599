"""Server statistics: /servers/<id>/stats and the graphs it links to.

The stats of a server are links to PNG graphs of its load.  The graphs
are served at ``/stats/<token>/<graph>.png`` without authentication:
the token, signed and expiring, stands for the server.  A bad, forged
or expired token, or one whose server was deleted since, answers 404,
so that links cannot be probed; a graph name that does not exist is an
unknown URL (400), like any other.  A deleted server's stats answer 400
while it is still visible, as its connections do.
"""

import logging

import webob

from cyclades.api.compute import servers
from cyclades.api import response
from cyclades.api import wsgi
from cyclades.stats import graphs

LOG = logging.getLogger(__name__)

#: The Routes requirement of graph names.
GRAPH_NAMES = '|'.join(sorted(graphs.GRAPHS))


class StatsController:
    """Handlers of /servers/<id>/stats and of the graphs.

    :param views: the stats view module of the dialect.
    """

    def __init__(self, stats_api, views):
        self.stats_api = stats_api
        self.views = views

    def show(self, req, server_id):
        server_links = self.stats_api.links(
            req.context, servers.parse_server_id(server_id))
        return wsgi.Result(self.views.stats(req, server_links))

    def graph(self, req, token, graph):
        image = self.stats_api.graph(token, graph)

        result = webob.Response(body=image, content_type='image/png')
        for name, value in response.NO_CACHE_HEADERS:
            result.headers[name] = value
        return result


def routes(prefix, controller, server_id):
    """The route of /servers/<id>/stats under ``prefix``.

    :param server_id: the Routes requirement for server ids.
    """
    return [
        wsgi.Route(prefix + '/servers/{server_id}/stats',
                   {'GET': controller.show},
                   requirements={'server_id': server_id}),
    ]


def graph_routes(controller):
    """The public route of the graph images, outside any version."""
    return [
        wsgi.Route('/stats/{token}/{graph}.png', {'GET': controller.graph},
                   public=True,
                   requirements={'token': r'[^/]+', 'graph': GRAPH_NAMES}),
    ]
