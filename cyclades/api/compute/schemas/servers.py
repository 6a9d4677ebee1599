"""Schemas of the server request bodies.

The create body is checked in the order the contract lists its rules:
the basic fields, then personality, then metadata, so that a body with
several faults gets the same answer as the reference service.
"""

import copy

NAME = {'type': 'string', 'maxLength': 255}

METADATA_KEY = {'type': 'string', 'minLength': 1, 'maxLength': 255}
METADATA_VALUE = {'type': 'string', 'maxLength': 255}


def metadata(max_items):
    """A metadata object of at most ``max_items`` string items."""
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
                'accessIPv4': {'type': 'string'},
                'accessIPv6': {'type': 'string'},
            },
            'required': ['name'],
        },
    },
    'required': ['server'],
}


def with_limit(schema, max_items):
    """A copy of a metadata-bearing schema with the configured limit."""
    result = copy.deepcopy(schema)
    result['maxProperties'] = max_items
    return result
