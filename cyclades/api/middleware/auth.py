"""Token authentication filter, backed by Cyclades' own identity store.

It resolves ``X-Auth-Token`` to a user and a project and passes them on
in the headers keystonemiddleware's ``auth_token`` filter sets
(``X-Identity-Status``, ``X-User-Id``, ``X-User-Name``, ``X-Project-Id``,
``X-Project-Name``, ``X-Roles``), so the two filters are interchangeable
in ``api-paste.ini``.  Like ``auth_token`` with ``delay_auth_decision``
it never rejects a request itself: the application answers 401 where a
route needs a user, which lets version documents and the 400s for
unknown URLs work without a token.  Identity headers a client sends are
removed first, so nobody can claim to be someone else.  It reads
``[identity]`` options.
"""

import logging

from cyclades.api.middleware import request_id
from cyclades.db import api as db_api
from cyclades.db.session import transaction

LOG = logging.getLogger(__name__)

IDENTITY_HEADERS = ('X-Identity-Status', 'X-User-Id', 'X-User-Name',
                    'X-Project-Id', 'X-Project-Name', 'X-Roles',
                    'X-Tenant-Id', 'X-Tenant-Name', 'X-User',
                    'X-Tenant', 'X-Role')


def _environ_key(header):
    return 'HTTP_' + header.upper().replace('-', '_')


class AuthTokenMiddleware:

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        for header in IDENTITY_HEADERS:
            environ.pop(_environ_key(header), None)

        token = environ.get('HTTP_X_AUTH_TOKEN')
        identity = self._validate(token) if token else None
        if identity is None:
            environ['HTTP_X_IDENTITY_STATUS'] = 'Invalid'
        else:
            environ.update(identity)
            environ[request_id.USER_KEY] = identity['HTTP_X_USER_ID']
        return self.application(environ, start_response)

    @staticmethod
    def _validate(token):
        with transaction() as session:
            found = db_api.token_validate(session, token)
            if found is None:
                LOG.debug('Rejected an invalid or expired token')
                return None
            record, user, project = found
            roles = db_api.roles_of(session, user.id, project.id)
        return {'HTTP_X_IDENTITY_STATUS': 'Confirmed',
                'HTTP_X_USER_ID': user.id,
                'HTTP_X_USER_NAME': user.name,
                'HTTP_X_PROJECT_ID': project.id,
                'HTTP_X_PROJECT_NAME': project.name,
                'HTTP_X_ROLES': ','.join(roles)}


def filter_factory(global_conf, **local_conf):
    return AuthTokenMiddleware
