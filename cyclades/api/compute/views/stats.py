"""How the Cyclades dialect shapes a server's statistics links."""

from cyclades.api.compute.views import links

#: The body key of each graph, by the graph's name in its URL.
GRAPH_KEYS = (
    ('cpuBar', 'cpu-bar'),
    ('cpuTimeSeries', 'cpu-ts'),
    ('netBar', 'net-bar'),
    ('netTimeSeries', 'net-ts'),
)


def graph_url(req, token, graph):
    """Graphs live outside the versioned paths, since they need no
    token and serve every dialect alike."""
    return '%s/stats/%s/%s.png' % (links.service_root(req), token, graph)


def stats(req, server_links):
    """The ``stats`` body of GET /servers/<id>/stats."""
    body = {'serverRef': str(server_links.server_id),
            'refresh': server_links.refresh}
    for key, graph in GRAPH_KEYS:
        body[key] = graph_url(req, server_links.token, graph)
    return {'stats': body}
