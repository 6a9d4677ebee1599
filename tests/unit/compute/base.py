"""A database with the demo data, and servers made without the API."""

import datetime

from cyclades import context as cyclades_context
from cyclades.db import api as db_api
from cyclades.db import models
from cyclades.db.session import transaction
from cyclades import demo
from cyclades import utils
from tests import base
from tests import db_fixtures


def ago(seconds):
    return utils.utcnow() - datetime.timedelta(seconds=seconds)


class ComputeTestCase(base.TestCase):
    """Seeds SQLite with the demo data; ``self.context`` is its user."""

    def setUp(self):
        super().setUp()
        self.useFixture(db_fixtures.Database(self.config_fixture))
        demo.seed()
        with transaction() as session:
            self.flavors = db_api.flavor_list(session)
            self.image = db_api.image_list(session)[0]
            user = db_api.user_get_by_name(session, demo.USER)
        self.context = cyclades_context.RequestContext(
            user_id=user.id, project_id=user.default_project_id)

    def add_host(self, host, heartbeat_age=0):
        with transaction(writer=True) as session:
            record = db_api.host_report(session, host, 64, 65536, 1024)
            record.heartbeat_at = ago(heartbeat_age)

    def add_server(self, host='host-1', status='ACTIVE', task_state='',
                   flavor=None, **values):
        with transaction(writer=True) as session:
            server = db_api.server_create(
                session, name='server', project_id=self.context.project_id,
                user_id=self.context.user_id,
                flavor_id=(flavor or self.flavors[0]).id,
                image_id=self.image.id, host=host, status=status,
                task_state=task_state, progress=100, **values)
            return server.id

    def server(self, server_id):
        with transaction() as session:
            return session.get(models.Server, server_id)

    def diagnostics(self, server_id):
        with transaction() as session:
            return db_api.diagnostic_list(session, server_id)

    def image_record(self, image_id):
        with transaction() as session:
            return session.get(models.Image, image_id)
