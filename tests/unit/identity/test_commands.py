"""cyclades-manage user, project and token commands, and the demo output."""

import os
import subprocess
import tempfile

import fixtures
import testscenarios

from cyclades.db import api as db_api
from cyclades.db.session import transaction
from cyclades import demo
from cyclades import exception
from cyclades.identity import api as identity_api
from tests.unit.cmd import test_manage

load_tests = testscenarios.load_tests_apply_scenarios


def user_named(name):
    with transaction() as session:
        return db_api.user_get_by_name(session, name)


def project_named(name):
    with transaction() as session:
        return db_api.project_get_by_name(session, name)


def role_of(user, project):
    with transaction() as session:
        membership = db_api.membership_get(session, user_named(user).id,
                                           project_named(project).id)
        return membership.role if membership is not None else None


def password_works(name, password):
    with transaction() as session:
        try:
            identity_api.authenticate_password(session, password,
                                               user_name=name)
        except exception.AuthenticationFailed:
            return False
    return True


def token_identity(token):
    """(user name, project name) of a valid token, or None."""
    with transaction() as session:
        found = db_api.token_validate(session, token)
    if found is None:
        return None
    return found[1].name, found[2].name


class IdentityCommandsTestCase(test_manage.ManageTestCase):

    def run_ok(self, *argv):
        status, out, err = self.manage(*argv)
        self.assertEqual(0, status, err)
        return out


class UserCommandsTest(IdentityCommandsTestCase):

    scenarios = test_manage.DB_SCENARIOS

    def test_create_admin_of_a_project(self):
        self.run_ok('project', 'create', 'ops')

        out = self.run_ok('user', 'create', 'alice', '--password', 's3cret',
                          '--project', 'ops', '--admin')

        alice = user_named('alice')
        self.assertEqual('Created user %s (alice)\n' % alice.id, out)
        self.assertNotIn('s3cret', alice.password_hash)
        self.assertTrue(password_works('alice', 's3cret'))
        self.assertEqual(project_named('ops').id, alice.default_project_id)
        self.assertEqual('admin', role_of('alice', 'ops'))

    def test_create_member_by_project_id(self):
        self.run_ok('project', 'create', 'ops')

        self.run_ok('user', 'create', 'bob', '--password', 'pw',
                    '--project', project_named('ops').id)

        self.assertEqual('member', role_of('bob', 'ops'))

    def test_create_without_project(self):
        self.run_ok('user', 'create', 'loner', '--password', 'pw')

        self.assertIsNone(user_named('loner').default_project_id)

    def test_create_errors(self):
        self.run_ok('user', 'create', 'taken', '--password', 'pw')

        self.assertFails('a user named taken exists', 'user', 'create',
                         'taken', '--password', 'pw')
        self.assertFails('Project absent not found', 'user', 'create',
                         'new', '--password', 'pw', '--project', 'absent')
        self.assertFails('--admin needs --project', 'user', 'create',
                         'new', '--password', 'pw', '--admin')
        self.assertFails('must not be empty', 'user', 'create', 'new',
                         '--password', '')
        self.assertIsNone(user_named('new'))

    def test_list(self):
        self.run_ok('project', 'create', 'ops')
        self.run_ok('user', 'create', 'alice', '--password', 'pw',
                    '--project', 'ops', '--admin')
        self.run_ok('user', 'create', 'loner', '--password', 'pw')

        lines = self.run_ok('user', 'list').splitlines()

        self.assertEqual(['ID', 'NAME', 'DEFAULT', 'PROJECT', 'PROJECTS',
                          'ENABLED'], lines[0].split())
        self.assertEqual([user_named('alice').id, 'alice', 'ops', 'ops',
                          '(admin)', 'yes'], lines[1].split())
        self.assertEqual([user_named('loner').id, 'loner', '-', 'yes'],
                         lines[2].split())

    def test_delete_by_name_or_id(self):
        self.run_ok('project', 'create', 'ops')
        for name in ('one', 'two'):
            self.run_ok('user', 'create', name, '--password', 'pw',
                        '--project', 'ops')
        token = self.run_ok('token', 'create', 'one').strip()
        one_id = user_named('one').id

        out = self.run_ok('user', 'delete', 'one')
        self.run_ok('user', 'delete', user_named('two').id)

        self.assertEqual('Deleted user %s (one)\n' % one_id, out)
        self.assertIsNone(user_named('one'))
        self.assertIsNone(user_named('two'))
        self.assertIsNone(token_identity(token))
        self.assertFails('User one not found', 'user', 'delete', 'one')

    def test_set_password_revokes_tokens(self):
        self.run_ok('project', 'create', 'ops')
        self.run_ok('user', 'create', 'alice', '--password', 'old',
                    '--project', 'ops')
        token = self.run_ok('token', 'create', 'alice').strip()

        self.run_ok('user', 'set-password', 'alice', '--password', 'new')

        self.assertFalse(password_works('alice', 'old'))
        self.assertTrue(password_works('alice', 'new'))
        self.assertIsNone(token_identity(token))
        self.assertFails('User absent not found', 'user', 'set-password',
                         'absent', '--password', 'x')


class ProjectCommandsTest(IdentityCommandsTestCase):

    scenarios = test_manage.DB_SCENARIOS

    def test_create_and_list(self):
        out = self.run_ok('project', 'create', 'ops', '--description',
                          'Operations team')
        self.run_ok('user', 'create', 'alice', '--password', 'pw',
                    '--project', 'ops', '--admin')

        ops = project_named('ops')
        self.assertEqual('Created project %s (ops)\n' % ops.id, out)
        self.assertEqual('Operations team', ops.description)
        lines = self.run_ok('project', 'list').splitlines()
        self.assertEqual(['ID', 'NAME', 'DESCRIPTION', 'MEMBERS',
                          'ENABLED'], lines[0].split())
        self.assertEqual([ops.id, 'ops', 'Operations', 'team', 'alice',
                          '(admin)', 'yes'], lines[1].split())
        self.assertFails('a project named ops exists', 'project', 'create',
                         'ops')

    def test_add_member_makes_a_first_project_the_default(self):
        for name in ('first', 'second'):
            self.run_ok('project', 'create', name)
        self.run_ok('user', 'create', 'bob', '--password', 'pw')

        out = self.run_ok('project', 'add-member', 'first', 'bob')
        self.run_ok('project', 'add-member', 'second', 'bob', '--role',
                    'admin')

        self.assertEqual('User bob is member of project first\n', out)
        self.assertEqual(project_named('first').id,
                         user_named('bob').default_project_id)
        self.assertEqual('admin', role_of('bob', 'second'))

    def test_add_member_changes_the_role(self):
        self.run_ok('project', 'create', 'ops')
        self.run_ok('user', 'create', 'bob', '--password', 'pw',
                    '--project', 'ops')

        self.run_ok('project', 'add-member', 'ops', 'bob', '--role',
                    'admin')

        self.assertEqual('admin', role_of('bob', 'ops'))

    def test_add_member_errors(self):
        self.run_ok('project', 'create', 'ops')

        self.assertFails('User absent not found', 'project', 'add-member',
                         'ops', 'absent')
        self.assertFails('Project absent not found', 'project',
                         'add-member', 'absent', 'absent')

    def test_remove_member_revokes_its_tokens_there(self):
        for name in ('ops', 'dev'):
            self.run_ok('project', 'create', name)
        self.run_ok('user', 'create', 'bob', '--password', 'pw',
                    '--project', 'ops')
        self.run_ok('project', 'add-member', 'dev', 'bob')
        ops_token = self.run_ok('token', 'create', 'bob').strip()
        dev_token = self.run_ok('token', 'create', 'bob', '--project',
                                'dev').strip()

        out = self.run_ok('project', 'remove-member', 'ops', 'bob')

        self.assertEqual('User bob is no longer a member of project ops\n',
                         out)
        self.assertIsNone(role_of('bob', 'ops'))
        self.assertIsNone(user_named('bob').default_project_id)
        self.assertIsNone(token_identity(ops_token))
        self.assertEqual(('bob', 'dev'), token_identity(dev_token))
        self.assertFails('is not a member', 'project', 'remove-member',
                         'ops', 'bob')


class TokenCommandsTest(IdentityCommandsTestCase):

    scenarios = test_manage.DB_SCENARIOS

    def setUp(self):
        super().setUp()
        for name in ('ops', 'dev'):
            self.run_ok('project', 'create', name)
        self.run_ok('user', 'create', 'bob', '--password', 'pw',
                    '--project', 'ops')

    def test_create_for_the_default_project(self):
        out = self.run_ok('token', 'create', 'bob')

        self.assertEqual(1, len(out.splitlines()))
        self.assertEqual(('bob', 'ops'), token_identity(out.strip()))

    def test_create_for_a_project(self):
        self.run_ok('project', 'add-member', 'dev', 'bob')

        out = self.run_ok('token', 'create', user_named('bob').id,
                          '--project', 'dev')

        self.assertEqual(('bob', 'dev'), token_identity(out.strip()))

    def test_create_errors(self):
        self.assertFails('has no access to project', 'token', 'create',
                         'bob', '--project', 'dev')
        self.assertFails('User absent not found', 'token', 'create',
                         'absent')
        self.assertFails('Project absent not found', 'token', 'create',
                         'bob', '--project', 'absent')

    def test_revoke(self):
        token = self.run_ok('token', 'create', 'bob').strip()

        out = self.run_ok('token', 'revoke', token)

        self.assertEqual('Token revoked\n', out)
        self.assertIsNone(token_identity(token))
        self.assertFails('Could not find token', 'token', 'revoke', token)


class DemoCommandTest(IdentityCommandsTestCase):

    def test_output(self):
        self.flags(group='api', public_endpoint='http://cloud.test:9000')

        lines = self.run_ok('demo').splitlines()

        self.assertRegex(lines[0], r'^OS_TOKEN=\S+$')
        self.assertEqual('OS_COMPUTE_URL=http://cloud.test:9000/compute/'
                         'v2.0', lines[1])
        self.assertEqual([
            'export OS_AUTH_URL=http://cloud.test:9000/identity/v3',
            'export OS_USERNAME=demo',
            'export OS_PASSWORD=%s' % demo.PASSWORD,
            'export OS_PROJECT_NAME=demo',
            'export OS_USER_DOMAIN_NAME=Default',
            'export OS_PROJECT_DOMAIN_NAME=Default',
            'export OS_IDENTITY_API_VERSION=3',
        ], lines[2:])
        self.assertEqual(('demo', 'demo'),
                         token_identity(lines[0].split('=', 1)[1]))
        self.assertTrue(password_works(demo.USER, demo.PASSWORD))

    def test_output_is_valid_shell(self):
        out = self.run_ok('demo')
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, 'demo.env')
            with open(path, 'w') as env_file:
                env_file.write(out)

            # The token is set for curl examples but not exported.
            script = ('. "$1"; echo "token=$OS_TOKEN"; '
                      'env | grep "^OS_" | sort')
            result = subprocess.run(['sh', '-c', script, 'sh', path],
                                    capture_output=True, text=True,
                                    check=True, env={'PATH': os.defpath})

        lines = result.stdout.splitlines()
        self.assertEqual('token=' + out.splitlines()[0].split('=', 1)[1],
                         lines[0])
        self.assertEqual(['OS_AUTH_URL', 'OS_IDENTITY_API_VERSION',
                          'OS_PASSWORD', 'OS_PROJECT_DOMAIN_NAME',
                          'OS_PROJECT_NAME', 'OS_USERNAME',
                          'OS_USER_DOMAIN_NAME'],
                         [line.split('=', 1)[0] for line in lines[1:]])

    def test_shell_values_are_quoted(self):
        self.useFixture(fixtures.MonkeyPatch(
            'cyclades.demo.PASSWORD', "it's $secret"))

        lines = demo.shell_lines('token')

        self.assertIn("export OS_PASSWORD='it'\"'\"'s $secret'", lines)
