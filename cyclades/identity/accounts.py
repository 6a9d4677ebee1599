"""Users, projects and memberships, as operators manage them.

The rules that keep tokens honest live here: a new password or a
deleted user ends every token of the user, and leaving a project ends
the tokens scoped to it.  A user's first project becomes the default
one, so that a plain password login finds a project to scope to.
Users and projects are named by id or by name.
"""

import logging

from cyclades.db import api as db_api
from cyclades.db.session import transaction
from cyclades import exception
from cyclades.identity import api as identity_api
from cyclades import utils

LOG = logging.getLogger(__name__)

ROLES = ('member', 'admin')


def _check_name(kind, name):
    if not name or not name.strip() or len(name) > 255:
        raise exception.Invalid(reason='a %s name needs 1 to 255 '
                                       'characters' % kind)


def _check_password(password):
    if not password:
        raise exception.Invalid(reason='the password must not be empty')


def create_project(name, description=''):
    """:raises Conflict: the name is taken."""
    _check_name('project', name)
    with transaction(writer=True) as session:
        project = db_api.project_create(session, name,
                                        description=description or '')
    LOG.info('Created project %s (%s)', project.id, project.name)
    return project


def list_projects():
    """Every project with its members as (user name, role) pairs."""
    with transaction() as session:
        users = {user.id: user.name for user in db_api.user_list(session)}
        members = {}
        for membership in db_api.membership_list(session):
            members.setdefault(membership.project_id, []).append(
                (users[membership.user_id], membership.role))
        return [(project, sorted(members.get(project.id, [])))
                for project in db_api.project_list(session)]


def create_user(name, password, project=None, admin=False):
    """Add a user, a member (or admin) of ``project`` when given.

    :raises Conflict: the name is taken.
    :raises ProjectNotFound:
    :raises Invalid: an empty password, or admin without a project.
    """
    _check_name('user', name)
    _check_password(password)
    if admin and project is None:
        raise exception.Invalid(reason='--admin needs --project: a user '
                                       'is admin of a project')

    password_hash = utils.hash_password(password)
    with transaction(writer=True) as session:
        found = (db_api.project_find(session, project)
                 if project is not None else None)
        user = db_api.user_create(
            session, name, password_hash,
            default_project_id=found.id if found is not None else None)
        if found is not None:
            db_api.membership_set(session, user.id, found.id,
                                  'admin' if admin else 'member')
    LOG.info('Created user %s (%s)', user.id, user.name)
    return user


def list_users():
    """Every user with its default project's name and its memberships."""
    with transaction() as session:
        projects = {project.id: project.name
                    for project in db_api.project_list(session)}
        memberships = {}
        for membership in db_api.membership_list(session):
            memberships.setdefault(membership.user_id, []).append(
                (projects[membership.project_id], membership.role))
        return [(user, projects.get(user.default_project_id),
                 sorted(memberships.get(user.id, [])))
                for user in db_api.user_list(session)]


def delete_user(user):
    """Delete a user, its memberships and its tokens.

    :raises UserNotFound:
    """
    with transaction(writer=True) as session:
        found = db_api.user_find(session, user)
        db_api.user_delete(session, found.id)
    LOG.info('Deleted user %s (%s)', found.id, found.name)
    return found


def set_password(user, password):
    """Change a password; the user's tokens stop working.

    :raises UserNotFound:
    """
    _check_password(password)
    password_hash = utils.hash_password(password)
    with transaction(writer=True) as session:
        found = db_api.user_find(session, user)
        found.password_hash = password_hash
        db_api.token_revoke_all(session, found.id)
    LOG.info('Changed the password of user %s and revoked its tokens',
             found.id)
    return found


def add_member(project, user, role='member'):
    """Make a user a member of a project, or change its role there.

    :raises ProjectNotFound:
    :raises UserNotFound:
    :raises Invalid: an unknown role.
    """
    if role not in ROLES:
        raise exception.Invalid(reason='the role must be one of %s'
                                       % ', '.join(ROLES))
    with transaction(writer=True) as session:
        found_project = db_api.project_find(session, project)
        found_user = db_api.user_find(session, user)
        db_api.membership_set(session, found_user.id, found_project.id,
                              role)
        if found_user.default_project_id is None:
            found_user.default_project_id = found_project.id
    LOG.info('User %s is %s of project %s', found_user.id, role,
             found_project.id)
    return found_project, found_user


def remove_member(project, user):
    """End a membership and the tokens the user has for that project.

    :raises ProjectNotFound:
    :raises UserNotFound:
    :raises NotFound: the user is not a member.
    """
    with transaction(writer=True) as session:
        found_project = db_api.project_find(session, project)
        found_user = db_api.user_find(session, user)
        if not db_api.membership_delete(session, found_user.id,
                                        found_project.id):
            raise exception.NotFound('User %s is not a member of project '
                                     '%s' % (user, project))
        db_api.token_revoke_all(session, found_user.id, found_project.id)
        if found_user.default_project_id == found_project.id:
            found_user.default_project_id = None
    LOG.info('User %s left project %s', found_user.id, found_project.id)
    return found_project, found_user


def create_token(user, project=None):
    """Issue a token as a password login would, for scripts and tests.

    :raises UserNotFound:
    :raises ProjectNotFound:
    :raises AuthenticationFailed: the user may not use the project.
    """
    with transaction(writer=True) as session:
        found_user = db_api.user_find(session, user)
        found_project = (db_api.project_find(session, project)
                         if project is not None else None)
        found_project, roles = identity_api.scope(session, found_user,
                                                  found_project)
        return identity_api.issue(session, found_user, found_project,
                                  roles, ['password'])


def revoke_token(token):
    """:raises TokenNotFound: the token is not valid anyway."""
    with transaction(writer=True) as session:
        identity_api.revoke(session, token)
