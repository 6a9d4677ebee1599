"""keystonemiddleware's auth_token in front of compute, against /identity.

The whole API is served over HTTP from a thread, as keystonemiddleware
needs a real identity endpoint to talk to; the compute pipeline under
test is loaded from a Paste file that uses keystonemiddleware's filter
instead of Cyclades' own, as doc/authentication.md describes.
"""

import os
import socketserver
import threading
from wsgiref import simple_server

import fixtures
from paste import deploy
import webob

from cyclades.api import app as api_app
from cyclades.db import api as db_api
from cyclades.db.session import transaction
from cyclades import demo
from cyclades.identity import accounts
from tests import base
from tests import db_fixtures

SERVICE_USER = 'cyclades-service'
SERVICE_PASSWORD = 'service-secret'

PASTE_TEMPLATE = """
[pipeline:compute]
pipeline = request_id faultwrap authtoken negotiation compute_app

[filter:request_id]
use = egg:cyclades#request_id

[filter:faultwrap]
use = egg:cyclades#faultwrap

[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
delay_auth_decision = true
www_authenticate_uri = {root}/identity
auth_type = password
auth_url = {root}/identity/v3
username = {username}
password = {password}
project_name = service
user_domain_name = Default
project_domain_name = Default
token_cache_time = {cache_time}
# Options of the password plugin go to a configuration of its own, not
# to the process-wide one (where an auth_url option would be required).
oslo_config_project = cyclades
oslo_config_file = {conf_file}

[filter:negotiation]
use = egg:cyclades#negotiation

[app:compute_app]
use = egg:cyclades#compute
"""


class _ThreadingServer(socketserver.ThreadingMixIn,
                       simple_server.WSGIServer):
    daemon_threads = True


class _QuietHandler(simple_server.WSGIRequestHandler):

    def log_message(self, format, *args):
        pass


class KeystoneMiddlewareTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(db_fixtures.Database(self.config_fixture))
        demo.seed()
        accounts.create_project('service')
        accounts.create_user(SERVICE_USER, SERVICE_PASSWORD,
                             project='service', admin=True)
        self.root = self._serve(api_app.load_app())

        with transaction(writer=True) as session:
            user = db_api.user_get_by_name(session, demo.USER)
            project = db_api.project_get_by_name(session, demo.PROJECT)
            self.user_id, self.project_id = user.id, project.id
            flavor = db_api.flavor_list(session)[0]
            image = db_api.image_list(session)[0]
            db_api.server_create(session, name='mine', project_id=project.id,
                                 user_id=user.id, flavor_id=flavor.id,
                                 image_id=image.id, status='ACTIVE')
            db_api.server_create(session, name='theirs',
                                 project_id=db_api.project_get_by_name(
                                     session, 'service').id,
                                 user_id='someone', flavor_id=flavor.id,
                                 image_id=image.id, status='ACTIVE')

    def _serve(self, application):
        """Serve ``application`` on a free port until the test ends."""
        server = simple_server.make_server(
            '127.0.0.1', 0, application, server_class=_ThreadingServer,
            handler_class=_QuietHandler)
        thread = threading.Thread(target=server.serve_forever,
                                  kwargs={'poll_interval': 0.05},
                                  daemon=True)
        thread.start()
        self.addCleanup(thread.join)
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        return 'http://127.0.0.1:%d' % server.server_address[1]

    def load_pipeline(self, cache_time=300, password=SERVICE_PASSWORD):
        directory = self.useFixture(fixtures.TempDir()).path
        conf_file = os.path.join(directory, 'cyclades.conf')
        with open(conf_file, 'w'):
            pass
        path = os.path.join(directory, 'api-paste.ini')
        with open(path, 'w') as paste_file:
            paste_file.write(PASTE_TEMPLATE.format(
                root=self.root, username=SERVICE_USER, password=password,
                cache_time=cache_time, conf_file=conf_file))
        return deploy.loadapp('config:' + path, name='compute')

    def user_token(self):
        return accounts.create_token(demo.USER).token

    def get(self, pipeline, path, token=None):
        req = webob.Request.blank('/compute/v2.0' + path)
        req.script_name, req.path_info = '/compute', '/v2.0' + path
        if token is not None:
            req.headers['X-Auth-Token'] = token
        return req, req.get_response(pipeline)

    def test_valid_token_reaches_compute_as_its_user_and_project(self):
        pipeline = self.load_pipeline()

        req, response = self.get(pipeline, '/servers', self.user_token())

        self.assertEqual(200, response.status_int, response.body)
        self.assertEqual(['mine'], [server['name'] for server
                                    in response.json['servers']])
        self.assertEqual('Confirmed', req.headers['X-Identity-Status'])
        self.assertEqual(self.user_id, req.headers['X-User-Id'])
        self.assertEqual(demo.USER, req.headers['X-User-Name'])
        self.assertEqual(self.project_id, req.headers['X-Project-Id'])
        self.assertEqual('member', req.headers['X-Roles'])

    def test_invalid_or_missing_token_gets_401(self):
        pipeline = self.load_pipeline()

        _req, invalid = self.get(pipeline, '/servers', 'bogus')
        _req, missing = self.get(pipeline, '/servers')

        self.assertEqual(401, invalid.status_int)
        self.assertEqual('Invalid token',
                         invalid.json['unauthorized']['message'])
        self.assertEqual(401, missing.status_int)

    def test_version_document_needs_no_token(self):
        pipeline = self.load_pipeline()

        _req, response = self.get(pipeline, '')

        self.assertEqual(200, response.status_int)

    def test_revoked_token_is_refused_without_a_cache(self):
        pipeline = self.load_pipeline(cache_time=-1)
        token = self.user_token()
        self.assertEqual(200, self.get(pipeline, '/servers',
                                       token)[1].status_int)

        accounts.revoke_token(token)

        self.assertEqual(401, self.get(pipeline, '/servers',
                                       token)[1].status_int)

    def test_service_user_that_cannot_log_in_refuses_every_token(self):
        pipeline = self.load_pipeline(password='wrong')

        _req, response = self.get(pipeline, '/servers', self.user_token())

        self.assertEqual(401, response.status_int)
