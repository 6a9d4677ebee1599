import webob.dec

from cyclades.api.middleware import faultwrap
from cyclades import exception
from tests import base


def _raising(exc):
    @webob.dec.wsgify
    def app(req):
        raise exc
    return faultwrap.filter_factory({})(app)


class FaultWrapperTest(base.TestCase):

    def test_project_exception_becomes_its_fault(self):
        app = _raising(exception.ServerNotFound(server_id='42'))

        response = webob.Request.blank('/x').get_response(app)

        self.assertEqual(404, response.status_int)
        self.assertEqual({'itemNotFound': {'code': 404, 'message':
                                           'Server 42 not found',
                                           'details': ''}}, response.json)
        self.assertEqual('application/json; charset=UTF-8',
                         response.headers['Content-Type'])
        self.assertIn('no-cache', response.headers['Cache-Control'])

    def test_extra_headers_are_kept(self):
        app = _raising(exception.MethodNotAllowed(allowed=['GET', 'PUT']))

        response = webob.Request.blank('/x').get_response(app)

        self.assertEqual(400, response.status_int)
        self.assertEqual('GET, PUT', response.headers['Allow'])

    def test_unexpected_error_hides_details_and_logs_traceback(self):
        app = _raising(ZeroDivisionError('secret detail'))

        response = webob.Request.blank('/x').get_response(app)

        self.assertEqual(500, response.status_int)
        fault = response.json['internalServerError']
        self.assertEqual('Unexpected error', fault['message'])
        self.assertNotIn('secret', response.text)
        self.assertIn('ZeroDivisionError: secret detail', self.log.output)

    def test_unsafe_exception_message_is_hidden(self):
        app = _raising(exception.DriverError(operation='spawn',
                                             reason='password=x'))

        response = webob.Request.blank('/x').get_response(app)

        self.assertEqual(500, response.status_int)
        self.assertNotIn('password', response.text)

    def test_fault_in_xml_when_asked(self):
        app = _raising(exception.BadRequest('nope'))

        response = webob.Request.blank('/x?format=xml').get_response(app)

        self.assertEqual('application/xml; charset=UTF-8',
                         response.headers['Content-Type'])
        self.assertIn(b'<badRequest', response.body)
        self.assertIn(b'code="400"', response.body)
        self.assertIn(b'<message>nope</message>', response.body)

    def test_not_modified_has_no_body(self):
        app = _raising(exception.NotModified())

        response = webob.Request.blank('/x').get_response(app)

        self.assertEqual(304, response.status_int)
        self.assertEqual(b'', response.body)
