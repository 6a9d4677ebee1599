"""The request bodies of the token APIs, as JSON schemas.

They check types and required keys; what the values mean (a known
domain, a name given with its domain) is checked by the controllers,
since Keystone answers those with their own messages.
"""

_STRING = {'type': 'string', 'maxLength': 255}

_DOMAIN = {
    'type': 'object',
    'properties': {'id': _STRING, 'name': _STRING},
    'anyOf': [{'required': ['id']}, {'required': ['name']}],
}

_BY_ID_OR_NAME = {
    'type': 'object',
    'properties': {'id': _STRING, 'name': _STRING, 'domain': _DOMAIN},
    'anyOf': [{'required': ['id']}, {'required': ['name']}],
}

_PASSWORD_USER = {
    'type': 'object',
    'properties': {'id': _STRING, 'name': _STRING, 'domain': _DOMAIN,
                   'password': {'type': 'string', 'maxLength': 4096}},
    'required': ['password'],
    'anyOf': [{'required': ['id']}, {'required': ['name']}],
}

_TOKEN = {
    'type': 'object',
    'properties': {'id': {'type': 'string', 'maxLength': 1024}},
    'required': ['id'],
}

AUTH_V3 = {
    'type': 'object',
    'properties': {
        'auth': {
            'type': 'object',
            'properties': {
                'identity': {
                    'type': 'object',
                    'properties': {
                        'methods': {'type': 'array', 'items': _STRING,
                                    'minItems': 1},
                        'password': {
                            'type': 'object',
                            'properties': {'user': _PASSWORD_USER},
                            'required': ['user'],
                        },
                        'token': _TOKEN,
                    },
                    'required': ['methods'],
                },
                'scope': {
                    'anyOf': [
                        {'type': 'string', 'enum': ['unscoped']},
                        {'type': 'object',
                         'properties': {'project': _BY_ID_OR_NAME,
                                        'domain': _DOMAIN,
                                        'system': {'type': 'object'}}},
                    ],
                },
            },
            'required': ['identity'],
        },
    },
    'required': ['auth'],
}

AUTH_V2 = {
    'type': 'object',
    'properties': {
        'auth': {
            'type': 'object',
            'properties': {
                'passwordCredentials': {
                    'type': 'object',
                    'properties': {
                        'username': _STRING,
                        'userId': _STRING,
                        'password': {'type': 'string', 'maxLength': 4096},
                    },
                    'required': ['password'],
                    'anyOf': [{'required': ['username']},
                              {'required': ['userId']}],
                },
                'token': _TOKEN,
                'tenantName': _STRING,
                'tenantId': _STRING,
            },
            'anyOf': [{'required': ['passwordCredentials']},
                      {'required': ['token']}],
        },
    },
    'required': ['auth'],
}
