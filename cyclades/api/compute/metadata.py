"""Metadata of servers and of images: the collection and its items.

Both resources offer the same six operations with the same rules, so
one controller serves them, over a store that knows the resource:

- ``get_metadata(context, id)`` → dict
- ``update_metadata(context, id, items, replace=False)`` → the new dict
- ``delete_metadata_item(context, id, key)``

``POST`` merges (named keys overwritten, others kept) and ``PUT``
replaces everything; both answer with the whole metadata, with the
status the dialect's view module gives as ``METADATA_CHANGE_STATUS``.
"""

from cyclades.api.compute.schemas import server_metadata as schemas
from cyclades.api import validation
from cyclades.api import wsgi
from cyclades import conf
from cyclades import exception

CONF = conf.CONF


def item_from_body(body, key):
    """The value an item request sets for ``key``.

    :raises BadRequest: not exactly one of ``meta`` and ``metadata``, not
        one item, or not the key of the URL.
    """
    names = [name for name in schemas.ITEM_NAMES if name in body]
    if len(names) != 1:
        raise exception.BadRequest('The body must hold "meta" (or '
                                   '"metadata"), and only one of them')
    name = names[0]
    validation.validate(schemas.ITEM_VALUE, body[name], name)

    item = body[name]
    if len(item) != 1:
        raise exception.BadRequest('%s must hold exactly one item, not %d'
                                   % (name, len(item)))
    (body_key, value), = item.items()
    if body_key != key:
        raise exception.BadRequest('The key in the body, %r, differs from '
                                   'the key in the URL, %r'
                                   % (body_key, key))
    return value


class MetadataController:
    """Handlers of <resource>/<id>/metadata.

    :param store: the compute-layer API of the resource (see above).
    :param views: the dialect's view module of the resource.
    :param parse_id: turns the id in the URL into the store's id.
    """

    def __init__(self, store, views, parse_id):
        self.store = store
        self.views = views
        self.parse_id = parse_id

    def index(self, req, resource_id):
        items = self.store.get_metadata(req.context,
                                        self.parse_id(resource_id))
        return wsgi.Result(self.views.metadata(items))

    def _change(self, req, resource_id, replace):
        resource_id = self.parse_id(resource_id)
        validation.validate(
            schemas.collection(CONF.api.max_metadata_items),
            req.body_json)

        items = self.store.update_metadata(
            req.context, resource_id, req.body_json['metadata'],
            replace=replace)
        return wsgi.Result(self.views.metadata(items),
                           status=self.views.METADATA_CHANGE_STATUS)

    def merge(self, req, resource_id):
        return self._change(req, resource_id, replace=False)

    def replace(self, req, resource_id):
        return self._change(req, resource_id, replace=True)

    def show(self, req, resource_id, key):
        items = self.store.get_metadata(req.context,
                                        self.parse_id(resource_id))
        if key not in items:
            raise exception.MetadataItemNotFound(key=key)
        return wsgi.Result(self.views.meta_item(key, items[key]))

    def update(self, req, resource_id, key):
        resource_id = self.parse_id(resource_id)
        value = item_from_body(req.body_json, key)

        self.store.update_metadata(req.context, resource_id, {key: value})
        return wsgi.Result(self.views.meta_item(key, value),
                           status=self.views.METADATA_CHANGE_STATUS)

    def delete(self, req, resource_id, key):
        self.store.delete_metadata_item(req.context,
                                        self.parse_id(resource_id), key)
        return wsgi.Result(status=204)


def routes(path, controller, resource_id=None):
    """The routes of a metadata collection at ``path``.

    :param path: ends in ``/{resource_id}/metadata``.
    :param resource_id: the Routes requirement for the resource's ids.
    """
    requirements = {'resource_id': resource_id} if resource_id else {}
    return [
        wsgi.Route(path, {'GET': controller.index,
                          'POST': controller.merge,
                          'PUT': controller.replace},
                   requirements=requirements),
        wsgi.Route(path + '/{key}', {'GET': controller.show,
                                     'PUT': controller.update,
                                     'DELETE': controller.delete},
                   requirements=requirements),
    ]
