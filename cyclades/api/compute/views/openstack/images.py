"""How the OpenStack dialect shapes images (Nova's image proxy)."""

from cyclades.api.compute.views import images as cyclades_views
from cyclades.api.compute.views import links
from cyclades import utils

VERSION = 'v2.1'

#: Status of a successful metadata write (POST, PUT, item PUT).
METADATA_CHANGE_STATUS = 200

next_link = cyclades_views.next_link
metadata = cyclades_views.metadata
meta_item = cyclades_views.meta_item


def basic(req, image):
    return {'id': image.id, 'name': image.name,
            'links': links.image_links(req, VERSION, image.id)}


def detail(req, image):
    """The image; owners are not shown, as Nova does not show them."""
    body = basic(req, image)
    status = cyclades_views.status(image)
    body.update({
        'status': status,
        'progress': 100 if status == 'ACTIVE' else 0,
        'minDisk': image.min_disk,
        'minRam': image.min_ram,
        'metadata': image.meta,
        'created': utils.isotime(image.created_at),
        'updated': utils.isotime(image.updated_at),
        'OS-EXT-IMG-SIZE:size': image.size,
    })
    if image.server_id is not None:
        body['server'] = {
            'id': str(image.server_id),
            'links': links.resource_links(req, VERSION, 'servers',
                                          image.server_id)}
    return body
