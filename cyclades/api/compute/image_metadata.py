"""Image metadata: the six operations of /images/<id>/metadata."""

from cyclades.api.compute import images
from cyclades.api.compute.schemas import server_metadata as schemas
from cyclades.api import validation
from cyclades.api import wsgi
from cyclades import conf
from cyclades import exception

CONF = conf.CONF


def item_from_body(body, key):
    """The value an item body sets for ``key``.

    :raises BadRequest: not one item, or not the key of the URL.
    """
    present = [name for name in schemas.ITEM_NAMES
               if name in body]
    if len(present) != 1:
        raise exception.BadRequest(
            'The body must hold exactly one of "meta" or "metadata"')
    name = present[0]

    item = body[name]
    validation.validate(schemas.ITEM_VALUE, item, name)
    if len(item) != 1:
        raise exception.BadRequest('%s must hold exactly one item, not %d'
                                   % (name, len(item)))
    (item_key, value), = item.items()
    if item_key != key:
        raise exception.BadRequest(
            'The key in the body (%s) does not match the URL (%s)'
            % (item_key, key))
    return value


class ImageMetadataController:
    """Handlers of /images/<id>/metadata.

    :param views: the image view module of the dialect.
    """

    def __init__(self, image_api, views):
        self.image_api = image_api
        self.views = views

    def index(self, req, image_id):
        meta = self.image_api.metadata(req.context,
                                       images.parse_image_id(image_id))
        return wsgi.Result(self.views.metadata(meta))

    def update(self, req, image_id):
        return self._write(req, image_id, replace=False)

    def replace(self, req, image_id):
        return self._write(req, image_id, replace=True)

    def _write(self, req, image_id, replace):
        image_id = images.parse_image_id(image_id)
        validation.validate(
            schemas.collection(CONF.api.max_metadata_items),
            req.body_json)

        meta = self.image_api.update_metadata(
            req.context, image_id, req.body_json['metadata'],
            replace=replace)
        return wsgi.Result(self.views.metadata(meta),
                           status=self.views.METADATA_WRITE_STATUS)

    def show(self, req, image_id, key):
        value = self.image_api.metadata_item(
            req.context, images.parse_image_id(image_id), key)
        return wsgi.Result(self.views.meta_item(key, value))

    def update_item(self, req, image_id, key):
        image_id = images.parse_image_id(image_id)
        value = item_from_body(req.body_json, key)

        self.image_api.update_metadata(req.context, image_id, {key: value})
        return wsgi.Result(self.views.meta_item(key, value),
                           status=self.views.METADATA_WRITE_STATUS)

    def delete_item(self, req, image_id, key):
        self.image_api.delete_metadata_item(
            req.context, images.parse_image_id(image_id), key)
        return wsgi.Result(status=204)


def routes(prefix, controller):
    """The routes of /images/<id>/metadata under ``prefix``."""
    path = prefix + '/images/{image_id}/metadata'
    return [
        wsgi.Route(path, {'GET': controller.index,
                          'POST': controller.update,
                          'PUT': controller.replace}),
        wsgi.Route(path + '/{key}', {'GET': controller.show,
                                     'PUT': controller.update_item,
                                     'DELETE': controller.delete_item}),
    ]
