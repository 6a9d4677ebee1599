"""Server connections: /servers/<id>/ips and /ips/<network id>.

A deleted server has no connections left, and the API guide answers 400
for it here, as for other requests about a deleted server.
"""

import logging

from cyclades.api.compute import servers
from cyclades.api import wsgi
from cyclades import exception

LOG = logging.getLogger(__name__)


class ServerIpsController:
    """Handlers of /servers/<id>/ips.

    :param views: the server view module of the dialect.
    """

    def __init__(self, compute_api, views):
        self.compute_api = compute_api
        self.views = views

    def index(self, req, server_id):
        attachments = self.compute_api.server_attachments(
            req.context, servers.parse_server_id(server_id))
        return wsgi.Result(self.views.ips(req, attachments))

    def show(self, req, server_id, network_id):
        server_id = servers.parse_server_id(server_id)
        attachments = self.compute_api.server_attachments(req.context,
                                                          server_id)

        on_network = [item for item in attachments
                      if self.views.network_key(item) == network_id]
        if not on_network:
            raise exception.NotFound('Server %s is not connected to '
                                     'network %s' % (server_id, network_id))
        return wsgi.Result(self.views.network_ips(req, network_id,
                                                  on_network))


def routes(prefix, controller, server_id):
    """The routes of /servers/<id>/ips under ``prefix``.

    :param server_id: the Routes requirement for server ids.
    """
    ids = {'server_id': server_id}
    path = prefix + '/servers/{server_id}/ips'
    return [
        wsgi.Route(path, {'GET': controller.index}, requirements=ids),
        wsgi.Route(path + '/{network_id}', {'GET': controller.show},
                   requirements=ids),
    ]
