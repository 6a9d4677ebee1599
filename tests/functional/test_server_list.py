"""Listing servers: filters, pages, changes-since, query count, XML."""

import datetime
import urllib.parse

import testscenarios

from cyclades import utils
from tests.functional import base as functional
from tests.functional import server_helpers

load_tests = testscenarios.load_tests_apply_scenarios


def _query(**params):
    return '?' + urllib.parse.urlencode(params)


def _ids(response):
    return [item['id'] for item in response.json['servers']]


class ServerListTest(server_helpers.ServerTestMixin,
                     functional.FunctionalTestCase):

    scenarios = functional.DB_SCENARIOS
    # Servers stay in ERROR without a host, which is all a list needs.
    start_compute = False

    def test_empty_list(self):
        for path in ('/servers', '/servers/detail'):
            response = self.api.get(path)
            self.assertEqual(200, response.status_int)
            self.assertEqual({'servers': []}, response.json)

    def test_only_own_servers_ordered_by_id(self):
        ids = [self.new_server('s%d' % i) for i in range(3)]
        other = self.other_client()
        other.post('/servers', {'server': {
            'name': 'theirs', 'flavorRef': self.flavors[0].id,
            'imageRef': self.image.id}})

        self.assertEqual(ids, _ids(self.api.get('/servers')))
        self.assertEqual(ids, _ids(self.api.get('/servers/detail')))
        self.assertEqual(1, len(_ids(other.get('/servers'))))

    def test_deleted_servers_are_not_listed(self):
        kept = self.new_server('kept')
        gone = self.new_server('gone')
        self.delete_now(gone)

        self.assertEqual([kept], _ids(self.api.get('/servers')))
        self.assertEqual([kept], _ids(self.api.get('/servers/detail')))

    def test_name_filter_is_a_substring_ignoring_case(self):
        web1 = self.new_server('web-1')
        self.new_server('db-1')
        web2 = self.new_server('Big-WEB')
        percent = self.new_server('100%')

        self.assertEqual([web1, web2],
                         _ids(self.api.get('/servers' + _query(name='web'))))
        self.assertEqual([percent],
                         _ids(self.api.get('/servers' + _query(name='%'))))
        self.assertEqual([], _ids(self.api.get('/servers/detail'
                                               + _query(name='nothing'))))

    def test_status_filter(self):
        active = self.new_server('a')
        self.new_server('e')
        self.set_server(active, status='ACTIVE')

        for value in ('ACTIVE', 'active'):
            response = self.api.get('/servers/detail' + _query(status=value))
            self.assertEqual([active], _ids(response))
            self.assertEqual('ACTIVE',
                             response.json['servers'][0]['status'])
        self.assertEqual([], _ids(self.api.get('/servers'
                                               + _query(status='REBOOT'))))

    def test_image_filter(self):
        other_image = self.add_image(name='other')
        first = self.new_server('first')
        self.new_server('second', imageRef=other_image)

        self.assertEqual([first], _ids(self.api.get(
            '/servers' + _query(image=self.image.id))))
        self.assertEqual([], _ids(self.api.get(
            '/servers' + _query(image='no-such-image'))))

    def test_flavor_filter(self):
        small = self.new_server('small', flavor=self.flavors[0])
        large = self.new_server('large', flavor=self.flavors[1])

        self.assertEqual([large], _ids(self.api.get(
            '/servers' + _query(flavor=self.flavors[1].id))))
        self.assertEqual([small], _ids(self.api.get(
            '/servers/detail' + _query(flavor=self.flavors[0].id))))
        self.assertEqual([], _ids(self.api.get(
            '/servers' + _query(flavor=9999))))

    def test_malformed_flavor_filter(self):
        response = self.api.get('/servers' + _query(flavor='small'))

        self.assertFault(response, 400, 'badRequest', 'flavor')

    def test_filters_combine(self):
        match = self.new_server('web', flavor=self.flavors[1])
        self.new_server('web', flavor=self.flavors[0])
        self.new_server('db', flavor=self.flavors[1])

        response = self.api.get('/servers' + _query(
            name='we', flavor=self.flavors[1].id, status='ERROR'))
        self.assertEqual([match], _ids(response))


class PaginationTest(server_helpers.ServerTestMixin,
                     functional.FunctionalTestCase):

    scenarios = functional.DB_SCENARIOS
    start_compute = False

    def setUp(self):
        super().setUp()
        self.ids = self.insert_servers(5)

    def follow(self, link):
        """GET a link of a page, which must point into this service."""
        root = 'http://localhost:8774/compute/v2.0'
        self.assertTrue(link.startswith(root), link)
        return self.api.get(link[len(root):])

    def test_pages_follow_next_links(self):
        seen = []
        response = self.api.get('/servers/detail' + _query(limit=2))
        pages = 0
        while True:
            self.assertEqual(200, response.status_int)
            pages += 1
            seen.extend(_ids(response))
            links = response.json.get('servers_links')
            if links is None:
                break
            self.assertEqual(['next'], [link['rel'] for link in links])
            response = self.follow(links[0]['href'])

        self.assertEqual(self.ids, seen)
        self.assertEqual(3, pages)

    def test_no_next_link_when_nothing_remains(self):
        response = self.api.get('/servers' + _query(limit=5))

        self.assertEqual(self.ids, _ids(response))
        self.assertNotIn('servers_links', response.json)

    def test_next_link_keeps_the_other_parameters(self):
        response = self.api.get('/servers' + _query(name='s', limit=1,
                                                    status='ACTIVE'))

        href = response.json['servers_links'][0]['href']
        url = urllib.parse.urlsplit(href)
        self.assertEqual('/compute/v2.0/servers', url.path)
        self.assertEqual({'name': ['s'], 'limit': ['1'],
                          'status': ['ACTIVE'], 'marker': [self.ids[0]]},
                         urllib.parse.parse_qs(url.query))

    def test_marker_is_the_last_id_seen(self):
        response = self.api.get('/servers' + _query(marker=self.ids[1]))

        self.assertEqual(self.ids[2:], _ids(response))

    def test_marker_of_a_deleted_server_still_works(self):
        self.delete_now(self.ids[1])

        response = self.api.get('/servers' + _query(marker=self.ids[1]))
        self.assertEqual(self.ids[2:], _ids(response))

    def test_unknown_or_malformed_marker(self):
        theirs = self.other_client().post('/servers', {'server': {
            'name': 'x', 'flavorRef': self.flavors[0].id,
            'imageRef': self.image.id}}).json['server']['id']

        for marker in ('99999', 'abc', '-1', '', '1.5',
                       '99999999999999999999', theirs):
            response = self.api.get('/servers' + _query(marker=marker))
            self.assertFault(response, 400, 'badRequest', 'marker')

    def test_malformed_limit(self):
        for limit in ('abc', '0', '-1', '', '2.0', '1e3'):
            response = self.api.get('/servers/detail' + _query(limit=limit))
            self.assertFault(response, 400, 'badRequest', 'limit')

    def test_max_limit_caps_the_page(self):
        self.flags(group='api', max_limit=3)

        for query in ('', _query(limit=10)):
            response = self.api.get('/servers' + query)
            self.assertEqual(self.ids[:3], _ids(response))
            self.assertIn('servers_links', response.json)

        last = self.api.get('/servers' + _query(marker=self.ids[2]))
        self.assertEqual(self.ids[3:], _ids(last))
        self.assertNotIn('servers_links', last.json)

    def test_links_use_the_public_endpoint(self):
        self.flags(group='api', public_endpoint='https://cloud.example.org')

        response = self.api.get('/servers' + _query(limit=1))
        self.assertTrue(response.json['servers_links'][0]['href'].startswith(
            'https://cloud.example.org/compute/v2.0/servers?'))

    def test_xml_page_carries_the_next_link(self):
        response = self.api.get('/servers' + _query(limit=2, format='xml'))

        root = self.parse_xml(response, 'servers')
        self.assertEqual(self.ids[:2], [element.get('id') for element in
                                        root.findall('c:server',
                                                     server_helpers.NS)])
        link = root.find('{http://www.w3.org/2005/Atom}link')
        self.assertEqual('next', link.get('rel'))
        self.assertIn('format=xml', link.get('href'))


class ChangesSinceTest(server_helpers.ServerTestMixin,
                       functional.FunctionalTestCase):

    scenarios = functional.DB_SCENARIOS
    start_compute = False

    def since(self, when):
        return '/servers/detail' + _query(**{'changes-since':
                                             utils.isotime(when)})

    def test_only_servers_changed_since(self):
        old = self.new_server('old')
        start = utils.utcnow()
        new = self.new_server('new')

        self.assertEqual([new], _ids(self.api.get(self.since(start))))

        self.set_server(old, name='renamed')
        self.assertEqual([old, new], _ids(self.api.get(self.since(start))))

    def test_deleted_servers_come_with_status_deleted(self):
        server_id = self.new_server()
        start = utils.utcnow()
        self.delete_now(server_id)

        response = self.api.get(self.since(start))
        self.assertEqual([server_id], _ids(response))
        self.assertEqual('DELETED', response.json['servers'][0]['status'])
        self.assertTrue(response.json['servers'][0]['deleted'])

        brief = self.api.get('/servers' + _query(**{
            'changes-since': utils.isotime(start)}))
        self.assertEqual([server_id], _ids(brief))

    def test_nothing_changed_is_304_with_an_empty_body(self):
        self.new_server()
        start = utils.utcnow()

        for path in ('/servers', '/servers/detail'):
            response = self.api.get(path + _query(**{
                'changes-since': utils.isotime(start)}))
            self.assertEqual(304, response.status_int)
            self.assertEqual(b'', response.body)

    def test_other_time_zones_and_forms(self):
        server_id = self.new_server()
        updated = self.server(server_id)['updated']
        at = utils.parse_isotime(updated)
        athens = at.astimezone(datetime.timezone(datetime.timedelta(
            hours=2)))

        for text in (athens.isoformat(),
                     at.strftime('%Y-%m-%dT%H:%M:%S.%fZ')):
            response = self.api.get('/servers/detail' + _query(**{
                'changes-since': text}))
            self.assertEqual([server_id], _ids(response), text)

    def test_unencoded_plus_in_the_offset(self):
        server_id = self.new_server()
        updated = self.server(server_id)['updated']

        # A client that forgot to encode '+' sends a space.
        response = self.api.get('/servers/detail?changes-since=' + updated)
        self.assertEqual([server_id], _ids(response))

    def test_bad_values(self):
        now = utils.utcnow()
        values = [
            'yesterday', '', '2014-13-40T00:00:00Z',
            utils.isotime(now).replace('+00:00', ''),
            utils.isotime(now + datetime.timedelta(minutes=5)),
            utils.isotime(now - datetime.timedelta(seconds=3700)),
            '0001-01-01T00:00:00+01:00',
        ]
        for value in values:
            response = self.api.get('/servers' + _query(**{
                'changes-since': value}))
            self.assertFault(response, 400, 'badRequest', 'changes-since')

    def test_poll_limit_is_configurable(self):
        self.flags(group='api', poll_limit=60)
        two_minutes_ago = utils.utcnow() - datetime.timedelta(minutes=2)

        self.assertFault(self.api.get(self.since(two_minutes_ago)), 400,
                         'badRequest', 'poll limit')

    def test_deleted_servers_drop_out_after_the_poll_limit(self):
        server_id = self.new_server()
        start = utils.utcnow()
        self.delete_now(server_id)
        self.age_deletion(server_id, 7200)

        self.assertEqual(304, self.api.get(self.since(start)).status_int)

    def test_xml_304(self):
        self.new_server()
        start = utils.utcnow()

        response = self.api.get(self.since(start) + '&format=xml')
        self.assertEqual(304, response.status_int)
        self.assertEqual(b'', response.body)


class QueryCountTest(server_helpers.ServerTestMixin,
                     functional.FunctionalTestCase):
    """The detail list costs the same queries for 2 servers as for 20."""

    scenarios = functional.DB_SCENARIOS
    start_compute = False

    def add_servers(self, count):
        self.insert_servers(count)

    def test_detail_queries_do_not_grow_with_servers(self):
        self.add_servers(2)
        self.count_queries('/servers/detail')
        few, few_statements = self.count_queries('/servers/detail')

        self.add_servers(18)
        many, many_statements = self.count_queries('/servers/detail')

        self.assertEqual((2, 20), (few, many))
        self.assertEqual(len(few_statements), len(many_statements),
                         '\n'.join(many_statements))

    def test_paged_detail_is_bounded_too(self):
        self.add_servers(3)
        _count, page = self.count_queries('/servers/detail?limit=2')
        self.add_servers(10)
        _count, again = self.count_queries('/servers/detail?limit=10')

        self.assertEqual(len(page), len(again))
