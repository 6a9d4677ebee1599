"""What the tests of the OpenStack dialect share: a client of /v2.1 and
Tempest's response schemas as the judge of every body."""

from tempest.lib.common import rest_client

from tests import base
from tests.functional import base as functional
from tests.functional import server_helpers

PREFIX = '/compute/v2.1'


class _Response(dict):
    """Headers and status as Tempest's checks read them."""

    def __init__(self, response):
        super().__init__((name.lower(), value)
                         for name, value in response.headers.items())
        self.status = response.status_int


class OpenStackTestMixin(server_helpers.ServerTestMixin):
    """Helpers for a FunctionalTestCase about the OpenStack dialect.

    ``self.nova`` calls /compute/v2.1 as the demo user.
    """

    def setUp(self):
        super().setUp()
        self.nova = functional.APIClient(self.app, self.api.token,
                                         prefix=PREFIX)

    def assertSchema(self, schema, response):
        """Check status, body and headers as Tempest's clients do.

        :returns: the body.
        """
        body = response.json if response.body else response.text
        rest_client.RestClient.validate_response(schema, _Response(response),
                                                 body)
        return body

    def other_nova(self, name='other'):
        """A client of /v2.1 of another user in another project."""
        _user, project, token = functional.make_identity(name)
        return functional.APIClient(self.app, token, prefix=PREFIX), project

    def nova_server(self, name='server', **extra):
        """Create a server through /v2.1; return its id."""
        body = {'server': {'name': name,
                           'flavorRef': str(self.flavors[0].id),
                           'imageRef': self.image.id}}
        body['server'].update(extra)
        response = self.nova.post('/servers', body)
        self.assertEqual(202, response.status_int, response.body)
        return response.json['server']['id']

    def wait_for_nova_status(self, server_id, status):
        def reached():
            response = self.nova.get('/servers/%s' % server_id)
            return (response.status_int == 200
                    and response.json['server']['status'] == status)
        return base.wait_for(
            reached, message='server %s to become %s' % (server_id, status))
