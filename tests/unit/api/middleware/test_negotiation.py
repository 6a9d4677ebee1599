import webob
import webob.dec

from cyclades.api.middleware import negotiation
from tests import base


@webob.dec.wsgify
def _echo(req):
    return webob.Response(json={
        'format': req.environ['cyclades.response_format'],
        'path': req.path_info})


class NegotiationTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.app = negotiation.filter_factory({})(_echo)

    def _negotiate(self, path, accept=None):
        req = webob.Request.blank(path)
        if accept:
            req.headers['Accept'] = accept
        return req.get_response(self.app).json

    def test_json_by_default(self):
        self.assertEqual({'format': 'json', 'path': '/servers'},
                         self._negotiate('/servers'))

    def test_query_parameter_wins_over_suffix_and_accept(self):
        self.assertEqual('json', self._negotiate(
            '/servers.xml?format=json', 'application/xml')['format'])
        self.assertEqual('xml', self._negotiate(
            '/servers?format=xml', 'application/json')['format'])

    def test_suffix_wins_over_accept_and_is_stripped(self):
        self.assertEqual({'format': 'xml', 'path': '/servers/1'},
                         self._negotiate('/servers/1.xml',
                                         'application/json'))
        self.assertEqual({'format': 'json', 'path': '/servers'},
                         self._negotiate('/servers.json'))

    def test_first_known_accept_entry(self):
        self.assertEqual('xml', self._negotiate(
            '/servers', 'text/html, application/xml;q=0.9, '
                        'application/json')['format'])
        self.assertEqual('json', self._negotiate(
            '/servers', 'text/html')['format'])
