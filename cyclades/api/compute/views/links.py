"""Links to resources, built from the request or the configured endpoint."""

from cyclades import conf

CONF = conf.CONF


def service_root(req):
    """URL of the compute service (``.../compute``) as clients see it."""
    if CONF.api.public_endpoint:
        return CONF.api.public_endpoint.rstrip('/') + req.script_name
    return req.application_url


def host_root(req):
    """URL of the host, for links into the other services."""
    if CONF.api.public_endpoint:
        return CONF.api.public_endpoint.rstrip('/')
    return req.host_url


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
