"""Servers: list, create, show, rename, delete, diagnostics."""

import base64
import binascii
import logging

from cyclades.api.compute.schemas import servers as schemas
from cyclades.api import validation
from cyclades.api import wsgi
from cyclades import conf
from cyclades import exception

LOG = logging.getLogger(__name__)
CONF = conf.CONF


def parse_server_id(value):
    """Server ids are digit strings; anything else names no server."""
    if not value.isdigit():
        raise exception.ServerNotFound(server_id=value)
    return int(value)


def parse_flavor_ref(value):
    text = str(value).rstrip('/').rsplit('/', 1)[-1]
    if not text.isdigit():
        raise exception.FlavorNotFound()
    return int(text)


def parse_image_ref(value):
    return value.rstrip('/').rsplit('/', 1)[-1]


def check_personality(personality):
    """Validate files to inject: shape, base64 and decoded size."""
    validation.validate(schemas.PERSONALITY, personality,
                        'server.personality')
    for index, item in enumerate(personality):
        try:
            data = base64.b64decode(item['contents'], validate=True)
        except (binascii.Error, ValueError):
            raise exception.BadRequest(
                'Invalid server.personality.%d.contents: not base64'
                % index)
        if len(data) > schemas.MAX_PERSONALITY_SIZE:
            raise exception.OverLimit(
                'Personality file %s is %d bytes; the limit is %d'
                % (item['path'], len(data), schemas.MAX_PERSONALITY_SIZE))


class ServersController:
    """Handlers of /servers.

    :param views: the view module of the dialect, which shapes bodies.
    """

    def __init__(self, compute_api, views):
        self.compute_api = compute_api
        self.views = views

    def index(self, req):
        servers, _latest = self.compute_api.list(req.context)
        return wsgi.Result({'servers': [self.views.basic(req, server)
                                        for server in servers]})

    def detail(self, req):
        servers, latest = self.compute_api.list(req.context)
        return wsgi.Result({'servers': [
            self.views.detail(req, server, latest.get(server.id))
            for server in servers]})

    def show(self, req, server_id):
        server, latest = self.compute_api.get(req.context,
                                              parse_server_id(server_id))
        return wsgi.Result({'server': self.views.detail(
            req, server, latest.get(server.id))})

    def create(self, req):
        body = req.body_json
        validation.validate(schemas.CREATE_BASE, body)
        server_body = body['server']

        personality = server_body.get('personality', [])
        check_personality(personality)
        metadata = server_body.get('metadata', {})
        validation.validate(schemas.metadata(CONF.api.max_metadata_items),
                            metadata, 'server.metadata')

        server, latest, admin_pass = self.compute_api.create(
            req.context, name=server_body['name'],
            image_id=parse_image_ref(server_body['imageRef']),
            flavor_id=parse_flavor_ref(server_body['flavorRef']),
            metadata=metadata, personality=personality,
            project_id=server_body.get('project'),
            key_name=server_body.get('key_name'))

        view = self.views.detail(req, server, latest)
        view['adminPass'] = admin_pass
        return wsgi.Result({'server': view}, status=202,
                           headers={'Location': view['links'][0]['href']})

    def delete(self, req, server_id):
        self.compute_api.delete(req.context, parse_server_id(server_id))
        return wsgi.Result(status=204)

    def diagnostics(self, req, server_id):
        entries = self.compute_api.diagnostics(req.context,
                                               parse_server_id(server_id))
        # The contract's diagnostics are a bare JSON list, which has no
        # XML form.
        return wsgi.Result([self.views.diagnostic(entry) for entry in entries],
                           fmt='json')


def routes(prefix, controller, server_id):
    """The routes of /servers under ``prefix``.

    :param server_id: the Routes requirement for server ids.
    """
    ids = {'server_id': server_id}
    return [
        wsgi.Route(prefix + '/servers',
                   {'GET': controller.index, 'POST': controller.create}),
        wsgi.Route(prefix + '/servers/detail', {'GET': controller.detail}),
        wsgi.Route(prefix + '/servers/{server_id}',
                   {'GET': controller.show, 'DELETE': controller.delete},
                   requirements=ids),
        wsgi.Route(prefix + '/servers/{server_id}/diagnostics',
                   {'GET': controller.diagnostics}, requirements=ids),
    ]
