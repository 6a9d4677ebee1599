"""The version and index documents of the network service.

Clients find the service at the catalog URL (``.../network``) and
follow the ``self`` link of its one version, v2.0, as with Neutron;
both documents are served without a token.
"""

from cyclades.api.compute.views import links
from cyclades.api import wsgi

VERSION = 'v2.0'

#: The resources of v2.0, as its index lists them.
COLLECTIONS = (('network', 'networks'), ('subnet', 'subnets'),
               ('port', 'ports'), ('floatingip', 'floatingips'))

#: The Neutron extensions whose attributes this service shows.
EXTENSIONS = (
    {'alias': 'external-net', 'name': 'Neutron external network',
     'description': 'Adds external network attribute to network '
                    'resource.',
     'updated': '2013-01-14T10:00:00-00:00', 'links': []},
)


def versions_view(req):
    return {'versions': [{
        'id': VERSION, 'status': 'CURRENT',
        'links': [{'rel': 'self', 'href': '%s/%s/'
                   % (links.service_root(req), VERSION)}]}]}


def resources_view(req):
    root = '%s/%s' % (links.service_root(req), VERSION)
    return {'resources': [
        {'name': name, 'collection': collection,
         'links': [{'rel': 'self', 'href': '%s/%s' % (root, collection)}]}
        for name, collection in COLLECTIONS]}


class VersionsController:

    def index(self, req):
        return wsgi.Result(versions_view(req), fmt='json')

    def resources(self, req):
        return wsgi.Result(resources_view(req), fmt='json')

    def extensions(self, req):
        return wsgi.Result({'extensions': [dict(extension)
                                           for extension in EXTENSIONS]},
                           fmt='json')
