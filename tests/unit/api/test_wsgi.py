import json

import webob

from cyclades.api.middleware import faultwrap
from cyclades.api import wsgi
from tests import base


class _Controller:

    def __init__(self):
        self.calls = []

    def index(self, req):
        self.calls.append(('index', req.context))
        return wsgi.Result({'things': []})

    def create(self, req):
        self.calls.append(('create', req.body_json))
        return wsgi.Result({'thing': req.body_json}, status=202)

    def show(self, req, thing_id):
        return wsgi.Result({'thing': {'id': thing_id}})

    def version(self, req):
        return wsgi.Result({'version': {'id': 'v1'}})


class RouterTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.controller = _Controller()
        router = wsgi.Router([
            wsgi.Route('/', {'GET': self.controller.version}, public=True),
            wsgi.Route('/things', {'GET': self.controller.index,
                                   'POST': self.controller.create}),
            wsgi.Route('/things/{thing_id}', {'GET': self.controller.show},
                       requirements={'thing_id': r'\d+'}),
        ])
        self.app = faultwrap.filter_factory({})(router)

    def _request(self, path, method='GET', body=None, content_type=None,
                 identity=True, token='t'):
        req = webob.Request.blank(path, method=method)
        if identity:
            req.headers.update({'X-Identity-Status': 'Confirmed',
                                'X-User-Id': 'u', 'X-Project-Id': 'p',
                                'X-Roles': 'member'})
        if token:
            req.headers['X-Auth-Token'] = token
        if body is not None:
            req.body = body
        if content_type:
            req.content_type = content_type
        return req.get_response(self.app)

    def _fault(self, response, code, name='badRequest'):
        self.assertEqual(code, response.status_int)
        return response.json[name]['message']

    def test_dispatch_with_context(self):
        response = self._request('/things')

        self.assertEqual(200, response.status_int)
        name, context = self.controller.calls[0]
        self.assertEqual(('u', 'p', ['member']),
                         (context.user_id, context.project_id,
                          context.roles))

    def test_path_arguments_and_trailing_slash(self):
        self.assertEqual({'thing': {'id': '7'}},
                         self._request('/things/7/').json)

    def test_unknown_url_is_bad_request_without_token(self):
        response = self._request('/nothing', identity=False, token=None)
        self.assertEqual('API endpoint not found',
                         self._fault(response, 400))

        malformed = self._request('/things/abc', identity=False, token=None)
        self.assertEqual('API endpoint not found',
                         self._fault(malformed, 400))

        not_utf8 = self._request('/things/%FF', identity=False, token=None)
        self.assertEqual('API endpoint not found',
                         self._fault(not_utf8, 400))

    def test_wrong_method_lists_allowed_ones(self):
        response = self._request('/things', method='DELETE',
                                 identity=False, token=None)

        self.assertEqual('Method not allowed', self._fault(response, 400))
        self.assertEqual('GET, POST', response.headers['Allow'])

    def test_missing_and_invalid_token(self):
        missing = self._request('/things', identity=False, token=None)
        self.assertEqual('Access denied. No authentication token',
                         self._fault(missing, 401, 'unauthorized'))

        invalid = self._request('/things', identity=False, token='bad')
        self.assertEqual('Invalid token',
                         self._fault(invalid, 401, 'unauthorized'))

    def test_public_route_needs_no_token(self):
        response = self._request('/', identity=False, token=None)
        self.assertEqual({'version': {'id': 'v1'}}, response.json)

    def test_json_body_is_parsed(self):
        response = self._request('/things', 'POST', b'{"a": 1}',
                                 'application/json')

        self.assertEqual(202, response.status_int)
        self.assertEqual(('create', {'a': 1}), self.controller.calls[0])

    def test_body_errors(self):
        cases = [
            (b'{"a": 1}', None, 'Content-Type'),
            (b'{"a": 1}', 'application/xml', 'Content-Type'),
            (b'{"a": ', 'application/json', 'not valid JSON'),
            (b'\xff\xfe', 'application/json', 'UTF-8'),
            (b'[1, 2]', 'application/json', 'JSON object'),
            (b'"text"', 'application/json', 'JSON object'),
            (b'{"a": NaN}', 'application/json', 'not valid JSON'),
            (b'', 'application/json', 'empty'),
            (b'[' * 100000, 'application/json', 'not valid JSON'),
        ]
        for body, content_type, expected in cases:
            response = self._request('/things', 'POST', body, content_type)
            self.assertIn(expected, self._fault(response, 400),
                          (body[:20], content_type))

    def test_body_over_the_limit(self):
        self.flags(group='api', max_request_body_size=100)
        body = json.dumps({'a': 'x' * 200}).encode()

        response = self._request('/things', 'POST', body,
                                 'application/json')

        self._fault(response, 413, 'requestEntityTooLarge')

    def test_charset_in_content_type_is_fine(self):
        response = self._request('/things', 'POST', b'{}',
                                 'application/json; charset=UTF-8')
        self.assertEqual(202, response.status_int)
