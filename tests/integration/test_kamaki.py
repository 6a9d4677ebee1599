"""kamaki 0.16, Synnefo's own client, against the embedded cloud.

kamaki runs on Python 2.7 only, so it lives in a virtualenv of its own
that ``make test`` builds from ``tests/py27-requirements.txt`` when a
Python 2.7 interpreter is there.  Without that interpreter the tests
skip; in CI, where the interpreter exists, a missing virtualenv fails
them.

kamaki logs in as a Synnefo user would: its cloud URL is the v2.0
identity API and its token the one the demo printed.  It re-posts that
token to ``/identity/v2.0/tokens``, reads the catalog, and talks to the
compute service of the catalog's v2.0 entry, the Cyclades dialect.
"""

import os
import shutil

from cyclades import demo
from tests.integration import clouds
from tests import services

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))

#: Where ``make test`` installs kamaki; CYCLADES_KAMAKI overrides it.
KAMAKI = os.environ.get('CYCLADES_KAMAKI',
                        os.path.join(ROOT, '.venv-py27', 'bin', 'kamaki'))

#: Where the Makefile looks for Python 2.7 first.
PYTHON27 = os.path.expanduser('~/.pyenv/versions/2.7.18/bin/python')


def python27_available():
    return os.path.exists(PYTHON27) or shutil.which('python2.7') is not None


def require_kamaki():
    if os.path.exists(KAMAKI):
        return
    message = ('kamaki is not installed at %s; make test installs it '
               'when Python 2.7 is available' % KAMAKI)
    if services.in_ci() and python27_available():
        raise AssertionError(message)
    raise clouds.CloudTestCase.skipException(message)


class KamakiTest(clouds.CloudTestCase):

    def setUp(self):
        require_kamaki()
        super().setUp()
        self.config = os.path.join(self.home, 'kamakirc')
        # kamaki sets options only in a file that exists.
        open(self.config, 'w').close()
        self.kamaki('config', 'set', 'cloud.default.url',
                    self.cloud.root_url + '/identity/v2.0')
        self.kamaki('config', 'set', 'cloud.default.token', self.cloud.token)

    def kamaki(self, *args):
        return self.run_client([KAMAKI, '--config', self.config]
                               + list(args))

    def kamaki_json(self, *args):
        return self.parse_json(self.kamaki(*(args
                                             + ('--output-format', 'json'))))

    def test_logs_in_with_the_demo_token(self):
        user = self.kamaki_json('user', 'info')

        self.assertEqual(demo.USER, user['name'])
        self.assertEqual(self.cloud.deployment.demo_ids()[2], user['id'])

    def test_lists_flavors(self):
        flavors = self.kamaki_json('flavor', 'list')

        self.assertEqual([name for name, _vcpus, _ram, _disk
                          in demo.FLAVORS],
                         [flavor['name'] for flavor in flavors])

    def test_creates_lists_and_deletes_servers(self):
        image_id, flavor_id = self.cloud.demo_ids()
        self.assertEqual([], self.kamaki_json('server', 'list'))

        created = self.kamaki_json(
            'server', 'create', '--name', 'kamaki-server',
            '--flavor-id', flavor_id, '--image-id', image_id,
            '--metadata', 'role=db', '--wait', '--no-progress-bar')
        server_id = created['id']
        self.assertEqual(('kamaki-server', 'BUILD'),
                         (created['name'], created['status']))
        self.assertIn('adminPass', created)

        self.assertEqual([{'id': server_id, 'name': 'kamaki-server'}],
                         self.kamaki_json('server', 'list'))
        info = self.kamaki_json('server', 'info', server_id)
        self.assertEqual('ACTIVE', info['status'])
        self.assertEqual(flavor_id, info['flavor']['id'])
        self.assertEqual('db', info['metadata']['role'])

        self.kamaki('server', 'delete', server_id, '--wait',
                    '--no-progress-bar')
        self.assertIsNone(self.cloud.server(server_id))
        self.assertEqual([], self.kamaki_json('server', 'list'))
