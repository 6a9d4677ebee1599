"""Which representation a client wants: JSON or XML.

The order is the one the API guide gives: a ``format`` query parameter,
then a ``.json``/``.xml`` suffix on the path, then the first ``Accept``
entry that names one of the two.  Both the negotiation filter and the
fault wrapper ask here, so an error comes back in the format the client
asked for even when it happens before negotiation ran.
"""

import urllib.parse

JSON = 'json'
XML = 'xml'

CONTENT_TYPES = {JSON: 'application/json', XML: 'application/xml'}
_BY_MEDIA_TYPE = {'application/json': JSON, 'application/xml': XML}
_ENVIRON_KEY = 'cyclades.response_format'


def _from_query(environ):
    query = urllib.parse.parse_qs(environ.get('QUERY_STRING', ''))
    value = (query.get('format') or [None])[-1]
    if value in (JSON, XML):
        return value
    return None


def _from_suffix(path):
    for fmt in (JSON, XML):
        if path.endswith('.' + fmt):
            return fmt
    return None


def _from_accept(header):
    for entry in (header or '').split(','):
        media_type = entry.split(';')[0].strip().lower()
        if media_type in _BY_MEDIA_TYPE:
            return _BY_MEDIA_TYPE[media_type]
    return None


def response_format(environ):
    """Return 'json' or 'xml' for this request, deciding only once."""
    fmt = environ.get(_ENVIRON_KEY)
    if fmt is None:
        fmt = (_from_query(environ)
               or _from_suffix(environ.get('PATH_INFO', ''))
               or _from_accept(environ.get('HTTP_ACCEPT'))
               or JSON)
        environ[_ENVIRON_KEY] = fmt
    return fmt


def strip_suffix(environ):
    """Remove a format suffix from the path so routing never sees it."""
    path = environ.get('PATH_INFO', '')
    fmt = _from_suffix(path)
    if fmt is not None:
        environ['PATH_INFO'] = path[:-len(fmt) - 1]
