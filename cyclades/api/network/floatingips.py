"""Floating IPs: ``/v2.0/floatingips``.

A project takes a public address and keeps it until it gives it back;
a server gets it with ``{"uuid": <public network>, "fixed_ip": <the
address>}`` on create, or through a port made with it as its fixed
address.  Deleting the server or the port hands it back to the project,
not to the pool.  Making one answers 200, as the original service did.
"""

import logging

from cyclades.api.network import common
from cyclades.api.network import listing
from cyclades.api.network import schemas
from cyclades.api.network import views
from cyclades.api import validation
from cyclades.api import wsgi
from cyclades import exception

LOG = logging.getLogger(__name__)

FIELDS = frozenset((
    'id', 'floating_ip_address', 'floating_network_id',
    'fixed_ip_address', 'port_id', 'router_id', 'status', 'port_details',
    'tenant_id', 'project_id', 'description', 'tags', 'created_at',
    'updated_at', 'revision_number'))


class FloatingIPsController:

    def __init__(self, network_api):
        self.network_api = network_api

    def index(self, req):
        query = listing.parse(req.GET, FIELDS)

        found = self.network_api.list_floating_ips(req.context)
        items = [views.floating_ip(floating) for floating in found]
        return wsgi.Result(listing.page(req, 'floatingips', items, query),
                           fmt='json')

    def show(self, req, floating_ip_id):
        floating = self.network_api.get_floating_ip(req.context,
                                                    floating_ip_id)
        return wsgi.Result({'floatingip': listing.shown(
            views.floating_ip(floating), req.GET)}, fmt='json')

    def create(self, req):
        validation.validate(schemas.CREATE_FLOATING_IP, req.body_json)
        item = req.body_json['floatingip']
        common.check_owner(req, item)

        floating = self.network_api.create_floating_ip(
            req.context, item['floating_network_id'],
            address=item.get('floating_ip_address'))
        return wsgi.Result({'floatingip': views.floating_ip(floating)},
                           fmt='json')

    def update(self, req, floating_ip_id):
        validation.validate(schemas.UPDATE_FLOATING_IP, req.body_json)
        item = req.body_json['floatingip']

        floating = self.network_api.get_floating_ip(req.context,
                                                    floating_ip_id)
        if 'port_id' in item and item['port_id'] != floating.port_id:
            raise exception.BadRequest(
                'A floating IP moves to a port as its fixed address: '
                'create a server with {"uuid": "%s", "fixed_ip": "%s"} '
                'or a port with that fixed IP'
                % (floating.subnet.network_id, floating.address))
        return wsgi.Result({'floatingip': views.floating_ip(floating)},
                           fmt='json')

    def delete(self, req, floating_ip_id):
        self.network_api.delete_floating_ip(req.context, floating_ip_id)
        return wsgi.Result(status=204)


def routes(prefix, controller):
    return [
        wsgi.Route(prefix + '/floatingips',
                   {'GET': controller.index, 'POST': controller.create}),
        wsgi.Route(prefix + '/floatingips/{floating_ip_id}',
                   {'GET': controller.show, 'PUT': controller.update,
                    'DELETE': controller.delete}),
    ]
