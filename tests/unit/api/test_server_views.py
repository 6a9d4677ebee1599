"""How the Cyclades dialect shapes connections, metadata and pages."""

import urllib.parse

import webob

from cyclades.api.compute.views import servers as views
from cyclades.compute import api as compute_api
from tests import base


def _attachment(port_id, network_id, ipv4='', ipv6='', ip_type='fixed'):
    return compute_api.Attachment(
        id=port_id, network_id=network_id,
        mac_address='aa:00:00:00:00:%02x' % port_id, ipv4=ipv4, ipv6=ipv6,
        ip_type=ip_type)


class ConnectionViewTest(base.TestCase):

    def test_addresses_keyed_by_network_ipv4_first(self):
        attachments = [
            _attachment(1, 2718, ipv6='2001:db8::1'),
            _attachment(2, 2718, ipv4='10.0.0.2', ipv6='2001:db8::2'),
            _attachment(3, 4178, ipv4='192.0.2.7', ip_type='floating'),
            _attachment(4, 99),
        ]

        self.assertEqual({
            '2718': [
                {'version': 4, 'addr': '10.0.0.2',
                 'OS-EXT-IPS:type': 'fixed'},
                {'version': 6, 'addr': '2001:db8::1',
                 'OS-EXT-IPS:type': 'fixed'},
                {'version': 6, 'addr': '2001:db8::2',
                 'OS-EXT-IPS:type': 'fixed'},
            ],
            '4178': [{'version': 4, 'addr': '192.0.2.7',
                      'OS-EXT-IPS:type': 'floating'}],
            '99': [],
        }, views.addresses(attachments))

    def test_attachment(self):
        item = _attachment(36, 2718, ipv6='2001:db8::1')

        self.assertEqual({'id': '36', 'network_id': '2718',
                          'mac_address': 'aa:00:00:00:00:24',
                          'firewallProfile': 'DISABLED', 'ipv4': '',
                          'ipv6': '2001:db8::1',
                          'OS-EXT-IPS:type': 'fixed'},
                         views.attachment(item))

    def test_ips_and_one_network(self):
        items = [_attachment(1, 7, ipv4='10.0.0.2')]

        body = views.ips(None, items)
        self.assertEqual(['addresses', 'attachments'], list(body))
        self.assertEqual('1', body['attachments'][0]['id'])
        self.assertEqual({'network': {'7': [
            {'version': 4, 'addr': '10.0.0.2', 'OS-EXT-IPS:type': 'fixed'}]}},
            views.network_ips(None, '7', items))

    def test_nothing_connected(self):
        self.assertEqual({'addresses': {}, 'attachments': []},
                         views.ips(None, []))


class MetadataViewTest(base.TestCase):

    def test_shapes(self):
        self.assertEqual({'metadata': {'a': 'b'}}, views.metadata({'a': 'b'}))
        self.assertEqual({'meta': {'k': 'v'}}, views.meta_item('k', 'v'))
        self.assertEqual((204, 201), (views.RENAME_STATUS,
                                      views.METADATA_CHANGE_STATUS))
        self.assertIsNone(views.renamed(None, None))


class NextLinksTest(base.TestCase):

    def request(self, query):
        req = webob.Request.blank('/compute/v2.0/servers/detail?' + query,
                                  base_url='http://api.example.org:8774')
        req.script_name = '/compute'
        req.path_info = '/v2.0/servers/detail'
        return req

    def href_parts(self, links):
        self.assertEqual(1, len(links))
        self.assertEqual('next', links[0]['rel'])
        url = urllib.parse.urlsplit(links[0]['href'])
        return url, urllib.parse.parse_qs(url.query)

    def test_marker_replaced_others_kept(self):
        links = views.next_links(self.request(
            'marker=3&name=a%26b&limit=2&changes-since=2014-02-12T08%3A31'
            '%3A37%2B00%3A00'), 42)

        url, query = self.href_parts(links)
        self.assertEqual(('http', 'api.example.org:8774',
                          '/compute/v2.0/servers/detail'),
                         (url.scheme, url.netloc, url.path))
        self.assertEqual({'marker': ['42'], 'name': ['a&b'],
                          'limit': ['2'],
                          'changes-since': ['2014-02-12T08:31:37+00:00']},
                         query)

    def test_public_endpoint(self):
        self.flags(group='api', public_endpoint='https://cloud.example.org/')

        url, query = self.href_parts(views.next_links(self.request(''), 7))
        self.assertEqual('https://cloud.example.org/compute/v2.0/servers/'
                         'detail?marker=7', links_href(url))
        self.assertEqual({'marker': ['7']}, query)


def links_href(url):
    return urllib.parse.urlunsplit(url)
