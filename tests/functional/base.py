"""The whole service in the test process: API, compute host, database.

Requests go through the real Paste pipeline with webob, the compute
host consumes the in-memory transport in a thread, and the database is
SQLite or, per scenario, the local PostgreSQL or MySQL.
"""

import json
import threading
import uuid

from sqlalchemy import event
import webob

from cyclades.api import app as api_app
from cyclades.compute import service as compute_service
from cyclades.db import api as db_api
from cyclades.db import models
from cyclades.db import session as db_session
from cyclades.db.session import transaction
from cyclades import demo
from tests import base
from tests import db_fixtures

#: Run a test class once per database backend.
DB_SCENARIOS = [
    ('sqlite', {'backend': 'sqlite'}),
    ('postgresql', {'backend': 'postgresql'}),
]


class APIClient:
    """Sends requests through the WSGI application."""

    def __init__(self, app, token=None, prefix='/compute/v2.0'):
        self.app = app
        self.token = token
        self.prefix = prefix

    def request(self, method, path, body=None, headers=None, raw=None,
                token=True, prefix=None):
        url = (self.prefix if prefix is None else prefix) + path
        req = webob.Request.blank(url, method=method)
        req.environ['SERVER_NAME'] = 'localhost'
        req.environ['SERVER_PORT'] = '8774'
        req.environ['HTTP_HOST'] = 'localhost:8774'
        if token and self.token:
            req.headers['X-Auth-Token'] = self.token
        if body is not None:
            req.body = json.dumps(body).encode('utf-8')
            req.content_type = 'application/json'
        elif raw is not None:
            req.body = raw
        for name, value in (headers or {}).items():
            req.headers[name] = value
        return req.get_response(self.app)

    def get(self, path, **kwargs):
        return self.request('GET', path, **kwargs)

    def post(self, path, body=None, **kwargs):
        return self.request('POST', path, body=body, **kwargs)

    def put(self, path, body=None, **kwargs):
        return self.request('PUT', path, body=body, **kwargs)

    def delete(self, path, **kwargs):
        return self.request('DELETE', path, **kwargs)


def make_identity(name):
    """Create a project and a member user; return (user, project, token)."""
    with transaction(writer=True) as session:
        project = models.Project(name='project-' + name)
        session.add(project)
        session.flush()
        user = models.User(name='user-' + name,
                           default_project_id=project.id)
        session.add(user)
        session.flush()
        session.add(models.Membership(user_id=user.id,
                                      project_id=project.id))
        token = db_api.token_create(session, user.id, project.id, 3600)
        return user.id, project.id, token


class FunctionalTestCase(base.TestCase):
    """Starts the service; ``self.api`` calls it as the demo user."""

    backend = 'sqlite'
    #: Start a compute host; some tests want none.
    start_compute = True

    def setUp(self):
        super().setUp()
        self.flags(group='messaging', exchange='test-' + uuid.uuid4().hex)
        self.flags(group='fake_driver', build_time=0.05, action_time=0.02)
        self.flags(group='compute', report_interval=1)
        self.database = self.useFixture(
            db_fixtures.Database(self.config_fixture, self.backend))

        demo_token = demo.seed()
        with transaction() as session:
            self.flavors = db_api.flavor_list(session)
            self.image = db_api.image_list(session)[0]
            found = db_api.token_validate(session, demo_token)
            self.user_id, self.project_id = found[1].id, found[2].id

        if self.start_compute:
            self.compute = self.start_compute_host('host-' +
                                                   uuid.uuid4().hex[:8])
        self.app = api_app.load_app()
        self.api = APIClient(self.app, demo_token)

    def start_compute_host(self, host):
        compute = compute_service.ComputeService(host=host)
        compute.start()
        self.addCleanup(compute.stop)
        return compute

    def create_server(self, name='server', flavor=None, image=None,
                      **extra):
        body = {'server': {'name': name,
                           'flavorRef': str((flavor or self.flavors[0]).id),
                           'imageRef': (image or self.image).id}}
        body['server'].update(extra)
        return self.api.post('/servers', body)

    def server_status(self, server_id):
        response = self.api.get('/servers/%s' % server_id)
        return response.json['server']['status']

    def count_queries(self, path='/servers/detail'):
        """List servers at ``path``, counting this thread's statements.

        :returns: (how many servers were listed, the SQL statements).
        """
        engine = db_session.get_engine()
        statements = []
        thread = threading.get_ident()

        def on_execute(conn, cursor, statement, *args):
            if threading.get_ident() == thread:
                statements.append(statement)

        event.listen(engine, 'before_cursor_execute', on_execute)
        try:
            response = self.api.get(path)
        finally:
            event.remove(engine, 'before_cursor_execute', on_execute)
        self.assertEqual(200, response.status_int)
        return len(response.json['servers']), statements

    def show(self, server_id):
        return self.api.get('/servers/%s' % server_id).json['server']

    def settled(self, server_id, status):
        """Wait until the server has ``status`` and no pending task."""
        def done():
            server = self.show(server_id)
            return (server['status'] == status
                    and server['SNF:task_state'] == '') and server
        return base.wait_for(done, message='server %s to settle in %s'
                             % (server_id, status))

    def wait_for_status(self, server_id, status):
        return base.wait_for(
            lambda: self.server_status(server_id) == status,
            message='server %s to become %s' % (server_id, status))
