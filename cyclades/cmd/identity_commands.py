"""cyclades-manage commands for users, projects and tokens.

    cyclades-manage user create NAME --password P [--project P] [--admin]
    cyclades-manage user list|delete|set-password ...
    cyclades-manage project create NAME [--description D]
    cyclades-manage project list|add-member|remove-member ...
    cyclades-manage token create USER [--project PROJECT]
    cyclades-manage token revoke TOKEN

Users and projects are named by id or by name.  The rules (what ends a
token, which project is a user's default) are in
``cyclades.identity.accounts``; these classes only read arguments and
print.
"""

from cyclades.cmd.common import args
from cyclades.cmd.common import print_table
from cyclades.identity import accounts


def _pairs(pairs):
    return ', '.join('%s (%s)' % pair for pair in pairs)


class UserCommands:
    """Users, who log in with a password."""

    @args('user_name', metavar='NAME', help='name of the user')
    @args('--password', required=True, help='the password to log in with')
    @args('--project', metavar='PROJECT',
          help='a project, by id or name, to make the user a member of '
               'and its default project')
    @args('--admin', action='store_true',
          help='admin of --project rather than member')
    def create(self, user_name, password, project, admin):
        """Add a user."""
        user = accounts.create_user(user_name, password, project=project,
                                    admin=admin)
        print('Created user %s (%s)' % (user.id, user.name))

    def list(self):
        """List the users and their projects."""
        print_table(
            ('ID', 'NAME', 'DEFAULT PROJECT', 'PROJECTS', 'ENABLED'),
            [(user.id, user.name, default, _pairs(projects), user.enabled)
             for user, default, projects in accounts.list_users()])

    @args('user', metavar='NAME|ID', help='the user to delete')
    def delete(self, user):
        """Delete a user with its memberships and tokens."""
        deleted = accounts.delete_user(user)
        print('Deleted user %s (%s)' % (deleted.id, deleted.name))

    @args('user', metavar='NAME|ID', help='the user')
    @args('--password', required=True, help='the new password')
    def set_password(self, user, password):
        """Change a password and revoke the user's tokens."""
        changed = accounts.set_password(user, password)
        print('Changed the password of user %s (%s); its tokens are '
              'revoked' % (changed.id, changed.name))


class ProjectCommands:
    """Projects, which own servers and have members."""

    @args('project_name', metavar='NAME', help='name of the project')
    @args('--description', default='', help='what the project is for')
    def create(self, project_name, description):
        """Add a project."""
        project = accounts.create_project(project_name, description)
        print('Created project %s (%s)' % (project.id, project.name))

    def list(self):
        """List the projects and their members."""
        print_table(
            ('ID', 'NAME', 'DESCRIPTION', 'MEMBERS', 'ENABLED'),
            [(project.id, project.name, project.description,
              _pairs(members), project.enabled)
             for project, members in accounts.list_projects()])

    @args('project', metavar='PROJECT', help='the project, by id or name')
    @args('user', metavar='USER', help='the user, by id or name')
    @args('--role', choices=accounts.ROLES, default='member',
          help='the role in the project (default: member)')
    def add_member(self, project, user, role):
        """Make a user a member of a project, or change its role."""
        found_project, found_user = accounts.add_member(project, user, role)
        print('User %s is %s of project %s'
              % (found_user.name, role, found_project.name))

    @args('project', metavar='PROJECT', help='the project, by id or name')
    @args('user', metavar='USER', help='the user, by id or name')
    def remove_member(self, project, user):
        """Remove a user from a project and revoke its tokens there."""
        found_project, found_user = accounts.remove_member(project, user)
        print('User %s is no longer a member of project %s'
              % (found_user.name, found_project.name))


class TokenCommands:
    """Tokens, for scripts and for trying the API."""

    @args('user', metavar='USER', help='the user, by id or name')
    @args('--project', metavar='PROJECT',
          help='the project, by id or name (default: the default '
               'project of the user)')
    def create(self, user, project):
        """Issue a token and print it."""
        print(accounts.create_token(user, project).token)

    @args('token', metavar='TOKEN', help='the token to revoke')
    def revoke(self, token):
        """Revoke a token."""
        accounts.revoke_token(token)
        print('Token revoked')
