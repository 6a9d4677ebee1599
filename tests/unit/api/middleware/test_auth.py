import webob
import webob.dec

from cyclades.api.middleware import auth
from cyclades.db import api as db_api
from cyclades.db import models
from cyclades.db.session import transaction
from cyclades import utils
from tests import base
from tests import db_fixtures


@webob.dec.wsgify
def _echo(req):
    names = ('X-Identity-Status', 'X-User-Id', 'X-User-Name',
             'X-Project-Id', 'X-Project-Name', 'X-Roles')
    return webob.Response(json={name: req.headers.get(name)
                                for name in names})


class AuthTokenTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(db_fixtures.Database(self.config_fixture))
        with transaction(writer=True) as session:
            project = models.Project(name='p')
            user = models.User(name='u')
            session.add_all([project, user])
            session.flush()
            session.add(models.Membership(user_id=user.id,
                                          project_id=project.id,
                                          role='admin'))
            self.token = db_api.token_create(session, user.id, project.id,
                                             3600)
            self.user_id, self.project_id = user.id, project.id
        self.app = auth.filter_factory({})(_echo)

    def _call(self, token=None, **headers):
        req = webob.Request.blank('/')
        if token:
            req.headers['X-Auth-Token'] = token
        for name, value in headers.items():
            req.headers[name.replace('_', '-')] = value
        return req.get_response(self.app).json

    def test_valid_token_sets_identity_headers(self):
        identity = self._call(self.token)

        self.assertEqual({'X-Identity-Status': 'Confirmed',
                          'X-User-Id': self.user_id,
                          'X-User-Name': 'u',
                          'X-Project-Id': self.project_id,
                          'X-Project-Name': 'p',
                          'X-Roles': 'member,admin'}, identity)

    def test_missing_or_unknown_token_is_invalid_not_rejected(self):
        self.assertEqual('Invalid',
                         self._call()['X-Identity-Status'])
        self.assertEqual('Invalid',
                         self._call('nope')['X-Identity-Status'])

    def test_client_cannot_claim_an_identity(self):
        identity = self._call(X_Identity_Status='Confirmed',
                              X_User_Id='mallory', X_Roles='admin')

        self.assertEqual('Invalid', identity['X-Identity-Status'])
        self.assertIsNone(identity['X-User-Id'])
        self.assertIsNone(identity['X-Roles'])

    def test_expired_and_revoked_tokens_are_invalid(self):
        with transaction(writer=True) as session:
            expired = db_api.token_create(session, self.user_id,
                                          self.project_id, -1)
            revoked = db_api.token_create(session, self.user_id,
                                          self.project_id, 3600)
            record = session.get(models.Token, utils.hash_token(revoked))
            record.revoked = True

        self.assertEqual('Invalid', self._call(expired)['X-Identity-Status'])
        self.assertEqual('Invalid', self._call(revoked)['X-Identity-Status'])
