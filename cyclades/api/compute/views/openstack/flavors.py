"""How the OpenStack dialect shapes flavors."""

from cyclades.api.compute.views import links
from cyclades.api.compute.views import servers

VERSION = 'v2.1'

#: Pagination links: the same request, continued after a flavor id.
next_links = servers.next_links


def basic(req, flavor):
    return {'id': str(flavor.id), 'name': flavor.name,
            'links': links.resource_links(req, VERSION, 'flavors',
                                          flavor.id)}


def detail(req, flavor):
    """Nova's flavor: no swap or ephemeral disk, public to all, and
    disabled when no new server may use it."""
    body = basic(req, flavor)
    body.update({
        'ram': flavor.ram,
        'vcpus': flavor.vcpus,
        'disk': flavor.disk,
        'swap': '',
        'OS-FLV-EXT-DATA:ephemeral': 0,
        'OS-FLV-DISABLED:disabled': not flavor.allow_create,
        'os-flavor-access:is_public': True,
        'rxtx_factor': 1.0,
    })
    return body
