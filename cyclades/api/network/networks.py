"""Networks: ``/v2.0/networks``."""

import logging

from cyclades.api.network import common
from cyclades.api.network import listing
from cyclades.api.network import schemas
from cyclades.api.network import views
from cyclades.api import validation
from cyclades.api import wsgi
from cyclades import exception

LOG = logging.getLogger(__name__)

#: The fields a listing may filter on: every field of the view.
FIELDS = frozenset((
    'id', 'name', 'status', 'admin_state_up', 'subnets', 'shared',
    'router:external', 'mtu', 'port_security_enabled',
    'availability_zones', 'ipv4_address_scope', 'ipv6_address_scope',
    'tenant_id', 'project_id', 'description', 'tags', 'created_at',
    'updated_at', 'revision_number'))


class NetworksController:

    def __init__(self, network_api):
        self.network_api = network_api

    def index(self, req):
        query = listing.parse(req.GET, FIELDS)

        networks = self.network_api.list_networks(
            req.context, ids=query.values('id'),
            names=query.values('name'))
        items = [views.network(network) for network in networks]
        return wsgi.Result(listing.page(req, 'networks', items, query),
                           fmt='json')

    def show(self, req, network_id):
        network = self.network_api.get_network(req.context, network_id)
        return wsgi.Result({'network': listing.shown(
            views.network(network), req.GET)}, fmt='json')

    def create(self, req):
        validation.validate(schemas.CREATE_NETWORK, req.body_json)
        item = req.body_json['network']
        common.check_owner(req, item)
        for field in ('shared', 'router:external'):
            if item.get(field):
                raise exception.Forbidden(
                    reason='only operators make %s networks'
                           % ('shared' if field == 'shared'
                              else 'external'))

        network = self.network_api.create_network(req.context,
                                                  item.get('name', ''))
        return wsgi.Result({'network': views.network(network)},
                           status=201, fmt='json')

    def update(self, req, network_id):
        validation.validate(schemas.UPDATE_NETWORK, req.body_json)
        item = req.body_json['network']

        if 'name' in item:
            network = self.network_api.update_network(
                req.context, network_id, item['name'])
        else:
            network = self.network_api.get_network(req.context,
                                                   network_id)
        return wsgi.Result({'network': views.network(network)},
                           fmt='json')

    def delete(self, req, network_id):
        self.network_api.delete_network(req.context, network_id)
        return wsgi.Result(status=204)


def routes(prefix, controller):
    return [
        wsgi.Route(prefix + '/networks',
                   {'GET': controller.index, 'POST': controller.create}),
        wsgi.Route(prefix + '/networks/{network_id}',
                   {'GET': controller.show, 'PUT': controller.update,
                    'DELETE': controller.delete}),
    ]
