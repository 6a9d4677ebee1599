"""The route table of the image service.

Paths are relative to the service root (``/image``).  The version
documents need no token; everything under ``/v2`` does.  Other paths
and methods get the shared router's 400 answers; Glance would answer an
unknown path with 404, but no client depends on the difference.
"""

from cyclades.api.image import images
from cyclades.api.image import schemas
from cyclades.api.image import versions
from cyclades.api import wsgi


def routes():
    versions_controller = versions.VersionsController()
    images_controller = images.ImagesController()
    schemas_controller = schemas.SchemasController()
    return [
        # NOTE: '' is the service root without its slash (``/image``).
        wsgi.Route('', {'GET': versions_controller.choices}, public=True),
        wsgi.Route('/', {'GET': versions_controller.choices}, public=True),
        wsgi.Route('/versions', {'GET': versions_controller.index},
                   public=True),
        wsgi.Route('/v2', {'GET': versions_controller.index}, public=True),
        wsgi.Route('/v2/images', {'GET': images_controller.index}),
        wsgi.Route('/v2/images/{image_id}',
                   {'GET': images_controller.show}),
        wsgi.Route('/v2/schemas/image', {'GET': schemas_controller.image}),
        wsgi.Route('/v2/schemas/images',
                   {'GET': schemas_controller.images}),
    ]


def app_factory(global_conf, **local_conf):
    """Paste factory of the image service application."""
    return wsgi.Router(routes())
