"""Reading the query string of an image listing the way Glance does.

Glance's filters are loose: a value may carry an operator (``in:a,b``,
``gte:<time>``), a filter may name a state or a visibility that cannot
occur here, and any parameter it does not know filters on an image
property.  Everything is checked before the database is asked, so bad
input is a 400 and a filter no image can pass short-circuits to an
empty page.
"""

import csv
import dataclasses

from cyclades import conf
from cyclades import exception
from cyclades import utils

CONF = conf.CONF

#: Glance's default page size; ``limit`` may ask for up to max_limit.
DEFAULT_LIMIT = 25

#: Glance's image states, with the stored status each one names.  States
#: this service never reaches (and deleted images, which it hides) match
#: nothing.
STATUSES = {
    'active': 'ACTIVE',
    'saving': 'SAVING',
    'killed': 'ERROR',
    'queued': None,
    'uploading': None,
    'importing': None,
    'deactivated': None,
    'deleted': None,
    'pending_delete': None,
}

VISIBILITIES = ('public', 'private', 'shared', 'community', 'all')
MEMBER_STATUSES = ('accepted', 'pending', 'rejected', 'all')
SORT_KEYS = ('name', 'status', 'container_format', 'disk_format', 'size',
             'id', 'created_at', 'updated_at', 'min_disk', 'min_ram')
SORT_DIRS = ('asc', 'desc')
TIME_OPERATORS = ('eq', 'neq', 'gt', 'gte', 'lt', 'lte')

#: Parameters with a meaning of their own; any other filters on a
#: property of that name.
RESERVED = frozenset((
    'id', 'name', 'status', 'visibility', 'owner', 'disk_format',
    'container_format', 'size_min', 'size_max', 'protected', 'os_hidden',
    'tag', 'member_status', 'created_at', 'updated_at', 'limit', 'marker',
    'sort', 'sort_key', 'sort_dir'))


@dataclasses.dataclass
class ListQuery:
    """What a listing asks for; None for a filter means any value."""

    ids: set | None = None
    names: set | None = None
    #: Stored statuses (ACTIVE, ...).
    statuses: set | None = None
    #: 'public', 'private', or None for every image the caller sees.
    visibility: str | None = None
    owners: set | None = None
    disk_formats: set | None = None
    container_formats: set | None = None
    size_min: int | None = None
    size_max: int | None = None
    #: (column, operator, timestamp) triples.
    times: list = dataclasses.field(default_factory=list)
    properties: dict = dataclasses.field(default_factory=dict)
    #: Some filter asks for what no image here can be.
    empty: bool = False
    #: (key, 'asc' or 'desc') pairs, id last.
    sort: list = dataclasses.field(default_factory=list)
    limit: int = DEFAULT_LIMIT
    marker: str | None = None


def _invalid(message):
    return exception.BadRequest(message)


def split_values(value):
    """The values of a filter: ``in:a,"b,c"`` lists, anything else is one.

    :raises BadRequest: an ``in:`` list that does not parse.
    """
    if not value.startswith('in:'):
        return {value}
    try:
        rows = list(csv.reader([value[3:]], strict=True))
    except csv.Error:
        raise _invalid('Invalid "in" filter: %s' % value)
    return set(rows[0]) if rows else {''}


def _boolean(name, value):
    lowered = value.lower()
    if lowered not in ('true', 'false'):
        raise _invalid('Invalid value for %s: %s (expected true or '
                       'false)' % (name, value))
    return lowered == 'true'


def _non_negative(name, value):
    try:
        number = int(value)
    except ValueError:
        raise _invalid('%s param must be an integer' % name)
    if number < 0:
        raise _invalid('%s param must be positive' % name)
    return number


def _time_filter(name, value):
    operator, _, text = value.partition(':')
    if operator not in TIME_OPERATORS or not text:
        operator, text = 'eq', value
    try:
        return name, operator, utils.parse_isotime(text)
    except ValueError:
        raise _invalid('Invalid %s value: %s' % (name, value))


def _statuses(value):
    stored = set()
    for status in split_values(value):
        if status not in STATUSES:
            raise _invalid('Invalid status value: %s' % status)
        if STATUSES[status] is not None:
            stored.add(STATUSES[status])
    return stored


def _sort(params):
    """Sort keys from ``sort=k:dir,...`` or ``sort_key``/``sort_dir``."""
    if 'sort' in params:
        if 'sort_key' in params or 'sort_dir' in params:
            raise _invalid('The sort parameter cannot be combined with '
                           'sort_key or sort_dir')
        pairs = []
        for item in params['sort'].split(','):
            key, _, direction = item.strip().partition(':')
            pairs.append((key.strip(), direction.strip() or 'desc'))
    else:
        keys = params.getall('sort_key') or ['created_at']
        dirs = params.getall('sort_dir')
        if len(dirs) > len(keys):
            raise _invalid('More sort_dir than sort_key parameters')
        dirs += ['desc'] * (len(keys) - len(dirs))
        pairs = list(zip(keys, dirs))

    for key, direction in pairs:
        if key not in SORT_KEYS:
            raise _invalid('Invalid sort key: %s' % key)
        if direction not in SORT_DIRS:
            raise _invalid('Invalid sort direction: %s' % direction)
    if len({key for key, _ in pairs}) != len(pairs):
        raise _invalid('A sort key may appear only once')

    for key in ('created_at', 'id'):
        if key not in [name for name, _ in pairs]:
            pairs.append((key, 'desc'))
    return pairs


def _visibility(query, value):
    if value not in VISIBILITIES:
        raise _invalid('Invalid visibility value: %s' % value)
    if value in ('public', 'private'):
        query.visibility = value
    elif value in ('shared', 'community'):
        # NOTE: images are never shared with other projects here.
        query.empty = True


def _limit(value):
    return min(_non_negative('limit', value), CONF.api.max_limit)


def parse(params):
    """Build the ListQuery of a request's query parameters.

    :param params: the request's ``GET`` multidict.
    :raises BadRequest: a value that Glance would refuse too.
    """
    query = ListQuery(sort=_sort(params))

    if 'limit' in params:
        query.limit = _limit(params['limit'])
    query.marker = params.get('marker')

    for name in ('id', 'name', 'owner', 'disk_format', 'container_format'):
        if name in params:
            setattr(query, name + 's', split_values(params[name]))
    if 'status' in params:
        query.statuses = _statuses(params['status'])
    if 'visibility' in params:
        _visibility(query, params['visibility'])

    for name in ('size_min', 'size_max'):
        if name in params:
            setattr(query, name, _non_negative(name, params[name]))
    for name in ('created_at', 'updated_at'):
        for value in params.getall(name):
            query.times.append(_time_filter(name, value))

    # NOTE: no image here is protected, hidden, tagged or shared.
    for name in ('protected', 'os_hidden'):
        if name in params and _boolean(name, params[name]):
            query.empty = True
    if params.getall('tag'):
        query.empty = True
    if params.get('member_status', 'all') not in MEMBER_STATUSES:
        raise _invalid('Invalid member_status value: %s'
                       % params['member_status'])

    for name, value in params.items():
        if name not in RESERVED:
            query.properties[name] = value
    return query
