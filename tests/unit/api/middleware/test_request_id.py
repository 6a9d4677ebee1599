import webob
import webob.dec

from cyclades.api.middleware import request_id
from tests import base


@webob.dec.wsgify
def _app(req):
    req.environ[request_id.USER_KEY] = 'alice'
    return webob.Response(body=b'hello', status=201)


class RequestIdTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.app = request_id.filter_factory({})(_app)

    def test_every_response_carries_a_new_id(self):
        first = webob.Request.blank('/compute/x').get_response(self.app)
        second = webob.Request.blank('/compute/x').get_response(self.app)

        self.assertRegex(first.headers['X-Compute-Request-Id'],
                         r'^req-[0-9a-f-]{36}$')
        self.assertEqual(first.headers['X-Compute-Request-Id'],
                         first.headers['X-OpenStack-Request-Id'])
        self.assertNotEqual(first.headers['X-Compute-Request-Id'],
                            second.headers['X-Compute-Request-Id'])

    def test_one_log_line_per_request(self):
        req = webob.Request.blank('/servers?limit=1', method='POST')
        response = req.get_response(self.app)

        lines = [line for line in self.log.output.splitlines()
                 if 'cyclades.api.middleware.request_id' in line]
        self.assertEqual(1, len(lines))
        line = lines[0]
        self.assertIn('POST /servers?limit=1 status: 201 len: 5 ', line)
        self.assertIn('req: %s' % response.headers['X-Compute-Request-Id'],
                      line)
        self.assertIn('user: alice', line)
        self.assertRegex(line, r'time: \d+\.\d{4}')
