"""How the Cyclades dialect shapes images and their metadata."""

import urllib.parse

from cyclades.api.compute.views import links
from cyclades import utils

VERSION = 'v2.0'

#: Status of a successful metadata write (POST, PUT, item PUT).
METADATA_CHANGE_STATUS = 201


def status(image):
    return 'DELETED' if image.deleted else image.status


def basic(req, image):
    return {'id': image.id, 'name': image.name,
            'links': links.image_links(req, VERSION, image.id)}


def detail(req, image):
    body = basic(req, image)
    image_status = status(image)
    body.update({
        'status': image_status,
        'progress': 100 if image_status == 'ACTIVE' else 0,
        'created': utils.isotime(image.created_at),
        'updated': utils.isotime(image.updated_at),
        'tenant_id': image.owner_id,
        'user_id': image.user_id,
        'minDisk': image.min_disk,
        'minRam': image.min_ram,
        'metadata': image.meta,
    })
    return body


def next_link(req, marker):
    """The URL of the page after ``marker``, keeping the other filters."""
    params = [(name, value) for name, value in req.GET.items()
              if name != 'marker']
    params.append(('marker', marker))
    url = '%s%s?%s' % (links.service_root(req), req.path_info,
                       urllib.parse.urlencode(params))
    return [{'rel': 'next', 'href': url}]


def metadata(items):
    return {'metadata': items}


def meta_item(key, value):
    return {'meta': {key: value}}
