"""Keystone v2.0 tokens: ``POST /identity/v2.0/tokens``.

Kept for kamaki and other Synnefo-era clients, which send either
``passwordCredentials`` or an existing ``token``, optionally with a
``tenantName`` or ``tenantId``.  Like Astakos, a token sent without a
tenant, or for the tenant it already has, comes back as it is: kamaki
compares the token it gets with the one it sent and authenticates again
when they differ.
"""

from cyclades.api import validation
from cyclades.api import wsgi
from cyclades.db.session import transaction
from cyclades import exception
from cyclades.identity import api as identity_api
from cyclades.identity import catalog
from cyclades.identity import schemas
from cyclades.identity import views


def requested_project(session, auth):
    """The tenant asked for, or None for the default one."""
    if 'tenantId' in auth:
        return identity_api.find_project(session,
                                         project_id=auth['tenantId'])
    if 'tenantName' in auth:
        return identity_api.find_project(session, name=auth['tenantName'])
    return None


class TokensController:

    def create(self, req):
        body = req.body_json
        validation.validate(schemas.AUTH_V2, body)
        auth = body['auth']

        if 'passwordCredentials' in auth:
            authorization = self._with_password(auth)
        else:
            authorization = self._with_token(auth)

        return wsgi.Result(
            views.v2_access(authorization,
                            catalog.v2_catalog(catalog.root_url(req))),
            fmt='json')

    def _with_password(self, auth):
        credentials = auth['passwordCredentials']
        with transaction() as session:
            user = identity_api.authenticate_password(
                session, credentials['password'],
                user_id=credentials.get('userId'),
                user_name=credentials.get('username'))
            project = requested_project(session, auth)

        with transaction(writer=True) as session:
            project, roles = identity_api.scope(session, user, project)
            return identity_api.issue(session, user, project, roles,
                                      ['password'])

    def _with_token(self, auth):
        token = auth['token']['id']
        with transaction() as session:
            record, user, current = identity_api.authenticate_token(
                session, token)
            project = requested_project(session, auth)
            if project is None or project.id == current.id:
                try:
                    return identity_api.validate(session, token)
                except exception.TokenNotFound:
                    raise exception.AuthenticationFailed(
                        'The token is not valid')

        with transaction(writer=True) as session:
            project, roles = identity_api.scope(session, user, project)
            return identity_api.issue(session, user, project, roles,
                                      ['token'],
                                      not_after=record.expires_at)
