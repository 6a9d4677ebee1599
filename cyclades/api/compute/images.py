"""Images: list, detail, show and delete.

Images are made with the createImage action of a server, or registered
by an operator; ``POST /images`` is not offered.
"""

import uuid

from cyclades.api.compute import servers
from cyclades.api import wsgi
from cyclades import exception


def parse_image_id(value):
    """Image ids are UUIDs; anything else names no image."""
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise exception.ImageNotFound()


def parse_marker(value):
    """The marker is the id of the last image of the previous page."""
    if value is None:
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise exception.BadRequest('Invalid marker %r: not an image id'
                                   % value)


def parse_server_filter(value):
    """A server id, or a server URL ending in one; None if neither."""
    text = value.rstrip('/').rsplit('/', 1)[-1]
    if (not (text.isascii() and text.isdigit())
            or int(text) > servers.MAX_ID):
        return None
    return int(text)


class ImagesController:
    """Handlers of /images.

    :param views: the view module of the dialect, which shapes bodies.
    """

    def __init__(self, image_api, views):
        self.image_api = image_api
        self.views = views

    def index(self, req):
        return self._list(req, self.views.basic)

    def detail(self, req):
        return self._list(req, self.views.detail)

    def _list(self, req, view):
        params = req.GET
        limit = servers.page_size(req)
        marker = parse_marker(params.get('marker'))
        changes_since = None
        if params.get('changes-since') is not None:
            changes_since = servers.parse_changes_since(
                params['changes-since'])
        filters = {'name': params.get('name'),
                   'status': (params.get('status') or '').upper()}
        matches_nothing = False
        if params.get('server'):
            filters['server_id'] = parse_server_filter(params['server'])
            matches_nothing = filters['server_id'] is None

        images = []
        if not matches_nothing:
            # One more than asked tells whether another page remains.
            images = self.image_api.list(
                req.context, filters=filters, marker=marker,
                limit=limit + 1, changes_since=changes_since)
        if changes_since is not None and not images:
            raise exception.NotModified()

        body = {'images': [view(req, image) for image in images[:limit]]}
        if len(images) > limit:
            body['images_links'] = self.views.next_link(
                req, images[limit - 1].id)
        return wsgi.Result(body)

    def show(self, req, image_id):
        image = self.image_api.get(req.context, parse_image_id(image_id))
        return wsgi.Result({'image': self.views.detail(req, image)})

    def delete(self, req, image_id):
        self.image_api.delete(req.context, parse_image_id(image_id))
        return wsgi.Result(status=204)

    def create(self, req):
        raise exception.NotImplementedYet(
            'Images are made with the createImage action of a server')


def routes(prefix, controller):
    """The routes of /images under ``prefix``.

    Any segment may be an image id: a malformed one is an unknown image.
    """
    return [
        wsgi.Route(prefix + '/images',
                   {'GET': controller.index, 'POST': controller.create}),
        wsgi.Route(prefix + '/images/detail', {'GET': controller.detail}),
        wsgi.Route(prefix + '/images/{image_id}',
                   {'GET': controller.show, 'DELETE': controller.delete}),
    ]
