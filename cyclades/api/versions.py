"""The version documents of the compute API, served without a token."""

from cyclades.api.compute.views import links
from cyclades.api import wsgi

UPDATED = '2014-02-12T00:00:00Z'

VERSIONS = {
    'v2.0': {'id': 'v2.0', 'status': 'CURRENT', 'updated': UPDATED,
             'version': '', 'min_version': ''},
}

MEDIA_TYPES = [
    {'base': 'application/json',
     'type': 'application/vnd.openstack.compute+json;version=2'},
    {'base': 'application/xml',
     'type': 'application/vnd.openstack.compute+xml;version=2'},
]


def version_view(req, version_id):
    body = dict(VERSIONS[version_id])
    body['links'] = [{'rel': 'self',
                      'href': '%s/%s/' % (links.service_root(req),
                                          version_id)}]
    return body


class VersionsController:

    def index(self, req):
        return wsgi.Result({'versions': [version_view(req, version_id)
                                         for version_id in VERSIONS]})

    def show(self, req, version_id):
        body = version_view(req, version_id)
        body['media-types'] = MEDIA_TYPES
        return wsgi.Result({'version': body})
