"""Links to resources, built from the request or the configured endpoint."""

from cyclades import conf

CONF = conf.CONF


_SERVICE_ROOT = 'cyclades.links.service_root'
_HOST_ROOT = 'cyclades.links.host_root'


def service_root(req):
    """URL of the compute service (``.../compute``) as clients see it.

    A listing links every item, so the root is worked out once per
    request and kept in its environment.
    """
    root = req.environ.get(_SERVICE_ROOT)
    if root is None:
        if CONF.api.public_endpoint:
            root = CONF.api.public_endpoint.rstrip('/') + req.script_name
        else:
            root = req.application_url
        req.environ[_SERVICE_ROOT] = root
    return root


def host_root(req):
    """URL of the host, for links into the other services."""
    root = req.environ.get(_HOST_ROOT)
    if root is None:
        if CONF.api.public_endpoint:
            root = CONF.api.public_endpoint.rstrip('/')
        else:
            root = req.host_url
        req.environ[_HOST_ROOT] = root
    return root


def resource_links(req, version, collection, resource_id):
    root = service_root(req)
    return [
        {'rel': 'self',
         'href': '%s/%s/%s/%s' % (root, version, collection, resource_id)},
        {'rel': 'bookmark',
         'href': '%s/%s/%s' % (root, collection, resource_id)},
    ]


def image_links(req, version, image_id):
    links = resource_links(req, version, 'images', image_id)
    links.append({'rel': 'alternate',
                  'type': 'application/vnd.openstack.image',
                  'href': '%s/image/v2/images/%s' % (host_root(req),
                                                     image_id)})
    return links
