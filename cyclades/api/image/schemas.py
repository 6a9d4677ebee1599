"""The JSON schemas of images, as ``/v2/schemas/image(s)`` serve them.

Glance clients may fetch these to learn the image fields (glanceclient
builds its models from them; openstacksdk offers them as
``get_image_schema``).  They describe what this service answers, in the
JSON Schema draft 4 that Glance uses: properties outside the listed
fields are strings.
"""

from cyclades.api.image import params
from cyclades.api import wsgi


def _nullable(kind):
    return {'type': [kind, 'null']}


def image_schema():
    uuid = {'type': 'string',
            'pattern': '^[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}'
                       '[0-9a-fA-F]{12}$'}
    return {
        'name': 'image',
        'properties': {
            'id': uuid,
            'name': _nullable('string'),
            'status': {'type': 'string', 'readOnly': True,
                       'enum': sorted(params.STATUSES)},
            'visibility': {'type': 'string',
                           'enum': ['community', 'public', 'private',
                                    'shared']},
            'protected': {'type': 'boolean'},
            'os_hidden': {'type': 'boolean'},
            'owner': _nullable('string'),
            'size': _nullable('integer'),
            'virtual_size': _nullable('integer'),
            'min_disk': {'type': 'integer'},
            'min_ram': {'type': 'integer'},
            'disk_format': _nullable('string'),
            'container_format': _nullable('string'),
            'checksum': _nullable('string'),
            'os_hash_algo': _nullable('string'),
            'os_hash_value': _nullable('string'),
            'created_at': {'type': 'string', 'readOnly': True},
            'updated_at': {'type': 'string', 'readOnly': True},
            'tags': {'type': 'array', 'items': {'type': 'string'}},
            'self': {'type': 'string', 'readOnly': True},
            'file': {'type': 'string', 'readOnly': True},
            'schema': {'type': 'string', 'readOnly': True},
        },
        'additionalProperties': {'type': 'string'},
        'links': [
            {'rel': 'self', 'href': '{self}'},
            {'rel': 'enclosure', 'href': '{file}'},
            {'rel': 'describedby', 'href': '{schema}'},
        ],
    }


def images_schema():
    return {
        'name': 'images',
        'properties': {
            'images': {'type': 'array', 'items': image_schema()},
            'schema': {'type': 'string'},
            'first': {'type': 'string'},
            'next': {'type': 'string'},
        },
        'links': [
            {'rel': 'first', 'href': '{first}'},
            {'rel': 'next', 'href': '{next}'},
            {'rel': 'describedby', 'href': '{schema}'},
        ],
    }


class SchemasController:

    def image(self, req):
        return wsgi.Result(image_schema(), fmt='json')

    def images(self, req):
        return wsgi.Result(images_schema(), fmt='json')
