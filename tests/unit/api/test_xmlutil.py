import random
import xml.etree.ElementTree as ET

import testscenarios
import testtools

from cyclades.api import xmlutil

load_tests = testscenarios.load_tests_apply_scenarios

NS = {'c': xmlutil.NAMESPACE, 'atom': xmlutil.ATOM_NAMESPACE}
C = '{%s}' % xmlutil.NAMESPACE
ATOM_LINK = '{%s}link' % xmlutil.ATOM_NAMESPACE
DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
BASE = 'https://example.org/compute/v2.0'


def _links(path):
    return [{'rel': 'self', 'href': BASE + path},
            {'rel': 'bookmark', 'href': BASE.replace('/v2.0', '') + path}]


def _tags(element):
    return [child.tag for child in element]


class XmlTestMixin:

    def parse(self, data):
        """Parse output the way a client would, after the usual checks.

        Every document must be bytes, start with the declaration and
        parse; a test that forgets one of these checks must not pass.
        """
        self.assertIsInstance(data, bytes)
        self.assertTrue(data.startswith(DECLARATION), data[:60])
        return ET.fromstring(data)


class TestToXml(XmlTestMixin, testtools.TestCase):

    def test_flavor_list_matches_the_guide(self):
        body = {'flavors': [{'id': '1', 'name': 'One core'},
                            {'id': '3', 'name': 'Four core'}]}

        expected = (
            DECLARATION
            + b'<flavors xmlns="http://docs.openstack.org/compute/api/v1.1">'
            + b'<flavor id="1" name="One core"/>'
            + b'<flavor id="3" name="Four core"/>'
            + b'</flavors>')
        self.assertEqual(expected, xmlutil.to_xml(body))

    def test_servers_list_with_links(self):
        body = {'servers': [
            {'id': '42', 'name': 'alpha', 'links': _links('/servers/42')},
            {'id': '43', 'name': 'beta', 'links': _links('/servers/43')},
        ]}

        data = xmlutil.to_xml(body)
        root = self.parse(data)

        self.assertIn(b'xmlns:atom="http://www.w3.org/2005/Atom"', data)
        self.assertEqual(C + 'servers', root.tag)
        self.assertEqual([C + 'server'] * 2, _tags(root))
        first = root[0]
        self.assertEqual({'id': '42', 'name': 'alpha'}, first.attrib)
        self.assertEqual([ATOM_LINK] * 2, _tags(first))
        self.assertEqual({'rel': 'self', 'href': BASE + '/servers/42'},
                         first[0].attrib)
        self.assertEqual('bookmark', first[1].get('rel'))

    def test_no_atom_namespace_without_links(self):
        data = xmlutil.to_xml({'servers': [{'id': '1', 'name': 'a'}]})

        self.assertNotIn(b'xmlns:atom', data)
        self.parse(data)

    def test_empty_list(self):
        root = self.parse(xmlutil.to_xml({'servers': []}))

        self.assertEqual(C + 'servers', root.tag)
        self.assertEqual([], _tags(root))

    def test_pagination_links_go_inside_the_root(self):
        body = {'servers': [{'id': '1', 'name': 'a'}],
                'servers_links': [{'rel': 'next',
                                   'href': BASE + '/servers?marker=1'}]}

        root = self.parse(xmlutil.to_xml(body))

        self.assertEqual([C + 'server', ATOM_LINK], _tags(root))
        self.assertEqual('next', root[1].get('rel'))

    def test_server_detail(self):
        body = {'server': {
            'id': '42',
            'name': 'web <1> & "co"',
            'links': _links('/servers/42'),
            'status': 'ACTIVE',
            'SNF:task_state': '',
            'progress': 100,
            'suspended': False,
            'deleted': False,
            'accessIPv4': '',
            'key_name': None,
            'image': {'id': 'c1f7-uuid', 'links': _links('/images/c1f7')},
            'flavor': {'id': '3', 'links': _links('/flavors/3')},
            'metadata': {'OS': 'debian', 'USERS': 'root'},
            'addresses': {
                '7': [
                    {'version': 4, 'addr': '10.0.0.2',
                     'OS-EXT-IPS:type': 'fixed'},
                    {'version': 6, 'addr': '2001:db8::a800:ff:fe00:1',
                     'OS-EXT-IPS:type': 'fixed'},
                ],
            },
            'attachments': [{'id': 'nic-42-0', 'network_id': '7',
                             'ipv4': '10.0.0.2',
                             'OS-EXT-IPS:type': 'fixed'}],
            'security_groups': [{'name': 'default'}],
            'SNF:port_forwarding': {},
            'diagnostics': [],
        }}

        root = self.parse(xmlutil.to_xml(body))

        self.assertEqual(C + 'server', root.tag)
        self.assertEqual({
            'id': '42', 'name': 'web <1> & "co"', 'status': 'ACTIVE',
            'SNF_task_state': '', 'progress': '100', 'suspended': 'false',
            'deleted': 'false', 'accessIPv4': '', 'key_name': '',
        }, root.attrib)
        self.assertEqual(
            [ATOM_LINK, ATOM_LINK, C + 'image', C + 'flavor',
             C + 'metadata', C + 'addresses', C + 'attachments',
             C + 'security_groups', C + 'SNF_port_forwarding',
             C + 'diagnostics'],
            _tags(root))

        image = root.find('c:image', NS)
        self.assertEqual({'id': 'c1f7-uuid'}, image.attrib)
        self.assertEqual(BASE + '/images/c1f7',
                         image.find('atom:link[@rel="self"]', NS).get('href'))
        self.assertEqual('3', root.find('c:flavor', NS).get('id'))
        self.assertEqual(2, len(root.findall('c:flavor/atom:link', NS)))

        metas = root.findall('c:metadata/c:meta', NS)
        self.assertEqual([('OS', 'debian'), ('USERS', 'root')],
                         [(m.get('key'), m.text) for m in metas])

        network = root.find('c:addresses/c:network', NS)
        self.assertEqual({'id': '7'}, network.attrib)
        ips = network.findall('c:ip', NS)
        self.assertEqual(['4', '6'], [ip.get('version') for ip in ips])
        self.assertEqual({'version': '4', 'addr': '10.0.0.2',
                          'OS-EXT-IPS_type': 'fixed'}, ips[0].attrib)

        attachment = root.find('c:attachments/c:attachment', NS)
        self.assertEqual('nic-42-0', attachment.get('id'))
        self.assertEqual('fixed', attachment.get('OS-EXT-IPS_type'))
        self.assertEqual(
            'default',
            root.find('c:security_groups/c:security_group', NS).get('name'))
        self.assertEqual(
            [], _tags(root.find('c:SNF_port_forwarding', NS)))
        self.assertEqual([], _tags(root.find('c:diagnostics', NS)))

    def test_metadata_body(self):
        body = {'metadata': {'OS': 'debian', 'a&b': '<v>', 'empty': ''}}

        root = self.parse(xmlutil.to_xml(body))

        self.assertEqual(C + 'metadata', root.tag)
        self.assertEqual({}, root.attrib)
        self.assertEqual(
            [('OS', 'debian'), ('a&b', '<v>'), ('empty', '')],
            [(m.get('key'), m.text or '') for m in root])
        self.assertEqual([C + 'meta'] * 3, _tags(root))

    def test_empty_metadata_body(self):
        data = xmlutil.to_xml({'metadata': {}})

        self.assertEqual(
            DECLARATION + b'<metadata xmlns="%s"/>'
            % xmlutil.NAMESPACE.encode(), data)

    def test_meta_body(self):
        data = xmlutil.to_xml({'meta': {'OS': 'debian'}})

        self.assertEqual(
            DECLARATION + b'<meta xmlns="%s" key="OS">debian</meta>'
            % xmlutil.NAMESPACE.encode(), data)

    def test_meta_body_with_several_items_stays_generic(self):
        root = self.parse(xmlutil.to_xml({'meta': {'a': '1', 'b': '2'}}))

        self.assertEqual({'a': '1', 'b': '2'}, root.attrib)

    def test_network_body(self):
        body = {'network': {'7': [{'version': 4, 'addr': '10.0.0.2'}]}}

        root = self.parse(xmlutil.to_xml(body))

        self.assertEqual(C + 'network', root.tag)
        self.assertEqual({'id': '7'}, root.attrib)
        self.assertEqual([C + 'ip'], _tags(root))
        self.assertEqual('10.0.0.2', root[0].get('addr'))

    def test_network_resource_stays_generic(self):
        body = {'network': {'id': '7', 'name': 'public', 'subnets': ['s1']}}

        root = self.parse(xmlutil.to_xml(body))

        self.assertEqual({'id': '7', 'name': 'public'}, root.attrib)
        self.assertEqual('s1', root.find('c:subnets/c:subnet', NS).text)

    def test_ips_body_keeps_attachments_under_the_root(self):
        body = {'addresses': {'7': [{'version': 4, 'addr': '10.0.0.2'}]},
                'attachments': [{'id': 'nic-1-0'}]}

        root = self.parse(xmlutil.to_xml(body))

        self.assertEqual(C + 'addresses', root.tag)
        self.assertEqual([C + 'network', C + 'attachments'], _tags(root))
        self.assertEqual(
            'nic-1-0',
            root.find('c:attachments/c:attachment', NS).get('id'))

    def test_versions_document(self):
        body = {'versions': [{
            'id': 'v2.0',
            'status': 'CURRENT',
            'updated': '2014-02-12T08:31:37.834542+00:00',
            'links': [{'rel': 'self', 'href': BASE + '/'}],
            'media-types': [{'base': 'application/json',
                             'type': 'application/vnd.openstack+json'}],
        }, {
            'id': 'v2.1',
            'status': 'SUPPORTED',
            'links': [{'rel': 'self', 'href': BASE.replace('0', '1') + '/',
                       'type': 'text/html'}],
        }]}

        root = self.parse(xmlutil.to_xml(body))

        self.assertEqual(C + 'versions', root.tag)
        versions = root.findall('c:version', NS)
        self.assertEqual(['v2.0', 'v2.1'], [v.get('id') for v in versions])
        self.assertEqual('CURRENT', versions[0].get('status'))
        self.assertEqual([ATOM_LINK, C + 'media-types'],
                         _tags(versions[0]))
        self.assertEqual(
            'application/json',
            versions[0].find('c:media-types/c:media-type', NS).get('base'))
        self.assertEqual('text/html',
                         versions[1].find('atom:link', NS).get('type'))

    def test_list_of_scalars(self):
        body = {'values': [1, 'two', None, True, 2.5]}

        root = self.parse(xmlutil.to_xml(body))

        self.assertEqual([C + 'value'] * 5, _tags(root))
        self.assertEqual(['1', 'two', '', 'true', '2.5'],
                         [v.text or '' for v in root])

    def test_singular_names(self):
        cases = [('diagnostics', 'diagnostic'), ('extensions', 'extension'),
                 ('endpoints', 'endpoint'), ('ports', 'port'),
                 ('rate', 'item'), ('s', 'item')]
        for plural, singular in cases:
            root = self.parse(xmlutil.to_xml({plural: [{}]}))
            self.assertEqual([C + singular], _tags(root), plural)

    def test_top_level_scalar(self):
        root = self.parse(xmlutil.to_xml({'status': 'ok'}))

        self.assertEqual((C + 'status', 'ok'), (root.tag, root.text))

    def test_body_must_be_a_non_empty_dict(self):
        self.assertRaises(ValueError, xmlutil.to_xml, {})
        self.assertRaises(ValueError, xmlutil.to_xml, [{'a': 1}])


class TestFaultToXml(XmlTestMixin, testtools.TestCase):

    def test_fault_document(self):
        data = xmlutil.fault_to_xml('itemNotFound', 404,
                                    'Server not found', '')

        self.assertEqual(
            DECLARATION
            + b'<itemNotFound xmlns="%s" code="404">'
            % xmlutil.NAMESPACE.encode()
            + b'<message>Server not found</message><details/>'
            + b'</itemNotFound>', data)

    def test_fault_texts_are_escaped(self):
        data = xmlutil.fault_to_xml('badRequest', 400, '<bad> & "worse"',
                                    'line 1\r\nline 2 ]]>')

        root = self.parse(data)

        self.assertEqual(C + 'badRequest', root.tag)
        self.assertEqual({'code': '400'}, root.attrib)
        self.assertEqual('<bad> & "worse"',
                         root.find('c:message', NS).text)
        self.assertEqual('line 1\r\nline 2 ]]>',
                         root.find('c:details', NS).text)

    def test_fault_body_through_to_xml(self):
        body = {'overLimit': {'code': 413, 'message': 'Quota exceeded',
                              'details': 'cyclades.vm: limit 2, asked 3'}}

        self.assertEqual(
            xmlutil.fault_to_xml('overLimit', 413, 'Quota exceeded',
                                 'cyclades.vm: limit 2, asked 3'),
            xmlutil.to_xml(body))

    def test_fault_body_without_details(self):
        body = {'unauthorized': {'code': 401, 'message': 'Invalid token'}}

        root = self.parse(xmlutil.to_xml(body))

        self.assertEqual([C + 'message', C + 'details'], _tags(root))


NASTY = '<a href="x">&amp;\'q\'</a> ]]> \u00e9\u4e2d\U0001f600'
TAB_CR_LF = 'a\tb\r\nc\rd\n'


class TestTrickyInput(XmlTestMixin, testtools.TestCase):
    """Awkward keys and values must still give a document that parses.

    Each scenario lists (path, attribute, value) checks; a path of '.'
    is the root and an attribute of None means the element text.
    """

    scenarios = [
        ('unicode attribute', dict(
            body={'server': {'name': '\u0395\u03bb\u2603\U0001d11e'}},
            checks=[('.', 'name', '\u0395\u03bb\u2603\U0001d11e')])),
        ('markup in attribute', dict(
            body={'server': {'name': NASTY}},
            checks=[('.', 'name', NASTY)])),
        ('markup in text', dict(
            body={'metadata': {NASTY: NASTY}},
            checks=[('c:meta', 'key', NASTY), ('c:meta', None, NASTY)])),
        ('whitespace in attribute', dict(
            body={'server': {'name': TAB_CR_LF}},
            checks=[('.', 'name', TAB_CR_LF)])),
        ('whitespace in text', dict(
            body={'values': [TAB_CR_LF]},
            checks=[('c:value', None, TAB_CR_LF)])),
        ('control characters', dict(
            body={'server': {'name': 'a\x00b\x1bc\x7f'}},
            checks=[('.', 'name', 'a\ufffdb\ufffdc\x7f')])),
        ('lone surrogate', dict(
            body={'values': ['x\ud800y']},
            checks=[('c:value', None, 'x\ufffdy')])),
        ('empty dict', dict(
            body={'server': {}},
            checks=[('.', None, '')])),
        ('empty nested dict and list', dict(
            body={'server': {'image': {}, 'diagnostics': []}},
            checks=[('c:image', None, ''), ('c:diagnostics', None, '')])),
        ('nested lists', dict(
            body={'values': [[1, [2]], []]},
            checks=[('c:value/c:item', None, '1'),
                    ('c:value/c:item/c:item', None, '2'),
                    ('c:value[2]', None, '')])),
        ('scalar types', dict(
            body={'x': {'t': True, 'f': False, 'n': None, 'i': -3,
                        'r': 0.25, 'big': 10 ** 20}},
            checks=[('.', 't', 'true'), ('.', 'f', 'false'),
                    ('.', 'n', ''), ('.', 'i', '-3'), ('.', 'r', '0.25'),
                    ('.', 'big', '100000000000000000000')])),
        ('colon keys', dict(
            body={'server': {'SNF:task_state': 'BUILDING',
                             'SNF:port_forwarding': {'a:b': 1}}},
            checks=[('.', 'SNF_task_state', 'BUILDING'),
                    ('c:SNF_port_forwarding', 'a_b', '1')])),
        ('rewritten key meets a plain one', dict(
            body={'x': {'a:b': 1, 'a_b': 2}},
            checks=[('.', 'a_b', '2'), ('.', 'a_b_2', '1')])),
        ('digit-leading keys', dict(
            body={'x': {'1abc': 'v', '2': {'3': 'w'}}},
            checks=[('.', '_x0031_abc', 'v'), ('c:_x0032_', '_x0033_', 'w')])),
        ('keys with spaces and symbols', dict(
            body={'x': {'a b': 1, 'a<b>&"c"': 2, 'a=b': 3}},
            checks=[('.', 'a_x0020_b', '1'),
                    ('.', 'a_x003C_b_x003E__x0026__x0022_c_x0022_', '2'),
                    ('.', 'a_x003D_b', '3')])),
        ('non-ascii key', dict(
            body={'x': {'\u00e9t\u00e9': 'summer'}},
            checks=[('.', '_x00E9_t_x00E9_', 'summer')])),
        ('empty key', dict(
            body={'x': {'': 'e', '_': 'u'}},
            checks=[('.', '_', 'u'), ('.', '__2', 'e')])),
        ('xmlns key', dict(
            body={'x': {'xmlns': 'urn:evil', 'y': {'xmlns': ''}}},
            checks=[('.', '_xmlns', 'urn:evil'), ('c:y', '_xmlns', '')])),
        ('prefixed keys', dict(
            body={'x': {'atom:link': 'a', 'xml:lang': 'b', 'xmlns:q': 'c'}},
            checks=[('.', 'atom_link', 'a'), ('.', 'xml_lang', 'b'),
                    ('.', 'xmlns_q', 'c')])),
        ('odd root key', dict(
            body={'SNF:1 root': [{'k': 'v'}]},
            root='SNF_1_x0020_root',
            checks=[('c:item', 'k', 'v')])),
        ('meta key clashing with value', dict(
            body={'metadata': {'k': {'key': 'inner'}}},
            checks=[('c:meta', 'key', 'k'), ('c:meta', 'key_2', 'inner')])),
        ('links that are not link dicts', dict(
            body={'server': {'links': ['a', 'b']}},
            checks=[('c:links/c:link', None, 'a')])),
        ('address that is not a list', dict(
            body={'addresses': {'7': {'addr': '10.0.0.2', 'id': 'x'}}},
            checks=[('c:network', 'id', '7'),
                    ('c:network', 'id_2', 'x'),
                    ('c:network', 'addr', '10.0.0.2')])),
        ('fault-like body with extra keys', dict(
            body={'x': {'code': 1, 'message': 'm', 'other': 'o'}},
            checks=[('.', 'message', 'm')])),
    ]

    root = None

    def test_parses_and_round_trips(self):
        root = self.parse(xmlutil.to_xml(self.body))

        expected_root = self.root or next(iter(self.body))
        self.assertEqual(C + expected_root, root.tag)
        for path, attribute, expected in self.checks:
            element = root if path == '.' else root.find(path, NS)
            self.assertIsNotNone(element, path)
            if attribute is None:
                actual = element.text or ''
            else:
                actual = element.get(attribute)
            self.assertEqual(expected, actual, (path, attribute))


class TestRandomBodies(XmlTestMixin, testtools.TestCase):
    """Random JSON-able bodies, built from awkward parts, always parse."""

    STRINGS = ['', ' ', 'a', '1', 'a:b', 'xmlns', 'links', 'metadata',
               'addresses', 'meta', 'network', 'servers', '-x', '.', '_',
               '\u00e9', '\U0001f600', '\x00', '\ud800', '<&>"\'', ']]>',
               '\r\n\t', 'a b', 'atom:link', 'values']

    def _value(self, rng, depth):
        kind = rng.randrange(8 if depth < 4 else 5)
        if kind == 0:
            return rng.choice(self.STRINGS) + rng.choice(self.STRINGS)
        if kind == 1:
            return rng.choice([0, -1, 2 ** 40, 0.5, True, False])
        if kind == 2:
            return None
        if kind in (3, 4):
            return rng.choice(self.STRINGS)
        if kind == 5:
            return [self._value(rng, depth + 1)
                    for _ in range(rng.randrange(4))]
        return {rng.choice(self.STRINGS): self._value(rng, depth + 1)
                for _ in range(rng.randrange(5))}

    def test_random_bodies_parse(self):
        rng = random.Random(20140212)

        for _ in range(500):
            body = {rng.choice(self.STRINGS): self._value(rng, 0)}
            for _ in range(rng.randrange(3)):
                body[rng.choice(self.STRINGS)] = self._value(rng, 0)

            try:
                self.parse(xmlutil.to_xml(body))
            except ET.ParseError as error:
                self.fail('%r gave %s' % (body, error))
