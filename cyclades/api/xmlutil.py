"""Render API response bodies as XML.

Controllers build every body as a JSON-able dict.  When a client asks for
XML, this module turns that same dict into a document in the OpenStack
Compute v1.1 style, so the two formats cannot drift apart and no
controller keeps a template of its own.

How a body maps to XML:

* The top-level key names the root element, which declares ``NAMESPACE``
  (and ``ATOM_NAMESPACE`` as ``atom`` when the document holds links).
* In a dict, scalars become attributes (``true``/``false`` for booleans,
  an empty string for ``None``); dicts and lists become child elements.
* A list under ``K`` becomes ``<K>`` with one child per item, named by
  ``singular(K)``; a scalar item is the text of its child, and the items
  of a list nested in a list are called ``item``.
* ``links`` becomes ``<atom:link .../>`` elements right inside the parent,
  and so does ``<root>_links`` beside the root key (pagination links).
* ``metadata`` becomes ``<metadata><meta key="k">v</meta></metadata>``,
  and a top-level ``meta`` with a single item becomes ``<meta key="k">``.
* ``addresses`` becomes ``<addresses><network id="net"><ip .../>...``,
  and a top-level ``network`` holding one list ``<network id="net">``.
* A fault body (``code``, ``message`` and maybe ``details``) is rendered
  as ``fault_to_xml`` does, with the texts as child elements.
* Other top-level keys beside the root become children of the root.

Names: JSON keys may be anything, XML names may not.  A key is used as it
is when it is a plain ASCII name without a namespace prefix; otherwise
``:`` becomes ``_`` (``SNF:task_state`` gives ``SNF_task_state``) and
any other character a name cannot hold there, such as a space, a leading
digit or a non-ASCII letter, becomes ``_xHHHH_`` with its code point in
hex (``1 a`` gives ``_x0031__x0020_a``).  The empty key gives ``_`` and
``xmlns``, which would redeclare the namespace, gives ``_xmlns``.  When a
rewritten attribute name meets one already present, a ``_2``, ``_3``...
suffix keeps both.

Values: characters XML 1.0 cannot carry at all (most control characters,
lone surrogates) become U+FFFD; everything else round-trips, including
tabs, carriage returns and newlines in attributes.
"""

import re
from xml.sax import saxutils

NAMESPACE = 'http://docs.openstack.org/compute/api/v1.1'
ATOM_NAMESPACE = 'http://www.w3.org/2005/Atom'

_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
_ATOM_LINK = 'atom:link'

_SINGULARS = {
    'servers': 'server',
    'flavors': 'flavor',
    'images': 'image',
    'versions': 'version',
    'diagnostics': 'diagnostic',
    'attachments': 'attachment',
    'addresses': 'network',
    'security_groups': 'security_group',
    'values': 'value',
    'media-types': 'media-type',
    'extensions': 'extension',
    'endpoints': 'endpoint',
}

_FAULT_KEYS = frozenset(['code', 'message', 'details'])

_PLAIN_NAME = re.compile(r'[A-Za-z_][A-Za-z0-9._-]*\Z')
_NAME_START = re.compile(r'[A-Za-z_]')
_NAME_CHAR = re.compile(r'[A-Za-z0-9._-]')
_NOT_XML_CHAR = re.compile(
    '[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]')

_TEXT_ENTITIES = {'\r': '&#13;'}
_ATTR_ENTITIES = {'"': '&quot;', '\t': '&#9;', '\n': '&#10;',
                  '\r': '&#13;'}


def to_xml(body: dict) -> bytes:
    """Serialize a response body, given as a dict, to a UTF-8 document.

    The first key names the root.  Bodies have one key, except that a
    list may come with its pagination links and a resource may answer two
    collections at once (``addresses`` with ``attachments``); neither
    should be lost in XML, so the extra keys go inside the root.
    """
    if not isinstance(body, dict) or not body:
        raise ValueError('an XML body needs a dict with a root key')

    items = iter(body.items())
    root_key, root_value = next(items)
    if len(body) == 1 and _is_fault(root_value):
        return fault_to_xml(root_key, root_value['code'],
                            root_value['message'],
                            root_value.get('details', ''))

    root = _root_element(root_key, root_value)
    for key, value in items:
        if key == root_key + '_links' and _is_link_list(value):
            _add_links(root, value)
        else:
            root.children.append(_build(key, value))

    return _document(root)


def fault_to_xml(name: str, code: int, message: str,
                 details: str) -> bytes:
    """Serialize a fault, with its texts in elements of their own.

    Messages can be long and carry any character, which reads better as
    element text than squeezed into attributes.
    """
    root = _Element(_xml_name(name))
    root.set_attr('code', code)

    for tag, text in (('message', message), ('details', details)):
        child = _Element(tag)
        child.text = _scalar_text(text)
        root.children.append(child)

    return _document(root)


class _Element:
    """A tree node of our own, so that no attribute name can repeat.

    ElementTree would silently let one key overwrite another and writes
    empty elements and quotes in its own way; here both are ours.
    """

    def __init__(self, tag):
        self.tag = tag
        self.attrs = {}
        self.children = []
        self.text = ''

    def set_attr(self, key, value, reserved=frozenset()):
        """Add an attribute without ever repeating a name.

        ``reserved`` holds the keys of the same dict that can be used as
        they are: they keep their names, and a rewritten key that would
        collide with one of them takes a suffix instead.
        """
        base = _xml_name(key)
        name = base
        suffix = 1
        while name in self.attrs or (name != key and name in reserved):
            suffix += 1
            name = '%s_%d' % (base, suffix)

        self.attrs[name] = _scalar_text(value)

    def iter(self):
        yield self
        for child in self.children:
            yield from child.iter()


def _root_element(key, value):
    """Build the root, where ``meta`` and ``network`` lose a level.

    Those two bodies carry a single item keyed by its own name, which the
    XML form puts in an attribute of the root instead.
    """
    if (key in ('meta', 'network') and isinstance(value, dict)
            and len(value) == 1):
        (item_key, item_value), = value.items()
        if key == 'meta':
            root = _Element('meta')
            root.set_attr('key', item_key)
            _fill(root, item_value, 'item')
            return root
        if isinstance(item_value, list):
            return _network(item_key, item_value)

    return _build(key, value)


def _build(key, value, item_tag=None):
    if key == 'metadata' and isinstance(value, dict):
        return _metadata(value)
    if key == 'addresses' and isinstance(value, dict):
        return _addresses(value)

    element = _Element(_xml_name(key))
    _fill(element, value, item_tag or _singular(key))
    return element


def _fill(element, value, item_tag):
    """Fill an element already made, whose name the caller has chosen.

    The special forms (``meta``, ``network``) set an attribute before the
    value goes in, so the attribute keeps its plain name.
    """
    if isinstance(value, dict):
        _fill_dict(element, value)
    elif isinstance(value, (list, tuple)):
        for item in value:
            element.children.append(_build(item_tag, item, 'item'))
    else:
        element.text = _scalar_text(value)


def _fill_dict(element, value):
    scalars = [(k, v) for k, v in value.items() if _is_scalar(v)]
    reserved = frozenset(k for k, _ in scalars if _is_plain_name(k))
    for key, item in scalars:
        element.set_attr(key, item, reserved)

    for key, item in value.items():
        if _is_scalar(item):
            continue
        if key == 'links' and _is_link_list(item):
            _add_links(element, item)
        else:
            element.children.append(_build(key, item))


def _add_links(element, links):
    for link in links:
        child = _Element(_ATOM_LINK)
        _fill_dict(child, link)
        element.children.append(child)


def _metadata(value):
    element = _Element('metadata')
    for key, item in value.items():
        meta = _Element('meta')
        meta.set_attr('key', key)
        _fill(meta, item, 'item')
        element.children.append(meta)
    return element


def _addresses(value):
    element = _Element('addresses')
    for network_id, item in value.items():
        element.children.append(_network(network_id, item))
    return element


def _network(network_id, value):
    element = _Element('network')
    element.set_attr('id', network_id)
    _fill(element, value, 'ip')
    return element


def _document(root):
    """Write the tree out, with the namespaces declared on the root."""
    namespaces = [('xmlns', NAMESPACE)]
    if any(e.tag == _ATOM_LINK for e in root.iter()):
        namespaces.append(('xmlns:atom', ATOM_NAMESPACE))

    parts = [_DECLARATION]
    _write(root, parts, namespaces)
    return ''.join(parts).encode('utf-8')


def _write(element, parts, extra_attrs=()):
    parts.append('<' + element.tag)
    for name, value in list(extra_attrs) + list(element.attrs.items()):
        parts.append(' %s="%s"' % (name, _escape_attr(value)))

    if not element.text and not element.children:
        parts.append('/>')
        return

    parts.append('>')
    parts.append(saxutils.escape(element.text, _TEXT_ENTITIES))
    for child in element.children:
        _write(child, parts)
    parts.append('</%s>' % element.tag)


def _escape_attr(value):
    return saxutils.escape(value, _ATTR_ENTITIES)


def _scalar_text(value):
    if value is None:
        text = ''
    elif isinstance(value, bool):
        text = 'true' if value else 'false'
    else:
        text = str(value)
    return _NOT_XML_CHAR.sub('\ufffd', text)


def _is_scalar(value):
    return not isinstance(value, (dict, list, tuple))


def _is_link_list(value):
    return (isinstance(value, (list, tuple))
            and all(isinstance(link, dict) for link in value))


def _is_fault(value):
    return (isinstance(value, dict)
            and {'code', 'message'} <= set(value) <= _FAULT_KEYS
            and isinstance(value['code'], int)
            and not isinstance(value['code'], bool))


def _is_plain_name(key):
    return key != 'xmlns' and _PLAIN_NAME.match(key) is not None


def _singular(key):
    if key in _SINGULARS:
        return _SINGULARS[key]
    if len(key) > 1 and key.endswith('s'):
        return key[:-1]
    return 'item'


def _xml_name(key):
    """Map any JSON key to a name XML accepts, as the module doc says."""
    if _is_plain_name(key):
        return key
    if key == 'xmlns':
        return '_xmlns'
    if not key:
        return '_'

    chars = []
    for position, char in enumerate(key.replace(':', '_')):
        allowed = _NAME_CHAR if position else _NAME_START
        if allowed.match(char):
            chars.append(char)
        else:
            chars.append('_x%04X_' % ord(char))
    return ''.join(chars)
