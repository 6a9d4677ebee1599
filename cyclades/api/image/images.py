"""Listing and showing images (``/v2/images``)."""

import logging
import urllib.parse

from cyclades.api.image import params as list_params
from cyclades.api.image import query as image_query
from cyclades.api.image import views
from cyclades.api import wsgi

LOG = logging.getLogger(__name__)

COLLECTION = '/v2/images'


def _link(params):
    if not params:
        return COLLECTION
    return '%s?%s' % (COLLECTION, urllib.parse.urlencode(params))


class ImagesController:

    def index(self, req):
        query = list_params.parse(req.GET)

        images, more = image_query.list_images(query,
                                               req.context.project_id)

        # NOTE: like Glance, the links keep the client's parameters, so
        # a client that follows them keeps its filters and page size.
        kept = [(name, value) for name, value in req.GET.items()
                if name != 'marker']
        next_link = None
        if more:
            next_link = _link(kept + [('marker', images[-1].id)])
        LOG.debug('Listed %d images for project %s', len(images),
                  req.context.project_id)
        return wsgi.Result(views.images_view(images, _link(kept),
                                             next_link), fmt='json')

    def show(self, req, image_id):
        image = image_query.get_image(image_id, req.context.project_id)
        return wsgi.Result(views.image_view(image), fmt='json')
