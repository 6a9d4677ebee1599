"""The version documents of the compute API, served without a token.

Both dialects are current: v2.0 is the Cyclades API, v2.1 the OpenStack
one, whose ``version`` and ``min_version`` bound the microversions it
speaks (2.1 alone; see ``cyclades.api.middleware.microversion``).  v2.0
has no microversions, which Nova shows with empty strings.
"""

from cyclades.api.compute.views import links
from cyclades.api.middleware import microversion
from cyclades.api import wsgi

UPDATED = '2014-02-12T00:00:00Z'

VERSIONS = {
    'v2.0': {'id': 'v2.0', 'status': 'CURRENT', 'updated': UPDATED,
             'version': '', 'min_version': ''},
    'v2.1': {'id': 'v2.1', 'status': 'CURRENT', 'updated': UPDATED,
             'version': microversion.MAX_VERSION,
             'min_version': microversion.MIN_VERSION},
}

MEDIA_TYPES = [
    {'base': 'application/json',
     'type': 'application/vnd.openstack.compute+json;version=2'},
    {'base': 'application/xml',
     'type': 'application/vnd.openstack.compute+xml;version=2'},
]

#: What Nova advertises for v2.1, whose clients speak JSON.
MEDIA_TYPES_V21 = [
    {'base': 'application/json',
     'type': 'application/vnd.openstack.compute+json;version=2.1'},
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
        body['media-types'] = (MEDIA_TYPES_V21 if version_id == 'v2.1'
                               else MEDIA_TYPES)
        return wsgi.Result({'version': body})
