"""The database queries of the image service.

Listing pages with a marker over any sort order Glance allows: the page
starts right after the marker image in that order (a keyset, not an
offset), so images added or removed between two pages never shift what
the next page holds.
"""

import operator

import sqlalchemy as sa

from cyclades.db import models
from cyclades.db.session import transaction
from cyclades import exception

Image = models.Image

SORT_COLUMNS = {
    'name': Image.name,
    'status': Image.status,
    'container_format': Image.container_format,
    'disk_format': Image.disk_format,
    'size': Image.size,
    'id': Image.id,
    'created_at': Image.created_at,
    'updated_at': Image.updated_at,
    'min_disk': Image.min_disk,
    'min_ram': Image.min_ram,
}

TIME_COLUMNS = {'created_at': Image.created_at,
                'updated_at': Image.updated_at}

TIME_OPERATORS = {'eq': operator.eq, 'neq': operator.ne,
                  'gt': operator.gt, 'gte': operator.ge,
                  'lt': operator.lt, 'lte': operator.le}


def _visible(project_id):
    """Public images and the project's own, deleted ones included."""
    return sa.or_(Image.public == sa.true(), Image.owner_id == project_id)


def get_image(image_id, project_id):
    """Return a live image the project may see.

    :raises ImageNotFound: no such image, deleted, or another project's
        private one.
    """
    with transaction() as session:
        image = session.scalars(sa.select(Image).where(
            Image.id == image_id, Image.deleted == sa.false(),
            _visible(project_id))).first()
    if image is None:
        raise exception.ImageNotFound()
    return image


def _filters(query, project_id):
    conditions = [_visible(project_id), Image.deleted == sa.false()]

    if query.visibility == 'public':
        conditions.append(Image.public == sa.true())
    elif query.visibility == 'private':
        conditions.append(Image.public == sa.false())
    for values, column in ((query.ids, Image.id),
                           (query.names, Image.name),
                           (query.statuses, Image.status),
                           (query.owners, Image.owner_id),
                           (query.disk_formats, Image.disk_format),
                           (query.container_formats,
                            Image.container_format)):
        if values is not None:
            conditions.append(column.in_(sorted(values)))
    if query.size_min is not None:
        conditions.append(Image.size >= query.size_min)
    if query.size_max is not None:
        conditions.append(Image.size <= query.size_max)
    for name, op, value in query.times:
        conditions.append(TIME_OPERATORS[op](TIME_COLUMNS[name], value))

    Meta = models.ImageMetadata
    for key, value in query.properties.items():
        conditions.append(sa.exists().where(
            Meta.image_id == Image.id, Meta.key == key,
            Meta.value == value))
    return conditions


def _after(marker, sort):
    """The condition for images that sort after ``marker``.

    For keys k1..kn this is: k1 beyond the marker's, or k1 equal and k2
    beyond, and so on; "beyond" is greater for asc, less for desc.
    """
    alternatives = []
    equal = []
    for key, direction in sort:
        column = SORT_COLUMNS[key]
        value = getattr(marker, key)
        beyond = column > value if direction == 'asc' else column < value
        alternatives.append(sa.and_(*equal, beyond))
        equal.append(column == value)
    return sa.or_(*alternatives)


def _order(sort):
    return [SORT_COLUMNS[key].asc() if direction == 'asc'
            else SORT_COLUMNS[key].desc() for key, direction in sort]


def list_images(query, project_id):
    """Return a page of the images the project may see, and whether
    more follow it.

    :param query: a ``params.ListQuery``.
    :raises BadRequest: the marker names no image the project may see.
    """
    with transaction() as session:
        conditions = _filters(query, project_id)
        if query.marker is not None:
            marker = session.scalars(sa.select(Image).where(
                Image.id == query.marker, _visible(project_id))).first()
            if marker is None:
                raise exception.BadRequest(
                    'Marker %s not found' % query.marker)
            conditions.append(_after(marker, query.sort))
        if query.empty or query.limit == 0:
            return [], False

        images = list(session.scalars(
            sa.select(Image).where(*conditions)
            .order_by(*_order(query.sort)).limit(query.limit + 1)))
    return images[:query.limit], len(images) > query.limit
