"""Servers: list, create, show, rename, delete, diagnostics."""

import base64
import binascii
import datetime
import ipaddress
import logging
import re

from cyclades.api.compute.schemas import servers as schemas
from cyclades.api import validation
from cyclades.api import wsgi
from cyclades.compute import states
from cyclades import conf
from cyclades import exception
from cyclades import utils

LOG = logging.getLogger(__name__)
CONF = conf.CONF

#: Largest id the database columns hold; larger ones name nothing.
MAX_ID = 2 ** 31 - 1

_DIGITS = re.compile(r'[0-9]+\Z')
#: A ``+HH:MM`` offset whose ``+`` an unencoded query string turned
#: into a space.
_SPACED_OFFSET = re.compile(r'(T.*) ([0-9]{2}(:?[0-9]{2})?)\Z')


def _parse_id(value):
    """An id of the database, or None when ``value`` cannot be one."""
    text = str(value)
    if not _DIGITS.match(text) or int(text) > MAX_ID:
        return None
    return int(text)


def parse_server_id(value):
    """Server ids are digit strings; anything else names no server."""
    server_id = _parse_id(value)
    if server_id is None:
        raise exception.ServerNotFound(server_id=value)
    return server_id


def parse_flavor_ref(value):
    """A flavor id, or the URL of a flavor, as a number."""
    flavor_id = _parse_id(str(value).rstrip('/').rsplit('/', 1)[-1])
    if flavor_id is None:
        raise exception.FlavorNotFound()
    return flavor_id


def parse_image_ref(value):
    return value.rstrip('/').rsplit('/', 1)[-1]


def parse_changes_since(value):
    """Parse ``changes-since``, which must lie within the poll limit.

    :raises BadRequest: not ISO 8601 with a time zone, in the future, or
        older than ``[api] poll_limit`` seconds.
    """
    text = _SPACED_OFFSET.sub(r'\1+\2', value.strip())
    try:
        since = utils.parse_isotime(text)
    except (ValueError, OverflowError):
        raise exception.BadRequest(
            'Invalid changes-since %r: an ISO 8601 time with a time zone '
            'is expected' % value)

    now = utils.utcnow()
    if since > now:
        raise exception.BadRequest('Invalid changes-since %r: it is in '
                                   'the future' % value)
    if since < now - datetime.timedelta(seconds=CONF.api.poll_limit):
        raise exception.BadRequest(
            'Invalid changes-since %r: it is older than the poll limit of '
            '%d seconds' % (value, CONF.api.poll_limit))
    return since


def _query_id(req, name):
    value = req.GET.get(name)
    if value is None:
        return None
    parsed = _parse_id(value)
    if parsed is None:
        raise exception.BadRequest('Invalid %s %r: a server id is '
                                   'expected' % (name, value))
    return parsed


def page_size(req):
    """The ``limit`` asked for, capped by ``[api] max_limit``."""
    value = req.GET.get('limit')
    if value is None:
        return CONF.api.max_limit
    if not _DIGITS.match(value) or int(value) < 1:
        raise exception.BadRequest('Invalid limit %r: a positive integer '
                                   'is expected' % value)
    return min(int(value), CONF.api.max_limit)


def list_filters(req):
    """The filters of a list request, checked.

    :raises BadRequest: a flavor that is not a flavor id.
    """
    filters = {}
    if req.GET.get('name'):
        filters['name'] = req.GET['name']
    if req.GET.get('status'):
        filters['status'] = req.GET['status'].upper()
    if req.GET.get('image'):
        filters['image_id'] = parse_image_ref(req.GET['image'])
    if req.GET.get('flavor'):
        try:
            filters['flavor_id'] = parse_flavor_ref(req.GET['flavor'])
        except exception.FlavorNotFound:
            raise exception.BadRequest('Invalid flavor %r: a flavor id is '
                                       'expected' % req.GET['flavor'])
    return filters


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


def _network_entry_error(entry):
    """What is wrong with one ``networks`` entry, or None."""
    if not isinstance(entry, dict):
        return 'an object is expected'
    keys = set(entry)
    if keys not in ({'uuid'}, {'uuid', 'fixed_ip'}, {'port'}):
        return ('the fields are "uuid" (with "fixed_ip" maybe) or "port", '
                'not %s' % ', '.join(sorted(repr(k) for k in keys)))
    for key in keys:
        value = entry[key]
        if not isinstance(value, str) or not 0 < len(value) <= 255:
            return '%s must be a non-empty string' % key
    if 'fixed_ip' in entry:
        try:
            ipaddress.ip_address(entry['fixed_ip'])
        except ValueError:
            return 'fixed_ip %r is not an IP address' % entry['fixed_ip']
    return None


def check_networks(networks):
    """Check the shape of each entry; the compute API checks the rest."""
    for index, entry in enumerate(networks):
        error = _network_entry_error(entry)
        if error is not None:
            raise exception.BadRequest('Invalid server.networks.%d: %s'
                                       % (index, error))


def check_boot_options(server_body, image_id):
    """Refuse what OpenStack clients may ask that we cannot do.

    One server is made per request, from its image onto a local disk;
    clients that say so explicitly (``min_count``/``max_count`` of 1, a
    block device mapping of the image to a local disk) are served.
    """
    for name in ('min_count', 'max_count'):
        value = server_body.get(name, 1)
        if isinstance(value, bool) or str(value) != '1':
            raise exception.BadRequest(
                'Invalid server.%s %r: one server is made per request'
                % (name, value))

    devices = server_body.get('block_device_mapping_v2')
    if devices is None:
        return
    validation.validate(schemas.BLOCK_DEVICES, devices,
                        'server.block_device_mapping_v2')
    for index, device in enumerate(devices):
        if device.get('uuid', image_id) != image_id:
            raise exception.BadRequest(
                'Invalid server.block_device_mapping_v2.%d.uuid: only '
                'the image of imageRef can be the disk' % index)


class ServersController:
    """Handlers of /servers.

    :param views: the view module of the dialect, which shapes bodies.
    """

    def __init__(self, compute_api, views):
        self.compute_api = compute_api
        self.views = views

    def _list(self, req):
        """The page of servers a list request asks for.

        :returns: (servers, their newest diagnostics, whether more
            remain).
        :raises NotModified: nothing changed since ``changes-since``.
        """
        filters = list_filters(req)
        marker = _query_id(req, 'marker')
        limit = page_size(req)
        changes_since = None
        if req.GET.get('changes-since') is not None:
            changes_since = parse_changes_since(req.GET['changes-since'])

        # One server more than the page tells whether another page
        # follows, without counting.
        servers, latest = self.compute_api.list(
            req.context, filters=filters, marker=marker, limit=limit + 1,
            changes_since=changes_since)
        more = len(servers) > limit
        servers = servers[:limit]

        if changes_since is not None and not servers:
            raise exception.NotModified()
        return servers, latest, more

    def _errors(self, req, servers):
        """Map server id → newest ERROR entry, of the servers in ERROR."""
        return self.compute_api.latest_errors(
            req.context, [server.id for server in servers
                          if server.status == states.ERROR])

    def _page(self, req, servers, items, more):
        body = {'servers': items}
        if more:
            body['servers_links'] = self.views.next_links(req,
                                                          servers[-1].id)
        return wsgi.Result(body)

    def index(self, req):
        servers, _latest, more = self._list(req)
        return self._page(req, servers, [
            self.views.basic(req, server) for server in servers], more)

    def detail(self, req):
        servers, latest, more = self._list(req)
        attachments = self.compute_api.attachments(
            req.context, [server.id for server in servers])
        errors = self._errors(req, servers)

        return self._page(req, servers, [
            self.views.detail(req, server, latest.get(server.id),
                              attachments.get(server.id, ()),
                              error=errors.get(server.id))
            for server in servers], more)

    def show(self, req, server_id):
        server, latest = self.compute_api.get(req.context,
                                              parse_server_id(server_id))
        attachments = self.compute_api.attachments(req.context, [server.id])
        errors = self._errors(req, [server])

        return wsgi.Result({'server': self.views.detail(
            req, server, latest.get(server.id),
            attachments.get(server.id, ()), error=errors.get(server.id))})

    def create(self, req):
        body = req.body_json
        validation.validate(schemas.CREATE_BASE, body)
        server_body = body['server']

        personality = server_body.get('personality', [])
        check_personality(personality)
        metadata = server_body.get('metadata', {})
        validation.validate(schemas.metadata(CONF.api.max_metadata_items),
                            metadata, 'server.metadata')
        networks = server_body.get('networks')
        check_networks(networks or [])
        image_id = parse_image_ref(server_body['imageRef'])
        check_boot_options(server_body, image_id)

        server, latest, admin_pass = self.compute_api.create(
            req.context, name=server_body['name'], image_id=image_id,
            flavor_id=parse_flavor_ref(server_body['flavorRef']),
            metadata=metadata, personality=personality,
            project_id=server_body.get('project'),
            key_name=server_body.get('key_name'), networks=networks)
        attachments = self.compute_api.attachments(req.context, [server.id])
        errors = self._errors(req, [server])

        view = self.views.created(req, server, admin_pass, latest,
                                  attachments.get(server.id, ()),
                                  error=errors.get(server.id))
        return wsgi.Result({'server': view}, status=202,
                           headers={'Location': view['links'][0]['href']})

    def update(self, req, server_id):
        """Rename; the access addresses clients may send are ignored."""
        server_id = parse_server_id(server_id)
        validation.validate(schemas.RENAME, req.body_json)

        server = self.compute_api.rename(
            req.context, server_id, req.body_json['server']['name'])
        attachments = self.compute_api.attachments(req.context, [server.id])
        errors = self._errors(req, [server])

        return wsgi.Result(
            self.views.renamed(req, server, error=errors.get(server.id),
                               attachments=attachments.get(server.id, ())),
            status=self.views.RENAME_STATUS)

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
                   {'GET': controller.show, 'PUT': controller.update,
                    'DELETE': controller.delete},
                   requirements=ids),
        wsgi.Route(prefix + '/servers/{server_id}/diagnostics',
                   {'GET': controller.diagnostics}, requirements=ids),
    ]
