"""Schemas of the arguments of server actions.

Each schema checks the value under the action's key, once the body is
known to hold exactly one action.  Actions without arguments accept any
object; values the service interprets (reboot types, console types,
firewall profiles) are checked by the compute layer, so that its
messages name what is allowed.
"""

from cyclades.api.compute.schemas import servers

NO_ARGUMENTS = {'type': 'object'}

REBOOT = {
    'type': 'object',
    'properties': {'type': {'type': 'string'}},
    'required': ['type'],
}

RESIZE = {
    'type': 'object',
    'properties': {'flavorRef': servers.ID_REF},
    'required': ['flavorRef'],
}

CONSOLE = {
    'type': 'object',
    'properties': {'type': {'type': 'string'}},
    'required': ['type'],
}

FIREWALL_PROFILE = {
    'type': 'object',
    'properties': {
        'profile': {'type': 'string'},
        'nic': {'anyOf': [{'type': 'string', 'minLength': 1,
                           'maxLength': 255},
                          {'type': 'integer'}]},
    },
    'required': ['profile', 'nic'],
}

REASSIGN = {
    'type': 'object',
    'properties': {'project': {'type': 'string', 'minLength': 1,
                               'maxLength': 255}},
    'required': ['project'],
}

CHANGE_PASSWORD = {
    'type': 'object',
    'properties': {'adminPass': {'type': 'string', 'minLength': 1,
                                 'maxLength': 255}},
    'required': ['adminPass'],
}

CREATE_IMAGE = {
    'type': 'object',
    'properties': {
        'name': {'type': 'string', 'minLength': 1, 'maxLength': 255},
        # The number of items is checked against the configured limit
        # apart, since schemas are compiled once.
        'metadata': {'type': 'object',
                     'propertyNames': servers.METADATA_KEY,
                     'additionalProperties': servers.METADATA_VALUE},
    },
    'required': ['name'],
}
