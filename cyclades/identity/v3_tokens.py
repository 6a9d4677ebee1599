"""Keystone v3 tokens: ``/identity/v3/auth/tokens``.

POST authenticates with the ``password`` method (a user by id, or by
name within the domain) and/or the ``token`` method, scopes the token
to a project (by id, by name within the domain, or the user's default
project when no scope is asked for) and answers 201 with the token in
``X-Subject-Token``.  GET and HEAD check the token in
``X-Subject-Token`` for the caller of ``X-Auth-Token``; DELETE revokes
it.  Callers may check and revoke their own tokens; the admin role is
needed for another user's, as services such as keystonemiddleware do.
"""

import logging

from cyclades.api import validation
from cyclades.api import wsgi
from cyclades.db.session import transaction
from cyclades import exception
from cyclades.identity import api as identity_api
from cyclades.identity import catalog
from cyclades.identity import schemas
from cyclades.identity import views

LOG = logging.getLogger(__name__)

METHODS = ('password', 'token')
SUBJECT_HEADER = 'X-Subject-Token'


def _password_user(session, section):
    user = section['user']
    if 'id' not in user:
        if 'domain' not in user:
            raise exception.BadRequest(
                'Expecting to find domain in user: a user given by '
                'name needs its domain')
        identity_api.check_domain(user['domain'])
    return identity_api.authenticate_password(
        session, user['password'], user_id=user.get('id'),
        user_name=user.get('name'))


def authenticate(session, identity):
    """The user every listed method names, and a time not to outlive.

    :returns: (user, not_after); not_after is the expiry of a token
        given with the token method, else None.
    :raises AuthenticationFailed: a method failed, is not offered, or
        the methods name different users.
    :raises BadRequest: a listed method has no section.
    """
    methods = list(dict.fromkeys(identity['methods']))
    unsupported = [name for name in methods if name not in METHODS]
    if unsupported:
        raise exception.AuthenticationFailed(
            'Unsupported authentication method: %s'
            % ', '.join(unsupported))
    missing = [name for name in methods if name not in identity]
    if missing:
        raise exception.BadRequest('Expecting to find %s in identity'
                                   % ', '.join(missing))

    users = []
    not_after = None
    if 'password' in methods:
        users.append(_password_user(session, identity['password']))
    if 'token' in methods:
        record, user, _project = identity_api.authenticate_token(
            session, identity['token']['id'])
        users.append(user)
        not_after = record.expires_at

    if len({user.id for user in users}) != 1:
        raise exception.AuthenticationFailed(
            'The methods name different users')
    return users[0], not_after


def requested_project(session, requested):
    """The project a scope names, or None for the default one.

    :raises AuthenticationFailed: an unknown project, another domain, or
        a scope other than a project (domain and system scopes are not
        offered).
    :raises BadRequest: a project given by name without its domain.
    """
    if not requested or requested == 'unscoped':
        return None
    if 'project' not in requested:
        raise exception.AuthenticationFailed(
            'Only project scopes are offered')

    project = requested['project']
    if 'id' in project:
        return identity_api.find_project(session, project_id=project['id'])
    if 'domain' not in project:
        raise exception.BadRequest(
            'Expecting to find domain in project: a project given by '
            'name needs its domain')
    identity_api.check_domain(project['domain'])
    return identity_api.find_project(session, name=project['name'])


def _catalog(req):
    if 'nocatalog' in req.GET:
        return None
    return catalog.v3_catalog(catalog.root_url(req))


class TokensController:

    def create(self, req):
        body = req.body_json
        validation.validate(schemas.AUTH_V3, body)
        auth = body['auth']

        with transaction() as session:
            user, not_after = authenticate(session, auth['identity'])
            project = requested_project(session, auth.get('scope'))

        with transaction(writer=True) as session:
            project, roles = identity_api.scope(session, user, project)
            authorization = identity_api.issue(
                session, user, project, roles,
                list(dict.fromkeys(auth['identity']['methods'])),
                not_after=not_after)

        return wsgi.Result(views.v3_token(authorization, _catalog(req)),
                           status=201,
                           headers={SUBJECT_HEADER: authorization.token},
                           fmt='json')

    def _subject(self, req, session):
        """The subject token, once the caller may see it.

        :raises NotAuthenticated: the caller's own token is not valid.
        :raises TokenNotFound: the subject token is not valid.
        :raises Forbidden: another user's token, and the caller is no
            admin.
        """
        caller = wsgi.identity_from_headers(req)
        token = req.headers.get(SUBJECT_HEADER)
        if not token:
            raise exception.TokenNotFound(
                'Could not find token: no %s header' % SUBJECT_HEADER)

        authorization = identity_api.validate(session, token)
        if authorization.user.id != caller.user_id and not caller.is_admin:
            raise exception.Forbidden(
                reason="only an admin may see another user's tokens")
        return authorization

    def show(self, req):
        with transaction() as session:
            authorization = self._subject(req, session)
        return wsgi.Result(views.v3_token(authorization, _catalog(req)),
                           headers={SUBJECT_HEADER: authorization.token},
                           fmt='json')

    def delete(self, req):
        with transaction(writer=True) as session:
            authorization = self._subject(req, session)
            identity_api.revoke(session, authorization.token)
        return wsgi.Result(status=204)
