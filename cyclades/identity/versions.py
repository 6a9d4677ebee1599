"""The version documents of the identity API, served without a token.

Clients fetch them first, at the URL the catalog gives or the user
typed, to learn which versions exist; keystoneauth expects 300 Multiple
Choices for the list, as Keystone answers.
"""

from cyclades.api import wsgi
from cyclades import conf

CONF = conf.CONF

VERSIONS = {
    'v3': {
        'id': 'v3.14',
        'status': 'stable',
        'updated': '2020-04-07T00:00:00Z',
        'media-types': [{
            'base': 'application/json',
            'type': 'application/vnd.openstack.identity-v3+json'}],
    },
    'v2.0': {
        'id': 'v2.0',
        'status': 'stable',
        'updated': '2014-04-17T00:00:00Z',
        'media-types': [{
            'base': 'application/json',
            'type': 'application/vnd.openstack.identity-v2.0+json'}],
    },
}


def service_url(req):
    """URL of the identity service (``.../identity``) as clients see it."""
    if CONF.api.public_endpoint:
        return CONF.api.public_endpoint.rstrip('/') + req.script_name
    return req.application_url


def version_view(req, path):
    body = dict(VERSIONS[path])
    body['links'] = [{'rel': 'self',
                      'href': '%s/%s/' % (service_url(req), path)}]
    return body


class VersionsController:

    def index(self, req):
        return wsgi.Result({'versions': {'values': [
            version_view(req, path) for path in VERSIONS]}},
            status=300, fmt='json')

    def show(self, req, path):
        return wsgi.Result({'version': version_view(req, path)},
                           fmt='json')
