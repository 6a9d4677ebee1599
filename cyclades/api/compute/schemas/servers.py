"""Schemas of the server request bodies.

The create body is checked in the order the contract lists its rules:
the basic fields, then personality, then metadata, so that a body with
several faults gets the same answer as the reference service.  The
shape of each ``networks`` entry is checked with the body too; what the
entries refer to is checked later, after the flavor and the image.
"""

import functools

NAME = {'type': 'string', 'maxLength': 255}

METADATA_KEY = {'type': 'string', 'minLength': 1, 'maxLength': 255}
METADATA_VALUE = {'type': 'string', 'maxLength': 255}


@functools.lru_cache(maxsize=8)
def metadata(max_items):
    """A metadata object of at most ``max_items`` string items.

    Cached, so that each limit is one schema object, compiled once.
    """
    return {
        'type': 'object',
        'propertyNames': METADATA_KEY,
        'additionalProperties': METADATA_VALUE,
        'maxProperties': max_items,
    }


ID_REF = {'anyOf': [{'type': 'string', 'minLength': 1, 'maxLength': 255},
                    {'type': 'integer'}]}

CREATE_BASE = {
    'type': 'object',
    'properties': {
        'server': {
            'type': 'object',
            'properties': {
                'name': NAME,
                'imageRef': {'type': 'string', 'minLength': 1,
                             'maxLength': 255},
                'flavorRef': ID_REF,
                'project': {'type': 'string', 'minLength': 1,
                            'maxLength': 255},
                'key_name': {'type': ['string', 'null'], 'maxLength': 255},
                'networks': {'type': 'array'},
                'metadata': {'type': 'object'},
                'personality': {'type': 'array'},
            },
            'required': ['name', 'imageRef', 'flavorRef'],
        },
    },
    'required': ['server'],
}

#: Most personality files a server may get, and their decoded size.
MAX_PERSONALITY = 5
MAX_PERSONALITY_SIZE = 10240

PERSONALITY = {
    'type': 'array',
    'maxItems': MAX_PERSONALITY,
    'items': {
        'type': 'object',
        'properties': {
            'path': {'type': 'string', 'minLength': 2, 'maxLength': 255,
                     'pattern': '^/'},
            'contents': {'type': 'string'},
            'owner': {'type': 'string', 'maxLength': 64},
            'group': {'type': 'string', 'maxLength': 64},
            'mode': {'type': 'integer', 'minimum': 0, 'maximum': 0o7777},
        },
        'required': ['path', 'contents'],
        'additionalProperties': False,
    },
}

RENAME = {
    'type': 'object',
    'properties': {
        'server': {
            'type': 'object',
            'properties': {
                'name': NAME,
                # Accepted and ignored: the addresses come from ports.
                'accessIPv4': {'type': ['string', 'null']},
                'accessIPv6': {'type': ['string', 'null']},
            },
            'required': ['name'],
        },
    },
    'required': ['server'],
}


#: The one block device mapping a server can have: its image copied to
#: a local disk, which is what it gets anyway.
BLOCK_DEVICES = {
    'type': 'array',
    'items': {
        'type': 'object',
        'properties': {
            'source_type': {'const': 'image'},
            'destination_type': {'const': 'local'},
            'uuid': {'type': 'string'},
        },
        'required': ['source_type'],
    },
}
