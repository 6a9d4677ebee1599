"""The identity rules, shared by both API versions and the commands.

Who a caller is (a password or a token), which project a token is for
(a member's project, the user's default one when none is asked), which
roles it carries and how long it lives are decided here, so that the
v3 and v2.0 APIs and ``cyclades-manage token create`` cannot disagree.
Failures to authenticate raise ``AuthenticationFailed`` (401) whatever
the cause, so that a caller cannot tell an unknown user from a wrong
password.
"""

import base64
import dataclasses
import datetime
import hashlib
import logging

from cyclades import conf
from cyclades.db import api as db_api
from cyclades.db import models
from cyclades import exception
from cyclades import utils

LOG = logging.getLogger(__name__)
CONF = conf.CONF

#: The one domain: every user and project belongs to it.
DOMAIN_ID = 'default'
DOMAIN_NAME = 'Default'

_dummy_hash = None


@dataclasses.dataclass
class Authorization:
    """What a valid token stands for; both API versions render it."""

    token: str
    user: models.User
    project: models.Project
    roles: list
    issued_at: datetime.datetime
    expires_at: datetime.datetime
    methods: list

    @property
    def audit_id(self):
        """Names the token in logs and lists without revealing it."""
        digest = hashlib.sha256(
            b'audit:' + utils.hash_token(self.token).encode('ascii'))
        return base64.urlsafe_b64encode(
            digest.digest()[:16]).rstrip(b'=').decode('ascii')

    @property
    def is_admin(self):
        return 'admin' in self.roles


def check_domain(domain):
    """Accept the one domain, given by id, by name or by both.

    :raises AuthenticationFailed: another domain.
    """
    if (domain.get('id', DOMAIN_ID) != DOMAIN_ID
            or domain.get('name', DOMAIN_NAME) != DOMAIN_NAME):
        raise exception.AuthenticationFailed(
            'Could not find domain %s'
            % (domain.get('id') or domain.get('name')))


def _unknown_user_hash():
    """A hash to check passwords of unknown users against.

    Checking one costs as much time as checking a real user's password,
    so response times do not tell which user names exist.
    """
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = utils.hash_password(utils.generate_token())
    return _dummy_hash


def authenticate_password(session, password, user_id=None,
                          user_name=None):
    """Return the enabled user these credentials name.

    :raises AuthenticationFailed: no such user, a disabled one, or the
        wrong password.
    """
    if user_id is not None:
        user = db_api.user_get(session, user_id)
    else:
        user = db_api.user_get_by_name(session, user_name)

    stored = user.password_hash if user is not None else None
    matches = utils.check_password(password, stored or
                                   _unknown_user_hash())
    if user is None or not stored or not matches or not user.enabled:
        LOG.info('Password authentication failed for user %s',
                 user_id or user_name)
        raise exception.AuthenticationFailed()
    return user


def authenticate_token(session, token):
    """Return the (record, user, project) of a token valid now.

    :raises AuthenticationFailed: unknown, expired or revoked.
    """
    found = db_api.token_validate(session, token)
    if found is None:
        raise exception.AuthenticationFailed('The token is not valid')
    return found


def find_project(session, project_id=None, name=None):
    """The project a caller asks a token for, by id or by name.

    :raises AuthenticationFailed: no such project.
    """
    if project_id is not None:
        project = db_api.project_get(session, project_id)
    else:
        project = db_api.project_get_by_name(session, name)
    if project is None:
        raise exception.AuthenticationFailed(
            'Could not find project %s' % (project_id or name))
    return project


def scope(session, user, project=None):
    """The project and roles of a token for ``user``.

    :param project: the project asked for; the user's default project
        when None.
    :returns: (project, role names).
    :raises AuthenticationFailed: no project to scope to, a disabled
        one, or the user is not a member of it.
    """
    if project is None:
        if user.default_project_id is None:
            raise exception.AuthenticationFailed(
                'User %s has no default project; ask for a project '
                'scope' % user.id)
        project = db_api.project_get(session, user.default_project_id)

    roles = db_api.roles_of(session, user.id, project.id)
    if not roles or not project.enabled:
        raise exception.AuthenticationFailed(
            'User %s has no access to project %s' % (user.id, project.id))
    return project, roles


def issue(session, user, project, roles, methods, not_after=None):
    """Create a token and return what it stands for.

    :param not_after: a time the token must not outlive, for tokens
        obtained with another token: rescoping never extends a lifetime.
    """
    token = db_api.token_create(session, user.id, project.id,
                                CONF.identity.token_expiration)
    record = session.get(models.Token, utils.hash_token(token))
    if not_after is not None and record.expires_at > not_after:
        record.expires_at = not_after
        session.flush()

    LOG.info('Issued a token for user %s in project %s', user.id,
             project.id)
    return Authorization(token=token, user=user, project=project,
                         roles=roles, issued_at=record.issued_at,
                         expires_at=record.expires_at, methods=methods)


def validate(session, token):
    """What a valid token stands for.

    :raises TokenNotFound: unknown, expired or revoked, or its user is
        no longer a member of its project.
    """
    found = db_api.token_validate(session, token)
    if found is None:
        raise exception.TokenNotFound()
    record, user, project = found
    roles = db_api.roles_of(session, user.id, project.id)
    if not roles:
        raise exception.TokenNotFound()
    # NOTE: the store keeps no record of how a token was obtained, and
    # every token starts from a password, so validation reports that.
    return Authorization(token=token, user=user, project=project,
                         roles=roles, issued_at=record.issued_at,
                         expires_at=record.expires_at,
                         methods=['password'])


def revoke(session, token):
    """:raises TokenNotFound: the token is not valid anyway."""
    if not db_api.token_revoke(session, token):
        raise exception.TokenNotFound()
    LOG.info('Revoked a token')
