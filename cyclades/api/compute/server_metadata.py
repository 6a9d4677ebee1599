"""Server metadata: the collection and its items.

``POST`` merges (named keys overwritten, others kept), ``PUT`` replaces
everything; both answer with the whole metadata.  Every change bumps the
server's ``updated``, so changes-since polling sees it.

A deleted server, while it stays visible, can still be read, but any
change answers 400 as renaming it does; after the poll limit it is 404.
"""

import logging

from cyclades.api.compute.schemas import server_metadata as schemas
from cyclades.api.compute import servers
from cyclades.api import validation
from cyclades.api import wsgi
from cyclades import conf
from cyclades import exception

LOG = logging.getLogger(__name__)
CONF = conf.CONF


def item_from_body(body, key):
    """The (key, value) an item request sets.

    :raises BadRequest: not exactly one key, or not the one in the URL.
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
    return key, value


class ServerMetadataController:
    """Handlers of /servers/<id>/metadata.

    :param views: the server view module of the dialect.
    """

    def __init__(self, compute_api, views):
        self.compute_api = compute_api
        self.views = views

    def index(self, req, server_id):
        items = self.compute_api.get_metadata(
            req.context, servers.parse_server_id(server_id))
        return wsgi.Result(self.views.metadata(items))

    def _change(self, req, server_id, replace):
        server_id = servers.parse_server_id(server_id)
        validation.validate(
            schemas.collection(CONF.api.max_metadata_items),
            req.body_json)

        items = self.compute_api.update_metadata(
            req.context, server_id, req.body_json['metadata'],
            replace=replace)
        return wsgi.Result(self.views.metadata(items),
                           status=self.views.METADATA_CHANGE_STATUS)

    def merge(self, req, server_id):
        return self._change(req, server_id, replace=False)

    def replace(self, req, server_id):
        return self._change(req, server_id, replace=True)

    def show(self, req, server_id, key):
        items = self.compute_api.get_metadata(
            req.context, servers.parse_server_id(server_id))
        if key not in items:
            raise exception.MetadataItemNotFound(key=key)
        return wsgi.Result(self.views.meta_item(key, items[key]))

    def update(self, req, server_id, key):
        server_id = servers.parse_server_id(server_id)
        key, value = item_from_body(req.body_json, key)

        self.compute_api.update_metadata(req.context, server_id,
                                         {key: value})
        return wsgi.Result(self.views.meta_item(key, value),
                           status=self.views.METADATA_CHANGE_STATUS)

    def delete(self, req, server_id, key):
        self.compute_api.delete_metadata_item(
            req.context, servers.parse_server_id(server_id), key)
        return wsgi.Result(status=204)


def routes(prefix, controller, server_id):
    """The routes of /servers/<id>/metadata under ``prefix``.

    :param server_id: the Routes requirement for server ids.
    """
    ids = {'server_id': server_id}
    path = prefix + '/servers/{server_id}/metadata'
    return [
        wsgi.Route(path, {'GET': controller.index,
                          'POST': controller.merge,
                          'PUT': controller.replace}, requirements=ids),
        wsgi.Route(path + '/{key}', {'GET': controller.show,
                                     'PUT': controller.update,
                                     'DELETE': controller.delete},
                   requirements=ids),
    ]
