"""Subnets: ``/v2.0/subnets``."""

import logging

from cyclades.api.network import common
from cyclades.api.network import listing
from cyclades.api.network import schemas
from cyclades.api.network import views
from cyclades.api import validation
from cyclades.api import wsgi
from cyclades.network import api as network_api

LOG = logging.getLogger(__name__)

FIELDS = frozenset((
    'id', 'name', 'network_id', 'ip_version', 'cidr', 'gateway_ip',
    'allocation_pools', 'enable_dhcp', 'dns_nameservers', 'host_routes',
    'ipv6_address_mode', 'ipv6_ra_mode', 'subnetpool_id',
    'service_types', 'tenant_id', 'project_id', 'description', 'tags',
    'created_at', 'updated_at', 'revision_number'))


class SubnetsController:

    def __init__(self, network_api):
        self.network_api = network_api

    def index(self, req):
        query = listing.parse(req.GET, FIELDS)

        subnets = self.network_api.list_subnets(
            req.context, ids=query.values('id'),
            names=query.values('name'),
            network_ids=query.values('network_id'))
        return wsgi.Result(listing.page(
            req, 'subnets', [views.subnet(subnet) for subnet in subnets],
            query), fmt='json')

    def show(self, req, subnet_id):
        subnet = self.network_api.get_subnet(req.context, subnet_id)
        return wsgi.Result({'subnet': listing.shown(
            views.subnet(subnet), req.GET)}, fmt='json')

    def create(self, req):
        validation.validate(schemas.CREATE_SUBNET, req.body_json)
        item = req.body_json['subnet']
        common.check_owner(req, item)

        subnet = self.network_api.create_subnet(
            req.context, item['network_id'], item['cidr'],
            ip_version=item.get('ip_version'), name=item.get('name', ''),
            gateway=item.get('gateway_ip', network_api.DEFAULT_GATEWAY),
            pools=item.get('allocation_pools'),
            enable_dhcp=item.get('enable_dhcp', True))
        return wsgi.Result({'subnet': views.subnet(subnet)}, status=201,
                           fmt='json')

    def update(self, req, subnet_id):
        validation.validate(schemas.UPDATE_SUBNET, req.body_json)
        item = req.body_json['subnet']

        if 'name' in item:
            subnet = self.network_api.update_subnet(
                req.context, subnet_id, item['name'])
        else:
            subnet = self.network_api.get_subnet(req.context, subnet_id)
        return wsgi.Result({'subnet': views.subnet(subnet)}, fmt='json')

    def delete(self, req, subnet_id):
        self.network_api.delete_subnet(req.context, subnet_id)
        return wsgi.Result(status=204)


def routes(prefix, controller):
    return [
        wsgi.Route(prefix + '/subnets',
                   {'GET': controller.index, 'POST': controller.create}),
        wsgi.Route(prefix + '/subnets/{subnet_id}',
                   {'GET': controller.show, 'PUT': controller.update,
                    'DELETE': controller.delete}),
    ]
