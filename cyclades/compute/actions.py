"""Server actions inside the API process: what may happen, and when.

An action checks the server's state against the table in ``states``,
claims the server for its task with a compare-and-swap (so that of two
racing requests exactly one wins), records a diagnostics entry and casts
the work to the server's compute host, which clears the task when done.

A host that is down (no heartbeat within ``[compute]
service_down_time``) does not make the request fail: the action is
answered as accepted, nothing is claimed, and a diagnostics entry says
that the host could not do it.  A broker that cannot be reached undoes
the claim and answers 503.  Either way no task stays pending.
"""

import logging

from cyclades.compute import api as compute_api
from cyclades.compute import states
from cyclades import conf
from cyclades.db import api as db_api
from cyclades.db import models
from cyclades.db.session import transaction
from cyclades import exception
from cyclades.network import connections
from cyclades import quota
from cyclades import utils

LOG = logging.getLogger(__name__)
CONF = conf.CONF

SOURCE = 'api'

#: Consoles a compute host can open.
CONSOLE_TYPES = ('vnc',)

#: Firewall profiles a server's port can have.
FIREWALL_PROFILES = ('ENABLED', 'DISABLED', 'PROTECTED')


def check_state(server, needs, action, allow_error=False):
    """Raise the fault the contract gives when ``server`` may not act.

    :param needs: the statuses the action needs; empty for any.
    :param action: how messages name the action.
    :param allow_error: the action may run on a server in ERROR.
    :raises InvalidState: deleted, in ERROR, busy or in another status.
    :raises BuildInProgress: the server is still being built.
    """
    if server.deleted:
        raise exception.InvalidState(
            message='Server %s is deleted' % server.id)
    if (server.status == states.BUILD
            or server.task_state == states.BUILDING.name):
        raise exception.BuildInProgress()
    if server.status == states.ERROR and not allow_error:
        raise exception.InvalidState(
            message='Server %s is in ERROR; %s is not possible'
                    % (server.id, action))
    if server.task_state:
        raise exception.InvalidState(
            message='Server %s has a pending task: %s'
                    % (server.id, server.task_state))
    if needs and server.status not in needs:
        raise exception.InvalidState(
            message='Server %s is %s; %s needs %s'
                    % (server.id, server.status, action,
                       ' or '.join(sorted(needs))))


def _running_charges(running):
    """The ``charges`` of an action that leaves a server running or
    not, on its flavor.
    """
    return lambda session, server, _: quota.server_charges(server.flavor,
                                                           running)


class ActionAPI:
    """The actions of the compute API, over its transport.

    :param compute: the ``compute.api.API`` of the process, whose RPC
        client sends the casts and calls.
    """

    def __init__(self, compute):
        self.compute = compute

    # Power

    def start(self, context, server_id):
        """:raises OverLimit: the project has no cpu or ram left."""
        self._act(context, server_id, states.STARTING,
                  lambda host, _: self.compute.rpc.start_server(
                      context, host, server_id),
                  charges=_running_charges(True))

    def stop(self, context, server_id):
        self._act(context, server_id, states.STOPPING,
                  lambda host, _: self.compute.rpc.stop_server(
                      context, host, server_id),
                  charges=_running_charges(False))

    def reboot(self, context, server_id, hard=False):
        """:raises OverLimit: the server is stopped and the project has
            no cpu or ram left to run it.
        """
        task = states.REBOOTING_HARD if hard else states.REBOOTING
        self._act(context, server_id, task,
                  lambda host, _: self.compute.rpc.reboot_server(
                      context, host, server_id, hard),
                  charges=_running_charges(True))

    # Resizing

    def resize(self, context, server_id, flavor_id):
        """Start moving a server to another flavor.

        :raises FlavorNotFound: no such flavor, or a deleted one.
        :raises Invalid: the same flavor, or one with a smaller disk.
        :raises OverLimit: the project has no room for the difference.
        """
        def check_flavor(session, server):
            flavor = db_api.flavor_get(session, flavor_id)
            if flavor.deleted:
                raise exception.FlavorNotFound()
            if flavor.id == server.flavor_id:
                raise exception.Invalid(
                    reason='server %s already has flavor %s'
                           % (server.id, flavor.id))
            if flavor.disk < server.flavor.disk:
                raise exception.Invalid(
                    reason='flavor %s has a smaller disk (%s GiB) than '
                           'the server (%s GiB)'
                           % (flavor.id, flavor.disk, server.flavor.disk))
            return flavor.id

        def new_size(session, server, new_flavor):
            return quota.server_charges(
                db_api.flavor_get(session, new_flavor), server.powered_on)

        self._act(context, server_id, states.RESIZING,
                  lambda host, new_flavor: self.compute.rpc.resize_server(
                      context, host, server_id, new_flavor),
                  prepare=check_flavor, charges=new_size)

    def confirm_resize(self, context, server_id):
        """Keep the new flavor; nothing on the host needs to change."""
        with transaction(writer=True) as session:
            server = self._get(session, context, server_id)
            self._swap(session, server, [states.VERIFY_RESIZE],
                       'resize confirmation',
                       expected={'powered_on': server.powered_on},
                       **states.resize_confirmed(server.powered_on))
            db_api.diagnostic_add(server_id, 'INFO', SOURCE,
                                  'Resize confirmed', session=session)

    def revert_resize(self, context, server_id):
        """Go back to the old flavor, giving back what the resize took."""
        def old_size(session, server, _):
            flavor = (db_api.flavor_get(session, server.old_flavor_id)
                      if server.old_flavor_id is not None
                      else server.flavor)
            return quota.server_charges(flavor, server.powered_on)

        self._act(context, server_id, states.REVERTING_RESIZE,
                  lambda host, _: self.compute.rpc.revert_resize(
                      context, host, server_id),
                  charges=old_size)

    # Access

    def console(self, context, server_id, console_type):
        """Ask the server's host for a console, and wait for it.

        :returns: dict with ``type``, ``host``, ``port`` and
            ``password``.
        :raises Invalid: a console type the hosts cannot open.
        :raises ServiceUnavailable: the host is down or failed to open
            it.
        """
        if console_type not in CONSOLE_TYPES:
            raise exception.Invalid(
                reason='console type %s is not supported; use %s'
                       % (console_type, ' or '.join(CONSOLE_TYPES)))

        with transaction(writer=True) as session:
            server = self._get(session, context, server_id)
            check_state(server, [states.ACTIVE], 'a console')
            host = server.host
            if not self._alive(session, host):
                raise exception.ServiceUnavailable(
                    reason='the compute host of server %s is down'
                           % server_id)
            db_api.diagnostic_add(server_id, 'INFO', SOURCE,
                                  'Console requested', session=session)

        try:
            return self.compute.rpc.get_console(context, host, server_id,
                                                console_type)
        except exception.DriverError:
            raise exception.ServiceUnavailable(
                reason='the console of server %s could not be opened'
                       % server_id)

    def change_password(self, context, server_id, admin_pass):
        self._act(context, server_id, states.CHANGING_PASSWORD,
                  lambda host, _: self.compute.rpc.change_password(
                      context, host, server_id, admin_pass))

    def set_firewall_profile(self, context, server_id, nic_id, profile):
        """Set the firewall profile of one of the server's ports.

        The profile is stored on the port and cast to the server's
        host, whose driver applies it.

        :param nic_id: the id of one of the server's ports.
        :raises Invalid: an unknown profile.
        :raises NicNotFound: the server has no such port.
        :raises BuildInProgress, InvalidState: the server is building or
            deleted.
        """
        if profile not in FIREWALL_PROFILES:
            raise exception.Invalid(
                reason='firewall profile %s is not one of %s'
                       % (profile, ', '.join(FIREWALL_PROFILES)))

        with transaction(writer=True) as session:
            server = self._get(session, context, server_id)
            if server.deleted:
                raise exception.InvalidState(
                    message='Server %s is deleted' % server_id)
            if (server.status == states.BUILD
                    or server.task_state == states.BUILDING.name):
                raise exception.BuildInProgress()
            port = connections.server_port(session, server.id, nic_id)

            host = server.host
            if not self._alive(session, host):
                LOG.warning('Host %s of server %s is down; firewall '
                            'profile of port %s not set', host, server_id,
                            port.id)
                db_api.diagnostic_add(
                    server_id, 'WARNING', SOURCE,
                    'Firewall profile of port %s not set: compute host '
                    '%s is down' % (port.id, host), session=session)
                return
            previous, port.firewall_profile = port.firewall_profile, profile
            db_api.diagnostic_add(
                server_id, 'INFO', SOURCE, 'Firewall profile of port %s '
                'set to %s' % (port.id, profile), session=session)

        try:
            self.compute.rpc.set_firewall_profile(context, host, server_id,
                                                  port.id, profile)
        except exception.MessagingError as exc:
            LOG.error('Could not send the firewall profile of port %s: %s',
                      port.id, exc)
            with transaction(writer=True) as session:
                connections.set_firewall_profile(session, port.id, previous,
                                                 expected=profile)
                db_api.diagnostic_add(
                    server_id, 'ERROR', SOURCE, 'Firewall profile of port '
                    '%s not set: message broker unreachable' % port.id,
                    exc.message, session=session)
            raise

    # Ownership and images

    def reassign(self, context, server_id, project_id):
        """Move a server, and what it holds, to another project of the
        caller's.

        :raises Invalid: the caller is not a member of that project.
        :raises OverLimit: that project has no room for the server.
        """
        with transaction(writer=True) as session:
            server = self._get(session, context, server_id)
            check_state(server, (), 'reassigning', allow_error=True)
            if project_id == server.project_id:
                return
            if db_api.membership_get(session, context.user_id,
                                     project_id) is None:
                raise exception.Invalid(
                    reason='you are not a member of project %s'
                           % project_id)

            # The swap claims the row; the move changes the project.
            # TODO: the server's ports stay in the old project, so its
            # private-network ports and floating IPs are still counted
            # there; moving them needs rules for networks the target
            # project cannot see.
            source = server.project_id
            self._swap(session, server, (), 'reassigning',
                       allow_error=True, expected={'project_id': source})
            quota.move_server(session, server, project_id)
            db_api.diagnostic_add(
                server_id, 'INFO', SOURCE, 'Server reassigned from '
                'project %s to project %s' % (source, project_id),
                session=session)

    def create_image(self, context, server_id, name, metadata=None):
        """Start saving a server's disk as a new private image.

        :returns: the id of the image, SAVING until the host is done.
        """
        def new_image(session, server):
            source = server.image
            image = models.Image(
                name=name, owner_id=context.project_id,
                user_id=context.user_id, public=False, status='SAVING',
                disk_format=source.disk_format,
                container_format=source.container_format,
                min_disk=source.min_disk, min_ram=source.min_ram,
                server_id=server.id)
            image.metadata_items = [
                models.ImageMetadata(key=key, value=value)
                for key, value in (metadata or {}).items()]
            session.add(image)
            session.flush()
            return image.id

        def fail_image(session, image_id):
            image = session.get(models.Image, image_id)
            if image is not None and image.status == 'SAVING':
                image.status = 'ERROR'

        return self._act(
            context, server_id, states.SNAPSHOTTING,
            lambda host, image_id: self.compute.rpc.create_image(
                context, host, server_id, image_id),
            prepare=new_image, abandon=fail_image)

    # The common path

    def _get(self, session, context, server_id):
        return db_api.server_get(session, server_id, context.project_id,
                                 deleted_since=compute_api.poll_horizon(
                                     context))

    def _alive(self, session, host):
        return bool(host) and db_api.host_is_alive(
            session, host, CONF.compute.service_down_time)

    def _swap(self, session, server, needs, action, allow_error=False,
              expected=None, **values):
        """Change a server that is in a state ``action`` allows.

        :param expected: columns that must also still hold their value.
        :raises Conflict: the server changed between the check and the
            change, to a state that would have allowed it.
        """
        check_state(server, needs, action, allow_error)
        current = {'status': server.status, 'task_state': states.NO_TASK,
                   'deleted': False}
        current.update(expected or {})
        if db_api.server_update_if(session, server.id, current, **values):
            return

        # Another request won the race; its change explains the refusal.
        session.refresh(server)
        check_state(server, needs, action, allow_error)
        raise exception.Conflict(
            reason='server %s changed while the request was handled; '
                   'try again' % server.id)

    def _act(self, context, server_id, task, send, prepare=None,
             abandon=None, charges=None):
        """Claim the server for ``task`` and cast the work to its host.

        :param send: called with the host and what ``prepare``
            returned, to send the cast.
        :param prepare: called with the session and the server once the
            state allows the task, to check or record more; its result
            is returned.
        :param abandon: called with a writer session and what
            ``prepare`` returned when the host will not do the task.
        :param charges: called with the session, the server and what
            ``prepare`` returned; gives what the server holds of its
            quota from the claim on.  The difference is charged with
            the claim, and given back if the cast cannot be sent.
        """
        action = task.label.lower()
        with transaction(writer=True) as session:
            server = self._get(session, context, server_id)
            check_state(server, task.needs, action)
            prepared = prepare(session, server) if prepare else None
            previous, host = server.status, server.host

            if not self._alive(session, host):
                LOG.warning('Host %s of server %s is down; %s not done',
                            host, server_id, action)
                db_api.diagnostic_add(
                    server_id, 'WARNING', SOURCE,
                    '%s not done: compute host %s is down'
                    % (task.label, host), session=session)
                if abandon is not None:
                    abandon(session, prepared)
                return prepared

            self._swap(session, server, task.needs, action,
                       status=task.pending or previous,
                       task_state=task.name,
                       task_started_at=utils.utcnow())
            held = None
            if charges is not None:
                held = quota.set_server_charges(
                    session, server, charges(session, server, prepared))
            db_api.diagnostic_add(server_id, 'INFO', SOURCE,
                                  '%s requested' % task.label,
                                  session=session)

        try:
            send(host, prepared)
        except exception.MessagingError as exc:
            LOG.error('Could not send the %s of server %s: %s', action,
                      server_id, exc)
            with transaction(writer=True) as session:
                if (db_api.server_update_if(
                        session, server_id, {'task_state': task.name},
                        **states.cleared(status=previous))
                        and held is not None):
                    quota.set_charges_of(session, server_id, held,
                                         force=True)
                db_api.diagnostic_add(
                    server_id, 'ERROR', SOURCE,
                    '%s not done: message broker unreachable'
                    % task.label, exc.message, session=session)
                if abandon is not None:
                    abandon(session, prepared)
            raise

        LOG.info('%s of server %s sent to host %s (request %s)',
                 task.label, server_id, host, context.request_id)
        return prepared
