"""Ports: ``/v2.0/ports``.

A port made here is free: a server create request attaches it by
naming it (``{"port": <id>}``).  ``device_id`` filters on the server a
port is on; an empty one finds the free ports.
"""

import logging

from cyclades.api.network import common
from cyclades.api.network import listing
from cyclades.api.network import schemas
from cyclades.api.network import views
from cyclades.api import validation
from cyclades.api import wsgi

LOG = logging.getLogger(__name__)

FIELDS = frozenset((
    'id', 'name', 'network_id', 'mac_address', 'fixed_ips', 'device_id',
    'device_owner', 'status', 'admin_state_up', 'security_groups',
    'allowed_address_pairs', 'extra_dhcp_opts', 'port_security_enabled',
    'binding:vnic_type', 'tenant_id', 'project_id', 'description',
    'tags', 'created_at', 'updated_at', 'revision_number'))


def _servers(device_ids):
    """(server ids, whether free ports are wanted) of a device_id
    filter; ids that are not server ids match nothing."""
    if device_ids is None:
        return None, False
    servers = {int(value) for value in device_ids
               if value.isdigit() and len(value) < 10}
    return servers, '' in device_ids


class PortsController:

    def __init__(self, network_api):
        self.network_api = network_api

    def index(self, req):
        query = listing.parse(req.GET, FIELDS)
        server_ids, unattached = _servers(query.values('device_id'))

        found = self.network_api.list_ports(
            req.context, ids=query.values('id'),
            names=query.values('name'),
            network_ids=query.values('network_id'),
            server_ids=server_ids, unattached=unattached)
        return wsgi.Result(listing.page(
            req, 'ports', [views.port(port) for port in found], query),
            fmt='json')

    def show(self, req, port_id):
        port = self.network_api.get_port(req.context, port_id)
        return wsgi.Result({'port': listing.shown(views.port(port),
                                                  req.GET)}, fmt='json')

    def create(self, req):
        validation.validate(schemas.CREATE_PORT, req.body_json)
        item = req.body_json['port']
        common.check_owner(req, item)

        port = self.network_api.create_port(
            req.context, item['network_id'], name=item.get('name', ''),
            fixed_ips=item.get('fixed_ips'))
        return wsgi.Result({'port': views.port(port)}, status=201,
                           fmt='json')

    def update(self, req, port_id):
        validation.validate(schemas.UPDATE_PORT, req.body_json)
        item = req.body_json['port']

        if 'name' in item:
            port = self.network_api.update_port(req.context, port_id,
                                                item['name'])
        else:
            port = self.network_api.get_port(req.context, port_id)
        return wsgi.Result({'port': views.port(port)}, fmt='json')

    def delete(self, req, port_id):
        self.network_api.delete_port(req.context, port_id)
        return wsgi.Result(status=204)


def routes(prefix, controller):
    return [
        wsgi.Route(prefix + '/ports',
                   {'GET': controller.index, 'POST': controller.create}),
        wsgi.Route(prefix + '/ports/{port_id}',
                   {'GET': controller.show, 'PUT': controller.update,
                    'DELETE': controller.delete}),
    ]
