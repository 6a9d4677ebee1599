"""The identity service: version documents and Keystone v3/v2.0 tokens."""

import datetime
import re

import testscenarios

from cyclades.db import api as db_api
from cyclades.db import models
from cyclades.db.session import transaction
from cyclades import demo
from cyclades.identity import accounts
from tests.functional import base as functional

load_tests = testscenarios.load_tests_apply_scenarios

ROOT = 'http://localhost:8774'
TIME = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$')
DEFAULT_DOMAIN = {'id': 'default', 'name': 'Default'}


def parse_time(text):
    return datetime.datetime.strptime(
        text, '%Y-%m-%dT%H:%M:%S.%fZ').replace(tzinfo=datetime.timezone.utc)


def password_auth(name=demo.USER, password=demo.PASSWORD, scope=None,
                  user=None):
    """A v3 auth body; ``user`` replaces the user reference."""
    if user is None:
        user = {'name': name, 'domain': {'name': 'Default'}}
    user = dict(user, password=password)
    body = {'auth': {'identity': {'methods': ['password'],
                                  'password': {'user': user}}}}
    if scope is not None:
        body['auth']['scope'] = scope
    return body


def token_auth(token, scope=None):
    body = {'auth': {'identity': {'methods': ['token'],
                                  'token': {'id': token}}}}
    if scope is not None:
        body['auth']['scope'] = scope
    return body


class IdentityTestCase(functional.FunctionalTestCase):

    start_compute = False

    def setUp(self):
        super().setUp()
        self.identity = functional.APIClient(self.app, prefix='/identity')

    def issue(self, body, **kwargs):
        return self.identity.post('/v3/auth/tokens', body, **kwargs)

    def demo_token(self, **kwargs):
        response = self.issue(password_auth(**kwargs))
        self.assertEqual(201, response.status_int, response.body)
        return response.headers['X-Subject-Token']

    def compute_status(self, token):
        """Status of a compute request made with ``token``."""
        return self.api.get('/servers',
                            headers={'X-Auth-Token': token},
                            token=False).status_int

    def assertKeystoneError(self, status, response, message=None):
        self.assertEqual(status, response.status_int, response.body)
        error = response.json['error']
        self.assertEqual(status, error['code'])
        self.assertEqual(response.status.split(' ', 1)[1], error['title'])
        if message is not None:
            self.assertIn(message, error['message'])
        return error


class VersionsTest(IdentityTestCase):

    def test_v3_document_needs_no_token(self):
        for path in ('/v3', '/v3/'):
            response = self.identity.get(path)

            self.assertEqual(200, response.status_int)
            version = response.json['version']
            self.assertEqual('v3.14', version['id'])
            self.assertEqual('stable', version['status'])
            self.assertIn('updated', version)
            self.assertEqual([{'rel': 'self',
                               'href': ROOT + '/identity/v3/'}],
                             version['links'])
            self.assertEqual('application/json',
                             version['media-types'][0]['base'])

    def test_versions_list_is_multiple_choices(self):
        for path in ('', '/'):
            response = self.identity.get(path)

            self.assertEqual(300, response.status_int)
            values = response.json['versions']['values']
            self.assertEqual(['v3.14', 'v2.0'],
                             [value['id'] for value in values])
            self.assertEqual(ROOT + '/identity/v2.0/',
                             values[1]['links'][0]['href'])

    def test_v2_document(self):
        response = self.identity.get('/v2.0')

        self.assertEqual(200, response.status_int)
        self.assertEqual('v2.0', response.json['version']['id'])

    def test_links_use_the_public_endpoint(self):
        self.flags(group='api', public_endpoint='https://cloud.example.org/')

        version = self.identity.get('/v3').json['version']

        self.assertEqual('https://cloud.example.org/identity/v3/',
                         version['links'][0]['href'])

    def test_unknown_url_and_method_in_keystone_shape(self):
        self.assertKeystoneError(404, self.identity.get('/v3/users'))
        response = self.identity.put('/v3/auth/tokens', {})
        self.assertKeystoneError(405, response)
        self.assertEqual('DELETE, GET, HEAD, POST',
                         response.headers['Allow'])


class PasswordTokenTest(IdentityTestCase):

    scenarios = functional.DB_SCENARIOS

    def test_issue_by_user_name_and_domain_name(self):
        self.flags(group='identity', token_expiration=600)

        response = self.issue(password_auth())

        self.assertEqual(201, response.status_int)
        self.assertTrue(response.content_type.startswith('application/json'))
        token = response.json['token']
        self.assertEqual(['password'], token['methods'])
        self.assertEqual({'id': self.user_id, 'name': 'demo',
                          'domain': DEFAULT_DOMAIN,
                          'password_expires_at': None}, token['user'])
        self.assertEqual({'id': self.project_id, 'name': 'demo',
                          'domain': DEFAULT_DOMAIN}, token['project'])
        self.assertEqual(['member'],
                         [role['name'] for role in token['roles']])
        self.assertTrue(token['roles'][0]['id'])
        self.assertRegex(token['expires_at'], TIME)
        self.assertRegex(token['issued_at'], TIME)
        self.assertEqual(datetime.timedelta(seconds=600),
                         parse_time(token['expires_at'])
                         - parse_time(token['issued_at']))
        self.assertEqual(['compute', 'identity', 'image', 'network'],
                         sorted(entry['type']
                                for entry in token['catalog']))

    def test_issued_token_authenticates_compute(self):
        token = self.demo_token()

        self.assertEqual(200, self.compute_status(token))

    def test_token_is_stored_hashed(self):
        token = self.demo_token()

        with transaction() as session:
            self.assertIsNone(session.get(models.Token, token))
            self.assertIsNotNone(db_api.token_validate(session, token))

    def test_issue_by_user_id_and_domain_id(self):
        body = password_auth(user={'id': self.user_id})
        self.assertEqual(201, self.issue(body).status_int)

        body = password_auth(user={'name': 'demo',
                                   'domain': {'id': 'default'}})
        self.assertEqual(201, self.issue(body).status_int)

    def test_wrong_password_and_unknown_user_look_the_same(self):
        wrong = self.issue(password_auth(password='wrong'))
        unknown = self.issue(password_auth(name='nobody'))

        error = self.assertKeystoneError(401, wrong)
        self.assertEqual(error, self.assertKeystoneError(401, unknown))
        self.assertEqual('Keystone uri="%s/identity"' % ROOT,
                         wrong.headers['WWW-Authenticate'])
        self.assertNotIn('X-Subject-Token', wrong.headers)

    def test_disabled_user_is_refused(self):
        with transaction(writer=True) as session:
            session.get(models.User, self.user_id).enabled = False

        self.assertKeystoneError(401, self.issue(password_auth()))

    def test_user_name_needs_its_domain(self):
        body = password_auth(user={'name': 'demo'})

        self.assertKeystoneError(400, self.issue(body), 'domain')

    def test_other_domain_is_refused(self):
        body = password_auth(user={'name': 'demo',
                                   'domain': {'name': 'Other'}})

        self.assertKeystoneError(401, self.issue(body))

    def test_scope_by_project_id_and_by_name(self):
        other = accounts.create_project('other')
        accounts.add_member('other', 'demo')

        by_id = self.issue(password_auth(
            scope={'project': {'id': other.id}}))
        by_name = self.issue(password_auth(
            scope={'project': {'name': 'other',
                               'domain': {'name': 'Default'}}}))

        self.assertEqual(201, by_id.status_int)
        self.assertEqual(other.id, by_id.json['token']['project']['id'])
        self.assertEqual(201, by_name.status_int)
        self.assertEqual('other', by_name.json['token']['project']['name'])

    def test_unscoped_means_the_default_project(self):
        for scope in (None, 'unscoped', {}):
            response = self.issue(password_auth(scope=scope))

            self.assertEqual(201, response.status_int)
            self.assertEqual(self.project_id,
                             response.json['token']['project']['id'])

    def test_user_without_default_project_must_ask_for_one(self):
        accounts.create_user('loner', 'secret')

        response = self.issue(password_auth(name='loner',
                                            password='secret'))

        self.assertKeystoneError(401, response, 'no default project')

    def test_project_scope_errors(self):
        accounts.create_project('closed')

        not_member = self.issue(password_auth(
            scope={'project': {'name': 'closed',
                               'domain': {'id': 'default'}}}))
        unknown = self.issue(password_auth(
            scope={'project': {'id': 'nope'}}))
        no_domain = self.issue(password_auth(
            scope={'project': {'name': 'closed'}}))
        domain_scope = self.issue(password_auth(
            scope={'domain': {'id': 'default'}}))

        self.assertKeystoneError(401, not_member, 'no access to project')
        self.assertKeystoneError(401, unknown, 'Could not find project')
        self.assertKeystoneError(400, no_domain, 'domain')
        self.assertKeystoneError(401, domain_scope, 'project scopes')

    def test_admin_role(self):
        accounts.create_user('root', 'secret', project='demo', admin=True)

        token = self.issue(password_auth(name='root', password='secret'))

        self.assertEqual(['member', 'admin'],
                         [role['name']
                          for role in token.json['token']['roles']])

    def test_nocatalog(self):
        response = self.identity.post('/v3/auth/tokens?nocatalog',
                                      password_auth())

        self.assertEqual(201, response.status_int)
        self.assertNotIn('catalog', response.json['token'])


class MalformedRequestTest(IdentityTestCase):

    def test_malformed_bodies(self):
        bodies = [
            {},
            {'auth': []},
            {'auth': {}},
            {'auth': {'identity': {'methods': 'password'}}},
            {'auth': {'identity': {'methods': []}}},
            {'auth': {'identity': {'methods': ['password']}}},
            {'auth': {'identity': {'methods': ['password'],
                                   'password': {'user': {'name': 'demo'}}}}},
            {'auth': {'identity': {'methods': ['token'],
                                   'token': {'id': 42}}}},
            password_auth(scope=[]),
            password_auth(scope={'project': {}}),
        ]
        for body in bodies:
            self.assertKeystoneError(400, self.issue(body))

    def test_not_json(self):
        response = self.identity.request(
            'POST', '/v3/auth/tokens', raw=b'{"auth"',
            headers={'Content-Type': 'application/json'})
        self.assertKeystoneError(400, response, 'not valid JSON')

        response = self.identity.request(
            'POST', '/v3/auth/tokens', raw=b'auth=1',
            headers={'Content-Type': 'application/x-www-form-urlencoded'})
        self.assertKeystoneError(400, response, 'Content-Type')

    def test_unsupported_method(self):
        body = {'auth': {'identity': {'methods': ['totp'],
                                      'totp': {}}}}

        self.assertKeystoneError(401, self.issue(body), 'totp')


class TokenMethodTest(IdentityTestCase):

    def test_token_method_issues_a_new_token_that_lives_no_longer(self):
        self.flags(group='identity', token_expiration=600)
        original = self.issue(password_auth())
        self.flags(group='identity', token_expiration=3600)

        response = self.issue(token_auth(
            original.headers['X-Subject-Token']))

        self.assertEqual(201, response.status_int)
        token = response.json['token']
        self.assertNotEqual(original.headers['X-Subject-Token'],
                            response.headers['X-Subject-Token'])
        self.assertEqual(['token'], token['methods'])
        self.assertEqual(self.user_id, token['user']['id'])
        self.assertEqual(original.json['token']['expires_at'],
                         token['expires_at'])

    def test_rescope_to_another_project(self):
        other = accounts.create_project('other')
        accounts.add_member('other', 'demo', role='admin')

        response = self.issue(token_auth(
            self.demo_token(), scope={'project': {'id': other.id}}))

        self.assertEqual(201, response.status_int)
        self.assertEqual(other.id, response.json['token']['project']['id'])
        self.assertIn('admin', [role['name'] for role
                                in response.json['token']['roles']])

    def test_invalid_token_is_refused(self):
        self.assertKeystoneError(401, self.issue(token_auth('bogus')))

    def test_methods_must_name_one_user(self):
        accounts.create_user('other', 'secret', project='demo')
        body = password_auth(name='other', password='secret')
        body['auth']['identity']['methods'].append('token')
        body['auth']['identity']['token'] = {'id': self.demo_token()}

        self.assertKeystoneError(401, self.issue(body), 'different users')

        body = password_auth()
        body['auth']['identity']['methods'].append('token')
        body['auth']['identity']['token'] = {'id': self.demo_token()}
        response = self.issue(body)
        self.assertEqual(201, response.status_int)
        self.assertEqual(['password', 'token'],
                         response.json['token']['methods'])


class ValidateAndRevokeTest(IdentityTestCase):

    scenarios = functional.DB_SCENARIOS

    def check(self, method, subject, caller):
        headers = {}
        if caller is not None:
            headers['X-Auth-Token'] = caller
        if subject is not None:
            headers['X-Subject-Token'] = subject
        return self.identity.request(method, '/v3/auth/tokens',
                                     headers=headers)

    def test_validate_own_token(self):
        token = self.demo_token()

        response = self.check('GET', token, token)

        self.assertEqual(200, response.status_int)
        self.assertEqual(token, response.headers['X-Subject-Token'])
        body = response.json['token']
        self.assertEqual(self.user_id, body['user']['id'])
        self.assertEqual(self.project_id, body['project']['id'])
        self.assertEqual(['member'], [role['name']
                                      for role in body['roles']])
        self.assertIn('catalog', body)
        self.assertRegex(body['expires_at'], TIME)

    def test_head(self):
        token = self.demo_token()

        found = self.check('HEAD', token, token)
        missing = self.check('HEAD', 'bogus', token)

        self.assertEqual(200, found.status_int)
        self.assertEqual(b'', found.body)
        self.assertEqual(404, missing.status_int)
        self.assertEqual(b'', missing.body)

    def test_invalid_subject_is_404(self):
        token = self.demo_token()

        self.assertKeystoneError(404, self.check('GET', 'bogus', token))
        self.assertKeystoneError(404, self.check('GET', None, token))
        self.assertKeystoneError(404, self.check('DELETE', 'bogus', token))

    def test_caller_must_be_authenticated(self):
        token = self.demo_token()

        for method in ('GET', 'DELETE'):
            self.assertKeystoneError(401, self.check(method, token, None))
            self.assertKeystoneError(401,
                                     self.check(method, token, 'bogus'))
        self.assertEqual(200, self.compute_status(token))

    def test_another_users_token_needs_admin(self):
        accounts.create_user('peer', 'secret', project='demo')
        accounts.create_user('root', 'secret', project='demo', admin=True)
        token = self.demo_token()
        peer = self.demo_token(name='peer', password='secret')
        root = self.demo_token(name='root', password='secret')

        self.assertKeystoneError(403, self.check('GET', token, peer))
        self.assertKeystoneError(403, self.check('DELETE', token, peer))
        self.assertEqual(200, self.check('GET', token, root).status_int)
        self.assertEqual(204, self.check('DELETE', token, root).status_int)
        self.assertEqual(401, self.compute_status(token))

    def test_revoked_token_stops_working_everywhere(self):
        token = self.demo_token()
        self.assertEqual(200, self.compute_status(token))

        response = self.check('DELETE', token, token)

        self.assertEqual(204, response.status_int)
        self.assertEqual(b'', response.body)
        self.assertEqual(401, self.compute_status(token))
        self.assertKeystoneError(401, self.check('GET', token, token))
        self.assertKeystoneError(401, self.issue(token_auth(token)))
        other = self.demo_token()
        self.assertKeystoneError(404, self.check('GET', token, other))
        self.assertKeystoneError(404, self.check('DELETE', token, other))

    def test_expired_token_stops_working_everywhere(self):
        with transaction(writer=True) as session:
            expired = db_api.token_create(session, self.user_id,
                                          self.project_id, -1)
        caller = self.demo_token()

        self.assertKeystoneError(404, self.check('GET', expired, caller))
        self.assertKeystoneError(401, self.issue(token_auth(expired)))
        self.assertEqual(401, self.compute_status(expired))


class CatalogTest(IdentityTestCase):

    def catalog(self):
        return {entry['type']: entry
                for entry in self.issue(password_auth()).json['token'][
                    'catalog']}

    def test_endpoints(self):
        catalog = self.catalog()

        expected = {'identity': ROOT + '/identity/v3',
                    'compute': ROOT + '/compute/v2.1',
                    'network': ROOT + '/network',
                    'image': ROOT + '/image'}
        for service_type, url in expected.items():
            entry = catalog[service_type]
            self.assertTrue(entry['id'])
            self.assertTrue(entry['name'])
            self.assertEqual(['admin', 'internal', 'public'],
                             sorted(endpoint['interface']
                                    for endpoint in entry['endpoints']))
            for endpoint in entry['endpoints']:
                self.assertEqual(url, endpoint['url'])
                self.assertEqual('RegionOne', endpoint['region'])
                self.assertEqual('RegionOne', endpoint['region_id'])
                self.assertTrue(endpoint['id'])

    def test_public_endpoint_and_region(self):
        self.flags(group='api', public_endpoint='https://cloud.example.org')
        self.flags(group='identity', region='Athens')

        endpoint = self.catalog()['compute']['endpoints'][0]

        self.assertEqual('https://cloud.example.org/compute/v2.1',
                         endpoint['url'])
        self.assertEqual('Athens', endpoint['region'])

    def test_compute_endpoint_accepts_the_token(self):
        token = self.demo_token()
        url = self.catalog()['compute']['endpoints'][0]['url']

        # The Cyclades dialect shares the token check with v2.1.
        self.assertTrue(url.startswith(ROOT + '/compute/'))
        self.assertEqual(200, self.compute_status(token))


class V2TokensTest(IdentityTestCase):

    scenarios = functional.DB_SCENARIOS

    def issue_v2(self, auth):
        return self.identity.post('/v2.0/tokens', {'auth': auth})

    def credentials(self, **extra):
        auth = {'passwordCredentials': {'username': 'demo',
                                        'password': demo.PASSWORD}}
        auth.update(extra)
        return auth

    def test_password_with_tenant_name(self):
        response = self.issue_v2(self.credentials(tenantName='demo'))

        self.assertEqual(200, response.status_int)
        access = response.json['access']
        token = access['token']
        self.assertEqual({'id': self.project_id, 'name': 'demo'},
                         {key: token['tenant'][key]
                          for key in ('id', 'name')})
        self.assertRegex(token['expires'], TIME)
        self.assertRegex(token['issued_at'], TIME)
        self.assertEqual(self.user_id, access['user']['id'])
        self.assertEqual('demo', access['user']['name'])
        self.assertEqual(['member'], [role['name']
                                      for role in access['user']['roles']])
        self.assertEqual(0, access['metadata']['is_admin'])
        self.assertEqual(200, self.compute_status(token['id']))

    def test_service_catalog(self):
        access = self.issue_v2(self.credentials()).json['access']

        catalog = {entry['type']: entry
                   for entry in access['serviceCatalog']}
        compute = catalog['compute']['endpoints'][0]
        self.assertEqual(ROOT + '/compute/v2.0', compute['publicURL'])
        self.assertEqual('v2.0', compute['versionId'])
        self.assertEqual('RegionOne', compute['region'])
        self.assertEqual(ROOT + '/identity/v2.0',
                         catalog['identity']['endpoints'][0]['publicURL'])
        self.assertIn('image', catalog)
        self.assertIn('network', catalog)

        account = catalog['account']
        self.assertEqual('astakos_account', account['name'])
        endpoint = account['endpoints'][0]
        self.assertEqual('v1.0', endpoint['versionId'])
        self.assertEqual(ROOT + '/account/v1.0', endpoint['publicURL'])
        self.assertEqual(ROOT + '/ui', endpoint['SNF:uiURL'])

    def test_tenant_id_and_default_tenant(self):
        other = accounts.create_project('other')
        accounts.add_member('other', 'demo')

        by_id = self.issue_v2(self.credentials(tenantId=other.id))
        default = self.issue_v2(self.credentials())
        by_user_id = self.issue_v2({'passwordCredentials': {
            'userId': self.user_id, 'password': demo.PASSWORD}})

        self.assertEqual(other.id,
                         by_id.json['access']['token']['tenant']['id'])
        self.assertEqual(self.project_id,
                         default.json['access']['token']['tenant']['id'])
        self.assertEqual(200, by_user_id.status_int)

    def test_refusals(self):
        accounts.create_project('closed')

        self.assertKeystoneError(401, self.issue_v2({
            'passwordCredentials': {'username': 'demo',
                                    'password': 'wrong'}}))
        self.assertKeystoneError(401, self.issue_v2(
            self.credentials(tenantName='closed')))
        self.assertKeystoneError(401, self.issue_v2(
            self.credentials(tenantName='absent')))
        self.assertKeystoneError(401, self.issue_v2(
            {'token': {'id': 'bogus'}}))

    def test_malformed(self):
        for auth in ({}, {'passwordCredentials': {'username': 'demo'}},
                     {'token': {}}, {'token': {'id': 1}}, []):
            self.assertKeystoneError(400, self.issue_v2(auth))
        self.assertKeystoneError(
            400, self.identity.post('/v2.0/tokens', {}))

    def test_token_without_tenant_comes_back_unchanged(self):
        token = self.demo_token()

        response = self.issue_v2({'token': {'id': token}})
        same_tenant = self.issue_v2({'token': {'id': token},
                                     'tenantName': 'demo'})

        self.assertEqual(200, response.status_int)
        self.assertEqual(token, response.json['access']['token']['id'])
        self.assertEqual(token, same_tenant.json['access']['token']['id'])
        self.assertEqual(self.user_id,
                         response.json['access']['user']['id'])

    def test_token_for_another_tenant_is_a_new_token(self):
        other = accounts.create_project('other')
        accounts.add_member('other', 'demo')
        token = self.demo_token()

        response = self.issue_v2({'token': {'id': token},
                                  'tenantId': other.id})

        self.assertEqual(200, response.status_int)
        access = response.json['access']
        self.assertNotEqual(token, access['token']['id'])
        self.assertEqual(other.id, access['token']['tenant']['id'])
        self.assertEqual(200, self.compute_status(access['token']['id']))
