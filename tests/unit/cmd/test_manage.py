"""cyclades-manage: the flavor and image commands, on a test database."""

import fixtures
import testscenarios

from cyclades.cmd import common
from cyclades.cmd import manage
from cyclades import conf
from cyclades.db import api as db_api
from cyclades.db import models
from cyclades.db.session import transaction
from tests import base
from tests import db_fixtures

load_tests = testscenarios.load_tests_apply_scenarios

CONF = conf.CONF

DB_SCENARIOS = [
    ('sqlite', {'backend': 'sqlite'}),
    ('postgresql', {'backend': 'postgresql'}),
]


class ManageTestCase(base.TestCase):
    """Runs ``cyclades-manage`` in the process, capturing its output."""

    backend = 'sqlite'

    def setUp(self):
        super().setUp()
        self.useFixture(db_fixtures.Database(self.config_fixture,
                                             self.backend))
        # main() sets up logging for a real process; keep the test's.
        self.useFixture(fixtures.MonkeyPatch(
            'cyclades.config.setup_logging', lambda: None))
        self.addCleanup(self._forget_command_line)

    def _forget_command_line(self):
        CONF.clear()
        CONF.unregister_opt(manage.CATEGORY_OPT)

    def manage(self, *argv):
        """Run a command; return its exit status, stdout and stderr."""
        stdout = self.useFixture(fixtures.StringStream('stdout')).stream
        stderr = self.useFixture(fixtures.StringStream('stderr')).stream
        self.useFixture(fixtures.MonkeyPatch('sys.stdout', stdout))
        self.useFixture(fixtures.MonkeyPatch('sys.stderr', stderr))

        # main() parses its own command line, as a new process would.
        CONF.clear()
        status = manage.main(list(argv))

        stdout.seek(0)
        stderr.seek(0)
        return status, stdout.read(), stderr.read()

    def assertFails(self, message, *argv):
        status, out, err = self.manage(*argv)
        self.assertEqual(1, status)
        self.assertEqual('', out)
        self.assertIn(message, err)
        self.assertNotIn('Traceback', err)
        return err


def flavor_named(name):
    with transaction() as session:
        return db_api.flavor_get_by_name(session, name)


def image_get(image_id):
    with transaction() as session:
        return db_api.image_get(session, image_id)


class ArgsDecoratorTest(base.TestCase):

    def test_arguments_keep_their_written_order(self):
        @common.args('first')
        @common.args('--second', type=int)
        @common.args('--third', action='store_true')
        def action(first, second, third):
            pass

        self.assertEqual([(('first',), {}),
                          (('--second',), {'type': int}),
                          (('--third',), {'action': 'store_true'})],
                         action.arguments)

    def test_print_table_aligns_columns(self):
        stdout = self.useFixture(fixtures.StringStream('stdout')).stream
        self.useFixture(fixtures.MonkeyPatch('sys.stdout', stdout))

        common.print_table(('ID', 'NAME'), [(1, 'small'), (10, None),
                                            (2, True)])

        stdout.seek(0)
        self.assertEqual(['ID  NAME', '1   small', '10  -', '2   yes'],
                         stdout.read().splitlines())


class FlavorCommandsTest(ManageTestCase):

    scenarios = DB_SCENARIOS

    def test_create(self):
        status, out, _err = self.manage('flavor', 'create', 'C8R8192D100',
                                        '--vcpus', '8', '--ram', '8192',
                                        '--disk', '100')

        self.assertEqual(0, status)
        flavor = flavor_named('C8R8192D100')
        self.assertEqual('Created flavor %s (C8R8192D100)\n' % flavor.id,
                         out)
        self.assertEqual((8, 8192, 100, 'drbd'), (
            flavor.vcpus, flavor.ram, flavor.disk, flavor.disk_template))
        self.assertTrue(flavor.allow_create)
        self.assertFalse(flavor.deleted)

    def test_create_with_template_and_no_create(self):
        status, _out, _err = self.manage(
            'flavor', 'create', 'legacy', '--vcpus', '1', '--ram', '512',
            '--disk', '5', '--disk-template', 'plain', '--no-create')

        self.assertEqual(0, status)
        flavor = flavor_named('legacy')
        self.assertEqual('plain', flavor.disk_template)
        self.assertFalse(flavor.allow_create)

    def test_create_refuses_bad_values(self):
        sizes = ('--vcpus', '1', '--ram', '512', '--disk', '5')
        self.manage('flavor', 'create', 'taken', *sizes)

        self.assertFails('already exists', 'flavor', 'create', 'taken',
                         *sizes)
        self.assertFails('not only digits', 'flavor', 'create', '42',
                         *sizes)
        self.assertFails('vcpus must be a positive integer', 'flavor',
                         'create', 'none', '--vcpus', '0', '--ram', '512',
                         '--disk', '5')
        self.assertFails('disk must be a positive integer', 'flavor',
                         'create', 'none', '--vcpus', '1', '--ram', '512',
                         '--disk', '-5')
        self.assertIsNone(flavor_named('none'))

    def test_missing_argument_is_a_usage_error(self):
        stderr = self.useFixture(fixtures.StringStream('stderr')).stream
        self.useFixture(fixtures.MonkeyPatch('sys.stderr', stderr))
        CONF.clear()

        error = self.assertRaises(SystemExit, manage.main,
                                  ['flavor', 'create', 'small'])

        self.assertEqual(2, error.code)

    def test_list(self):
        self.manage('flavor', 'create', 'small', '--vcpus', '1', '--ram',
                    '512', '--disk', '5')
        self.manage('flavor', 'create', 'gone', '--vcpus', '2', '--ram',
                    '1024', '--disk', '10')
        self.manage('flavor', 'delete', 'gone')

        status, out, _err = self.manage('flavor', 'list')

        self.assertEqual(0, status)
        lines = out.splitlines()
        self.assertEqual(['ID', 'NAME', 'VCPUS', 'RAM', '(MiB)', 'DISK',
                          '(GiB)', 'TEMPLATE', 'NEW', 'SERVERS', 'DELETED'],
                         lines[0].split())
        self.assertEqual(2, len(lines))
        self.assertEqual(['small', '1', '512', '5', 'drbd', 'yes', 'no'],
                         lines[1].split()[1:])

        _status, out, _err = self.manage('flavor', 'list', '--all')
        self.assertIn('gone', out)

    def test_delete_by_id_or_name(self):
        for name in ('one', 'two'):
            self.manage('flavor', 'create', name, '--vcpus', '1', '--ram',
                        '512', '--disk', '5')
        one = flavor_named('one')

        status, out, _err = self.manage('flavor', 'delete', str(one.id))
        self.assertEqual(0, status)
        self.assertEqual('Deleted flavor %s (one)\n' % one.id, out)
        self.assertEqual(0, self.manage('flavor', 'delete', 'two')[0])

        self.assertTrue(flavor_named('one').deleted)
        self.assertTrue(flavor_named('two').deleted)

    def test_delete_errors(self):
        self.manage('flavor', 'create', 'one', '--vcpus', '1', '--ram',
                    '512', '--disk', '5')
        self.manage('flavor', 'delete', 'one')

        self.assertFails('already deleted', 'flavor', 'delete', 'one')
        self.assertFails('Flavor not found', 'flavor', 'delete', 'absent')
        self.assertFails('Flavor not found', 'flavor', 'delete', '4242')
        self.assertFails('Flavor not found', 'flavor', 'delete', '9' * 20)


class ImageCommandsTest(ManageTestCase):

    scenarios = DB_SCENARIOS

    def setUp(self):
        super().setUp()
        with transaction(writer=True) as session:
            project = models.Project(name='tenant')
            session.add(project)
            session.flush()
            self.project_id = project.id

    def register(self, *extra, name='Ubuntu'):
        return self.manage('image', 'register', name, '--disk-format',
                           'diskdump', '--size', '1073741824',
                           '--min-disk', '2', '--min-ram', '512', *extra)

    def registered_id(self, out):
        self.assertTrue(out.startswith('Registered image '), out)
        return out.split()[2]

    def test_register_public_with_properties(self):
        status, out, _err = self.register('--public', '--property',
                                          'OS=ubuntu', '--property',
                                          'USERS=root=admin')

        self.assertEqual(0, status)
        image = image_get(self.registered_id(out))
        self.assertEqual('Ubuntu', image.name)
        self.assertTrue(image.public)
        self.assertIsNone(image.owner_id)
        self.assertEqual('ACTIVE', image.status)
        self.assertEqual(('diskdump', 1073741824, 2, 512), (
            image.disk_format, image.size, image.min_disk, image.min_ram))
        self.assertEqual({'OS': 'ubuntu', 'USERS': 'root=admin'},
                         image.meta)

    def test_register_for_a_project_by_name_or_id(self):
        for owner in ('tenant', self.project_id):
            status, out, _err = self.register('--owner', owner)

            self.assertEqual(0, status)
            image = image_get(self.registered_id(out))
            self.assertEqual(self.project_id, image.owner_id)
            self.assertFalse(image.public)

    def test_register_refuses_bad_values(self):
        self.assertFails('must be public or have an owner', 'image',
                         'register', 'x', '--disk-format', 'diskdump',
                         '--size', '1', '--min-disk', '1', '--min-ram', '1')
        self.assertFails('Project nobody not found',
                         *self._register_args('--owner', 'nobody'))
        self.assertFails('--property needs KEY=VALUE',
                         *self._register_args('--public', '--property',
                                              'OS'))
        self.assertFails('metadata keys need 1 to 255 characters',
                         *self._register_args('--public', '--property',
                                              '=value'))
        self.assertFails('disk format', 'image', 'register', 'x',
                         '--disk-format', 'floppy', '--size', '1',
                         '--min-disk', '1', '--min-ram', '1', '--public')
        self.assertFails('size cannot be negative', 'image', 'register',
                         'x', '--disk-format', 'raw', '--size', '-1',
                         '--min-disk', '1', '--min-ram', '1', '--public')
        with transaction() as session:
            self.assertEqual([], db_api.image_list(session))

    def _register_args(self, *extra):
        return ('image', 'register', 'x', '--disk-format', 'raw',
                '--size', '1', '--min-disk', '1', '--min-ram', '1') + extra

    def test_list(self):
        _status, out, _err = self.register('--public', name='Debian')
        public_id = self.registered_id(out)
        _status, out, _err = self.register('--owner', 'tenant',
                                           name='Private')
        private_id = self.registered_id(out)
        _status, out, _err = self.register('--public', name='Gone')
        self.manage('image', 'delete', self.registered_id(out))

        status, out, _err = self.manage('image', 'list')

        self.assertEqual(0, status)
        lines = out.splitlines()
        self.assertEqual(['ID', 'NAME', 'STATUS', 'PUBLIC', 'OWNER'],
                         lines[0].split()[:5])
        self.assertEqual(3, len(lines))
        self.assertEqual([public_id, 'Debian', 'ACTIVE', 'yes', '-'],
                         lines[1].split()[:5])
        self.assertEqual([private_id, 'Private', 'ACTIVE', 'no',
                          self.project_id], lines[2].split()[:5])

    def test_delete(self):
        _status, out, _err = self.register('--owner', 'tenant')
        image_id = self.registered_id(out)

        status, out, _err = self.manage('image', 'delete', image_id)

        self.assertEqual(0, status)
        self.assertEqual('Deleted image %s (Ubuntu)\n' % image_id, out)
        image = image_get(image_id)
        self.assertTrue(image.deleted)
        self.assertEqual('DELETED', image.status)
        self.assertIsNotNone(image.deleted_at)

        self.assertFails('already deleted', 'image', 'delete', image_id)
        self.assertFails('Image not found', 'image', 'delete',
                         'no-such-image')


class OtherCommandsTest(ManageTestCase):

    def test_db_version_still_works(self):
        status, out, _err = self.manage('db', 'version')

        self.assertEqual(0, status)
        self.assertNotEqual('none', out.strip())
