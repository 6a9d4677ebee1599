"""Token bodies in the shapes Keystone's v3 and v2.0 APIs give them.

Clients parse these strictly (keystoneauth reads the times with a fixed
format, kamaki looks tokens and users up by these keys), so the shapes
follow Keystone's, field for field.
"""

import datetime
import uuid

from cyclades.identity import api as identity_api

TIME_FORMAT = '%Y-%m-%dT%H:%M:%S.%fZ'

DOMAIN = {'id': identity_api.DOMAIN_ID, 'name': identity_api.DOMAIN_NAME}


def format_time(value):
    """UTC with microseconds and a Z, the form Keystone clients parse."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value.astimezone(datetime.timezone.utc).strftime(TIME_FORMAT)


def role_id(name):
    """Roles are names here; clients also expect a stable id."""
    return uuid.uuid5(uuid.NAMESPACE_URL, 'role:' + name).hex


def v3_token(authorization, catalog=None):
    """``{"token": {...}}``, with the catalog unless it is None."""
    user = authorization.user
    project = authorization.project
    body = {
        'methods': list(authorization.methods),
        'user': {'id': user.id, 'name': user.name,
                 'domain': dict(DOMAIN), 'password_expires_at': None},
        'project': {'id': project.id, 'name': project.name,
                    'domain': dict(DOMAIN)},
        'roles': [{'id': role_id(name), 'name': name}
                  for name in authorization.roles],
        'expires_at': format_time(authorization.expires_at),
        'issued_at': format_time(authorization.issued_at),
        'audit_ids': [authorization.audit_id],
        'is_domain': False,
    }
    if catalog is not None:
        body['catalog'] = catalog
    return {'token': body}


def v2_access(authorization, catalog):
    """``{"access": {...}}`` as Keystone v2.0 and Astakos returned it."""
    user = authorization.user
    project = authorization.project
    return {'access': {
        'token': {
            'id': authorization.token,
            'expires': format_time(authorization.expires_at),
            'issued_at': format_time(authorization.issued_at),
            'tenant': {'id': project.id, 'name': project.name,
                       'description': project.description,
                       'enabled': project.enabled},
            'audit_ids': [authorization.audit_id],
        },
        'user': {
            'id': user.id,
            'name': user.name,
            'username': user.name,
            'roles': [{'id': role_id(name), 'name': name}
                      for name in authorization.roles],
            'roles_links': [],
        },
        'serviceCatalog': catalog,
        'metadata': {
            'is_admin': 1 if authorization.is_admin else 0,
            'roles': [role_id(name) for name in authorization.roles],
        },
    }}
