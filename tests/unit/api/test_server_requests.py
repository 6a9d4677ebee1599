"""Reading server requests: ids, list parameters, networks, meta items."""

import datetime

import webob

from cyclades.api.compute import metadata
from cyclades.api.compute import servers
from cyclades import exception
from cyclades import utils
from tests import base


class IdTest(base.TestCase):

    def test_server_ids(self):
        self.assertEqual(42, servers.parse_server_id('42'))
        for value in ('abc', '-1', '4.2', '', '\u0663', str(2 ** 31)):
            self.assertRaises(exception.ServerNotFound,
                              servers.parse_server_id, value)

    def test_flavor_refs(self):
        self.assertEqual(3, servers.parse_flavor_ref(3))
        self.assertEqual(3, servers.parse_flavor_ref(
            'http://example.org/compute/v2.0/flavors/3/'))
        for value in ('small', -1, 1.5, '', '99999999999999999999'):
            self.assertRaises(exception.FlavorNotFound,
                              servers.parse_flavor_ref, value)


class ListParametersTest(base.TestCase):

    def request(self, query):
        return webob.Request.blank('/v2.0/servers?' + query)

    def test_page_size(self):
        self.flags(group='api', max_limit=50)

        self.assertEqual(50, servers.page_size(self.request('')))
        self.assertEqual(7, servers.page_size(self.request('limit=7')))
        self.assertEqual(50, servers.page_size(self.request('limit=500')))
        for value in ('0', '-3', 'x', '', '1.0', '%D9%A3'):
            self.assertRaises(exception.BadRequest, servers.page_size,
                              self.request('limit=' + value))

    def test_filters(self):
        req = self.request('name=web&status=active&image=http://x/images/'
                           'abc&flavor=3&other=1')

        self.assertEqual({'name': 'web', 'status': 'ACTIVE',
                          'image_id': 'abc', 'flavor_id': 3},
                         servers.list_filters(req))
        self.assertEqual({}, servers.list_filters(self.request(
            'name=&status=')))
        self.assertRaises(exception.BadRequest, servers.list_filters,
                          self.request('flavor=small'))


class ChangesSinceTest(base.TestCase):

    def test_accepted_forms(self):
        now = utils.utcnow().replace(microsecond=0)
        earlier = now - datetime.timedelta(minutes=5)
        athens = earlier.astimezone(datetime.timezone(
            datetime.timedelta(hours=3)))

        for text in (earlier.isoformat(),
                     earlier.strftime('%Y-%m-%dT%H:%M:%SZ'),
                     athens.isoformat(),
                     athens.isoformat().replace('+', ' ')):
            self.assertEqual(earlier, servers.parse_changes_since(text),
                             text)

    def test_rejected(self):
        now = utils.utcnow()
        for text in ('', 'now', '2014-02-30T00:00:00Z',
                     now.replace(tzinfo=None).isoformat(),
                     (now + datetime.timedelta(seconds=60)).isoformat(),
                     (now - datetime.timedelta(hours=2)).isoformat(),
                     '0001-01-01T00:00:00+05:00'):
            self.assertRaises(exception.BadRequest,
                              servers.parse_changes_since, text)

    def test_poll_limit(self):
        self.flags(group='api', poll_limit=10)
        text = (utils.utcnow() - datetime.timedelta(seconds=30)).isoformat()

        error = self.assertRaises(exception.BadRequest,
                                  servers.parse_changes_since, text)
        self.assertIn('10 seconds', error.message)


class NetworksTest(base.TestCase):

    def test_well_formed(self):
        servers.check_networks([])
        servers.check_networks([{'uuid': 'a'},
                                {'uuid': 'b', 'fixed_ip': '10.0.0.1'},
                                {'uuid': 'c', 'fixed_ip': '2001:db8::5'},
                                {'port': 'p'}])

    def test_malformed(self):
        for entry in (None, 'a', ['a'], {}, {'uuid': 1}, {'uuid': ''},
                      {'uuid': 'u' * 256}, {'port': 'p', 'uuid': 'u'},
                      {'fixed_ip': '10.0.0.1'},
                      {'uuid': 'a', 'fixed_ip': 'nope'},
                      {'uuid': 'a', 'fixed_ip': 10}):
            error = self.assertRaises(exception.BadRequest,
                                      servers.check_networks,
                                      [{'uuid': 'ok'}, entry])
            self.assertIn('server.networks.1', error.message)


class MetaItemTest(base.TestCase):

    def test_either_name(self):
        for name in ('meta', 'metadata'):
            self.assertEqual('v', metadata.item_from_body(
                {name: {'k': 'v'}}, 'k'))

    def test_wrong(self):
        for body in ({}, {'meta': {'k': 'v'}, 'metadata': {'k': 'v'}},
                     {'meta': []}, {'meta': {}},
                     {'meta': {'k': 'v', 'l': 'w'}}, {'meta': {'K': 'v'}},
                     {'meta': {'k': 5}}, {'meta': {'k': 'v' * 256}}):
            self.assertRaises(exception.BadRequest,
                              metadata.item_from_body, body, 'k')
