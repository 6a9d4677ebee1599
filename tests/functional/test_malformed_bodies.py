"""No body, however malformed, gets a 500 from any POST or PUT endpoint.

Each endpoint has a valid template body; the table below derives bodies
from it by replacing every value with values of every JSON type, by
dropping and adding keys, and by replacing the whole body, and sends
them all.  Every answer must be a success or a fault document below 500.
"""

import copy
import json

from tests.functional import base as functional
from tests.functional import server_helpers

ODD_VALUES = [None, True, 0, -1, 2 ** 70, 1.5, '', 'x' * 300, '\u0000',
              '../../etc', [], [1, 'a'], {}, {'a': {'b': []}}]

WHOLE_BODIES = [b'null', b'1', b'"text"', b'[]', b'[{}]', b'{}',
                b'{"a": 1', b'\xff\xfe', b'{"a": NaN}', b'{' * 2000,
                json.dumps({'x' * 1000: 1}).encode()]


def _paths(value, prefix=()):
    """Every key path of a JSON value, depth first."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield prefix + (key,)
            yield from _paths(child, prefix + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield prefix + (index,)
            yield from _paths(child, prefix + (index,))


def _replaced(template, path, new):
    body = copy.deepcopy(template)
    target = body
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = new
    return body


def _without(template, path):
    body = copy.deepcopy(template)
    target = body
    for part in path[:-1]:
        target = target[part]
    del target[path[-1]]
    return body


def mutations(template):
    """Bodies derived from a valid one, each wrong in one place."""
    for path in _paths(template):
        for value in ODD_VALUES:
            yield _replaced(template, path, value)
        yield _without(template, path)
    for path in [()] + [p for p in _paths(template)]:
        target = template
        for part in path:
            target = target[part]
        if isinstance(target, dict):
            body = copy.deepcopy(template)
            inner = body
            for part in path:
                inner = inner[part]
            inner['unexpected'] = 'value'
            yield body


class MalformedBodiesTest(server_helpers.ServerTestMixin,
                          functional.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        self.server_id = self.new_server()
        self.wait_for_status(self.server_id, 'ACTIVE')
        self.image_id = self.add_image(name='own', public=False,
                                       owner_id=self.project_id)
        self.flavor_id = str(self.flavors[1].id)

    def endpoints(self):
        server = '/servers/%s' % self.server_id
        image = '/images/%s' % self.image_id
        return [
            ('POST', '/servers', {'server': {
                'name': 'n', 'imageRef': self.image.id,
                'flavorRef': str(self.flavors[0].id),
                'metadata': {'k': 'v'},
                'personality': [{'path': '/etc/motd', 'contents': 'aGk=',
                                 'mode': 420}],
                'networks': []}}),
            ('PUT', server, {'server': {'name': 'renamed'}}),
            ('POST', server + '/metadata', {'metadata': {'a': 'b'}}),
            ('PUT', server + '/metadata', {'metadata': {'a': 'b'}}),
            ('PUT', server + '/metadata/a', {'meta': {'a': 'b'}}),
            ('POST', server + '/action', {'reboot': {'type': 'SOFT'}}),
            ('POST', server + '/action', {'resize': {
                'flavorRef': self.flavor_id}}),
            ('POST', server + '/action', {'console': {'type': 'vnc'}}),
            ('POST', server + '/action', {'firewallProfile': {
                'profile': 'ENABLED', 'nic': 'nic-1'}}),
            ('POST', server + '/action', {'reassign': {
                'project': self.project_id}}),
            ('POST', server + '/action', {'changePassword': {
                'adminPass': 'Secret123'}}),
            ('POST', server + '/action', {'createImage': {
                'name': 'snap', 'metadata': {'a': 'b'}}}),
            ('POST', server + '/action', {'shutdown': {}}),
            ('POST', server + '/action', {'start': None}),
            ('POST', image + '/metadata', {'metadata': {'a': 'b'}}),
            ('PUT', image + '/metadata', {'metadata': {'a': 'b'}}),
            ('PUT', image + '/metadata/a', {'meta': {'a': 'b'}}),
            ('POST', '/images', {'image': {'name': 'x'}}),
        ]

    def _check(self, method, path, response, sent):
        if path == '/images' and response.status_int == 501:
            # Creating images this way is refused whatever the body.
            return
        self.assertLess(response.status_int, 500,
                        '%s %s with %r answered %s: %s'
                        % (method, path, sent, response.status,
                           response.body[:300]))
        if response.status_int >= 400:
            fault = response.json
            self.assertEqual(1, len(fault), fault)
            detail = list(fault.values())[0]
            self.assertEqual(response.status_int, detail['code'])
            self.assertIsInstance(detail['message'], str)

    def test_no_server_errors(self):
        sent = 0
        for method, path, template in self.endpoints():
            for body in mutations(template):
                response = self.api.request(method, path, body=body)
                self._check(method, path, response, body)
                sent += 1
            for raw in WHOLE_BODIES:
                response = self.api.request(
                    method, path, raw=raw,
                    headers={'Content-Type': 'application/json'})
                self._check(method, path, response, raw[:40])
                sent += 1
            response = self.api.request(method, path, raw=b'{}',
                                        headers={'Content-Type':
                                                 'text/plain'})
            self._check(method, path, response, 'text/plain')

        # The table really exercised the endpoints.
        self.assertGreater(sent, 900)
