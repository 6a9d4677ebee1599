"""Images in the shape of Glance v2.

Glance puts an image's properties beside its fields; a metadata item
whose key is one of those fields is left out rather than let it hide
the field.  Links are relative to the service root, as Glance's are.
"""

from cyclades import utils

#: Glance's image states for the stored statuses.
STATUSES = {'ACTIVE': 'active', 'SAVING': 'saving', 'ERROR': 'killed',
            'DELETED': 'deleted'}


def image_view(image):
    path = '/v2/images/%s' % image.id
    body = {
        'id': image.id,
        'name': image.name,
        'status': STATUSES.get(image.status, image.status.lower()),
        'visibility': 'public' if image.public else 'private',
        'protected': False,
        'os_hidden': False,
        'owner': image.owner_id,
        'size': image.size,
        'virtual_size': None,
        'min_disk': image.min_disk,
        'min_ram': image.min_ram,
        'disk_format': image.disk_format,
        'container_format': image.container_format,
        'checksum': None,
        'os_hash_algo': None,
        'os_hash_value': None,
        'created_at': utils.isotime_seconds(image.created_at),
        'updated_at': utils.isotime_seconds(image.updated_at),
        'tags': [],
        'self': path,
        'file': path + '/file',
        'schema': '/v2/schemas/image',
    }
    for key, value in image.meta.items():
        body.setdefault(key, value)
    return body


def images_view(images, first, next_link=None):
    body = {'images': [image_view(image) for image in images],
            'first': first,
            'schema': '/v2/schemas/images'}
    if next_link is not None:
        body['next'] = next_link
    return body
