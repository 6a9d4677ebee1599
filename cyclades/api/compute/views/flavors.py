"""How the Cyclades dialect shapes flavors."""

from cyclades.api.compute.views import links

VERSION = 'v2.0'


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
