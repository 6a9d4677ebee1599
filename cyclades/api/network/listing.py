"""Reading a listing's query string the way Neutron does, and paging.

A parameter named after a field of the resource keeps the items whose
field has that value (repeat it for any of several values); ``fields``
picks the fields to show; ``limit`` and ``marker`` page, with a
``<collection>_links`` "next" link when more remain.  Any other
parameter is a 400, as in a Neutron that validates its filters.
"""

import dataclasses
import urllib.parse

from cyclades.api.compute.views import links
from cyclades import conf
from cyclades import exception

CONF = conf.CONF

#: Parameters that are not filters.
CONTROLS = ('fields', 'limit', 'marker', 'page_reverse')


@dataclasses.dataclass
class ListQuery:
    #: field → the values it may have, as strings.
    filters: dict
    #: the fields to show; None for all.
    fields: list | None = None
    limit: int | None = None
    marker: str | None = None

    def values(self, field):
        """The values a field is filtered on, or None."""
        return self.filters.get(field)


def _limit(value):
    try:
        limit = int(value)
    except ValueError:
        limit = 0
    if limit < 1:
        raise exception.BadRequest('Invalid limit %r: a positive integer '
                                   'is expected' % value)
    return min(limit, CONF.api.max_limit)


def parse(params, fields):
    """Build the ListQuery of a request's ``GET`` multidict.

    :param fields: the fields of the resource, which may filter.
    :raises BadRequest: an unknown parameter or a bad limit.
    """
    filters = {}
    for name in params:
        if name in CONTROLS:
            continue
        if name not in fields:
            raise exception.BadRequest('%s is not a valid filter' % name)
        filters[name] = set(params.getall(name))

    query = ListQuery(filters=filters)
    if params.getall('fields'):
        query.fields = [field for value in params.getall('fields')
                        for field in value.split(',') if field]
    if 'limit' in params:
        query.limit = _limit(params['limit'])
    query.marker = params.get('marker')
    return query


def _matches(value, wanted):
    if isinstance(value, bool):
        return any(item.lower() in (('true', '1') if value
                                    else ('false', '0'))
                   for item in wanted)
    if value is None:
        return bool(wanted & {'', 'None', 'null'})
    if isinstance(value, list):
        return any(str(item) in wanted for item in value)
    return str(value) in wanted


def page(req, collection, items, query):
    """The body of a listing: filtered, paged and cut to ``fields``.

    :param items: the views of every item the caller may see, in order.
    :raises BadRequest: the marker is not one of the items.
    """
    items = [item for item in items
             if all(_matches(item.get(field), wanted)
                    for field, wanted in query.filters.items())]

    if query.marker is not None:
        ids = [item['id'] for item in items]
        if query.marker not in ids:
            raise exception.BadRequest('Marker %s not found'
                                       % query.marker)
        items = items[ids.index(query.marker) + 1:]

    body = {}
    if query.limit is not None and len(items) > query.limit:
        items = items[:query.limit]
        params = [(name, value) for name, value in req.GET.items()
                  if name != 'marker']
        params.append(('marker', items[-1]['id']))
        body[collection + '_links'] = [{
            'rel': 'next',
            'href': '%s%s?%s' % (links.service_root(req), req.path_info,
                                 urllib.parse.urlencode(params))}]

    if query.fields is not None:
        items = [{field: item[field] for field in query.fields
                  if field in item} for item in items]
    body[collection] = items
    return body


def shown(item, params):
    """One item cut to the ``fields`` a show request asks for."""
    fields = [field for value in params.getall('fields')
              for field in value.split(',') if field]
    if not fields:
        return item
    return {field: item[field] for field in fields if field in item}
