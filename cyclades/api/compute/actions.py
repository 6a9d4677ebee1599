"""Server actions: ``POST /servers/<id>/action``.

The body holds exactly one key, the action, whose value is an object of
arguments, or null for the actions that take none.  Each action is an
entry of an explicit table, so the names a client can send are exactly
the ones listed there.  The rules of what a server may do are the
compute layer's (``cyclades.compute.actions``); this module only reads
bodies and shapes answers.
"""

import dataclasses
import logging
import typing

from cyclades.api.compute import consoles
from cyclades.api.compute.schemas import actions as schemas
from cyclades.api.compute import servers
from cyclades.api import validation
from cyclades.api import wsgi
from cyclades.compute import actions as compute_actions
from cyclades import conf
from cyclades import exception

LOG = logging.getLogger(__name__)
CONF = conf.CONF

REBOOT_TYPES = ('SOFT', 'HARD')

#: Browser consoles os-getVNCConsole offers.
BROWSER_CONSOLE_TYPES = ('novnc',)


@dataclasses.dataclass(frozen=True)
class Action:
    """One entry of the action table.

    :param handler: called with the request, the server id and the
        arguments; returns the ``wsgi.Result``.
    :param schema: the schema of the arguments.
    :param takes_null: null may stand for the arguments.
    """

    handler: typing.Callable
    schema: dict
    takes_null: bool = False


class ActionsController:
    """Handler of /servers/<id>/action.

    :param compute_api: the compute API of the process.
    :param views: the action view module of the dialect, which also
        names the actions the dialect offers (``ACTIONS``).
    :param actions: the compute layer's actions; made from
        ``compute_api`` when not given.
    """

    def __init__(self, compute_api, views, actions=None):
        self.actions = actions or compute_actions.ActionAPI(compute_api)
        self.views = views
        self.table = {
            'start': Action(self.start, schemas.NO_ARGUMENTS, True),
            'os-start': Action(self.start, schemas.NO_ARGUMENTS, True),
            'shutdown': Action(self.stop, schemas.NO_ARGUMENTS, True),
            'os-stop': Action(self.stop, schemas.NO_ARGUMENTS, True),
            'reboot': Action(self.reboot, schemas.REBOOT),
            'resize': Action(self.resize, schemas.RESIZE),
            'confirmResize': Action(self.confirm_resize,
                                    schemas.NO_ARGUMENTS, True),
            'revertResize': Action(self.revert_resize,
                                   schemas.NO_ARGUMENTS, True),
            'console': Action(self.console, schemas.CONSOLE),
            'os-getVNCConsole': Action(self.browser_console,
                                       schemas.CONSOLE),
            'firewallProfile': Action(self.firewall_profile,
                                      schemas.FIREWALL_PROFILE),
            'reassign': Action(self.reassign, schemas.REASSIGN),
            'changePassword': Action(self.change_password,
                                     schemas.CHANGE_PASSWORD),
            'createImage': Action(self.create_image, schemas.CREATE_IMAGE),
        }

    def action(self, req, server_id):
        server_id = servers.parse_server_id(server_id)
        name, arguments = self._parse(req.body_json)

        LOG.debug('Action %s on server %s (request %s)', name, server_id,
                  req.context.request_id)
        return self.table[name].handler(req, server_id, arguments)

    def _parse(self, body):
        """Return the action's name and its checked arguments.

        :raises BadRequest: not exactly one key, an unknown action, or
            arguments that are not what the action takes.
        """
        if len(body) != 1:
            raise exception.BadRequest(
                'The body must hold exactly one action, not %d keys'
                % len(body))
        (name, arguments), = body.items()

        entry = self.table.get(name) if name in self.views.ACTIONS else None
        if entry is None:
            raise exception.BadRequest('Action %s not supported' % name)
        if arguments is None and entry.takes_null:
            return name, {}
        if not isinstance(arguments, dict):
            raise exception.BadRequest(
                'Invalid %s: the arguments must be an object%s'
                % (name, ' or null' if entry.takes_null else ''))
        validation.validate(entry.schema, arguments, name)
        return name, arguments

    # Power

    def start(self, req, server_id, arguments):
        self.actions.start(req.context, server_id)
        return wsgi.Result(status=202)

    def stop(self, req, server_id, arguments):
        self.actions.stop(req.context, server_id)
        return wsgi.Result(status=202)

    def reboot(self, req, server_id, arguments):
        reboot_type = arguments['type'].upper()
        if reboot_type not in REBOOT_TYPES:
            raise exception.BadRequest(
                'Invalid reboot.type %r: use SOFT or HARD'
                % arguments['type'])

        self.actions.reboot(req.context, server_id,
                            hard=reboot_type == 'HARD')
        return wsgi.Result(status=202)

    # Resizing

    def resize(self, req, server_id, arguments):
        flavor_id = servers.parse_flavor_ref(arguments['flavorRef'])
        self.actions.resize(req.context, server_id, flavor_id)
        return wsgi.Result(status=202)

    def confirm_resize(self, req, server_id, arguments):
        self.actions.confirm_resize(req.context, server_id)
        return wsgi.Result(status=204)

    def revert_resize(self, req, server_id, arguments):
        self.actions.revert_resize(req.context, server_id)
        return wsgi.Result(status=202)

    # Access

    def console(self, req, server_id, arguments):
        info = self.actions.console(req.context, server_id,
                                    arguments['type'])
        return wsgi.Result(self.views.console(info))

    def browser_console(self, req, server_id, arguments):
        """A console for a browser: the URL of a page showing where to
        connect a VNC client and its one-time password.
        """
        console_type = arguments['type']
        if console_type not in BROWSER_CONSOLE_TYPES:
            raise exception.BadRequest(
                'Invalid os-getVNCConsole.type %r: use %s'
                % (console_type, ' or '.join(BROWSER_CONSOLE_TYPES)))

        info = self.actions.console(req.context, server_id, 'vnc')
        url = consoles.console_url(req, server_id, info)
        return wsgi.Result(self.views.browser_console(console_type, url))

    def firewall_profile(self, req, server_id, arguments):
        self.actions.set_firewall_profile(req.context, server_id,
                                          str(arguments['nic']),
                                          arguments['profile'])
        return wsgi.Result(status=202)

    def change_password(self, req, server_id, arguments):
        self.actions.change_password(req.context, server_id,
                                     arguments['adminPass'])
        return wsgi.Result(status=202)

    # Ownership and images

    def reassign(self, req, server_id, arguments):
        self.actions.reassign(req.context, server_id,
                              arguments['project'])
        return wsgi.Result(status=200)

    def create_image(self, req, server_id, arguments):
        metadata = arguments.get('metadata', {})
        limit = CONF.api.max_metadata_items
        if len(metadata) > limit:
            raise exception.OverLimit(
                'Too many items in createImage.metadata: the limit is %d'
                % limit)

        image_id = self.actions.create_image(
            req.context, server_id, arguments['name'], metadata)
        return wsgi.Result(status=202, headers={
            'Location': self.views.image_location(req, image_id)})


def routes(prefix, controller, server_id):
    """The route of /servers/<id>/action under ``prefix``.

    :param server_id: the Routes requirement for server ids.
    """
    return [
        wsgi.Route(prefix + '/servers/{server_id}/action',
                   {'POST': controller.action},
                   requirements={'server_id': server_id}),
    ]
