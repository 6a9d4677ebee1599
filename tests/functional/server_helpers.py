"""What the server resource tests share: faults, records, XML."""

import datetime
import xml.etree.ElementTree as ET

from cyclades.api import xmlutil
from cyclades.db import api as db_api
from cyclades.db import models
from cyclades.db.session import transaction
from cyclades import utils
from tests.functional import base as functional

NS = {'c': xmlutil.NAMESPACE}
C = '{%s}' % xmlutil.NAMESPACE


class ServerTestMixin:
    """Helpers for a FunctionalTestCase about servers."""

    def assertFault(self, response, code, name, contains=None):
        self.assertEqual(code, response.status_int, response.body)
        fault = response.json[name]
        self.assertEqual(code, fault['code'])
        if contains is not None:
            self.assertIn(contains, fault['message'])
        return fault

    def new_server(self, name='server', **extra):
        """Create a server and return its id."""
        response = self.create_server(name=name, **extra)
        self.assertEqual(202, response.status_int, response.body)
        return response.json['server']['id']

    def insert_servers(self, count, **values):
        """Servers straight in the database, with metadata and a
        diagnostics entry each, for tests about reading them.

        :returns: their ids, as the API shows them.
        """
        ids = []
        with transaction(writer=True) as session:
            for index in range(count):
                server = db_api.server_create(
                    session, name='s%d' % index, project_id=self.project_id,
                    user_id=self.user_id, flavor_id=self.flavors[0].id,
                    image_id=self.image.id, status='ACTIVE',
                    metadata={'index': str(index)}, **values)
                db_api.diagnostic_add(server.id, 'INFO', 'test', 'Made',
                                      session=session)
                ids.append(str(server.id))
        return ids

    def set_server(self, server_id, **values):
        """Change a server's record directly, as a compute host would."""
        with transaction(writer=True) as session:
            self.assertTrue(db_api.server_update_if(
                session, int(server_id), {}, **values))

    def delete_now(self, server_id):
        """Delete a server and wait until it is marked deleted."""
        self.assertEqual(204, self.api.delete('/servers/%s' % server_id)
                         .status_int)
        self.wait_for_status(server_id, 'DELETED')

    def age_deletion(self, server_id, seconds):
        """Pretend the server was deleted ``seconds`` ago."""
        then = utils.utcnow() - datetime.timedelta(seconds=seconds)
        self.set_server(server_id, deleted_at=then, updated_at=then)

    def server(self, server_id):
        response = self.api.get('/servers/%s' % server_id)
        self.assertEqual(200, response.status_int, response.body)
        return response.json['server']

    def other_client(self, name='other'):
        """A client of another user in another project."""
        _user, _project, token = functional.make_identity(name)
        return functional.APIClient(self.app, token)

    def add_image(self, **values):
        values.setdefault('name', 'image')
        values.setdefault('public', True)
        values.setdefault('status', 'ACTIVE')
        with transaction(writer=True) as session:
            image = models.Image(**values)
            session.add(image)
            session.flush()
            return image.id

    def add_flavor(self, **values):
        values.setdefault('vcpus', 1)
        values.setdefault('ram', 512)
        values.setdefault('disk', 10)
        with transaction(writer=True) as session:
            flavor = models.Flavor(**values)
            session.add(flavor)
            session.flush()
            return flavor.id

    def parse_xml(self, response, root):
        """The XML document of a response, whose root must be ``root``."""
        self.assertEqual('application/xml; charset=UTF-8',
                         response.headers['Content-Type'])
        element = ET.fromstring(response.body)
        self.assertEqual(C + root, element.tag)
        return element
