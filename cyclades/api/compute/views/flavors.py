"""How the Cyclades dialect shapes flavors."""

from cyclades.api.compute.views import links
from cyclades.api.compute.views import servers

VERSION = 'v2.0'

#: Pagination links: the same request, continued after a flavor id.
next_links = servers.next_links


def basic(req, flavor):
    return {'id': str(flavor.id), 'name': flavor.name,
            'links': links.resource_links(req, VERSION, 'flavors',
                                          flavor.id)}


def detail(req, flavor):
    body = basic(req, flavor)
    body.update({
        'ram': flavor.ram,
        'disk': flavor.disk,
        'vcpus': flavor.vcpus,
        'SNF:disk_template': flavor.disk_template,
    })
    return body
