"""The compute API inside the API process: rules, state and casts.

Controllers of both dialects call this module; it owns every rule of
what may happen to a server, writes the database and casts the work to
the compute host.  Nothing here knows about HTTP or body shapes.
"""

import dataclasses
import datetime
import logging

from cyclades.compute import rpcapi
from cyclades.compute import scheduler
from cyclades import conf
from cyclades.db import api as db_api
from cyclades.db.session import transaction
from cyclades import exception
from cyclades import messaging
from cyclades.network import connections
from cyclades import quota
from cyclades import utils

LOG = logging.getLogger(__name__)
CONF = conf.CONF

#: Metadata keys an image passes on to the servers made from it.
INHERITED_IMAGE_METADATA = ('OS', 'USERS')


@dataclasses.dataclass(frozen=True)
class Attachment:
    """A server's connection to a network: one port and its addresses.

    :param ip_type: 'fixed', or 'floating' for a floating IP's port.
    """

    id: str
    network_id: str
    mac_address: str
    firewall_profile: str = 'DISABLED'
    ipv4: str = ''
    ipv6: str = ''
    ip_type: str = 'fixed'
    #: The network's name, which the OpenStack dialect keys addresses
    #: by; empty for an unnamed network.
    network_name: str = ''


def poll_horizon(context=None):
    """The oldest deletion a client may still see; None when the
    caller sees no deleted server (``context.read_deleted``).
    """
    if context is not None and not context.read_deleted:
        return None
    return utils.utcnow() - datetime.timedelta(seconds=CONF.api.poll_limit)


class API:
    """Server operations for one process, over one message transport."""

    def __init__(self, transport=None):
        self._transport = transport
        self._rpc = None
        self.connections = connections.Connections()

    @property
    def rpc(self):
        # The transport is made on first use so that building the WSGI
        # application never needs the broker, and forked workers each
        # get their own connections.
        if self._rpc is None:
            if self._transport is None:
                self._transport = messaging.Transport()
            self._rpc = rpcapi.ComputeAPI(self._transport)
        return self._rpc

    # Reading

    def get(self, context, server_id):
        """A server of the caller's project, deleted ones for a while."""
        with transaction() as session:
            server = db_api.server_get(session, server_id,
                                       context.project_id,
                                       deleted_since=poll_horizon(context))
            latest = db_api.server_latest_diagnostics(session, [server.id])
        return server, latest

    def list(self, context, filters=None, marker=None, limit=None,
             changes_since=None):
        """Servers of the caller's project and their newest diagnostics.

        The cost is a fixed number of queries whatever the count.

        :param marker: list the servers after this id, which must be one
            of the project's, deleted or not.
        :raises Invalid: the marker names no server of the project.
        """
        with transaction() as session:
            if marker is not None and not db_api.server_exists(
                    session, marker, context.project_id):
                raise exception.Invalid(reason='marker %s not found'
                                        % marker)
            servers = db_api.server_list(
                session, context.project_id, filters=filters,
                marker=marker, limit=limit, changes_since=changes_since)
            latest = db_api.server_latest_diagnostics(
                session, [server.id for server in servers])
        return servers, latest

    def diagnostics(self, context, server_id):
        with transaction() as session:
            db_api.server_get(session, server_id, context.project_id,
                              deleted_since=poll_horizon(context))
            return db_api.diagnostic_list(session, server_id)

    def latest_errors(self, context, server_ids):
        """Map server id → its newest ERROR diagnostics entry.

        :param server_ids: servers the caller was already shown.
        """
        with transaction() as session:
            return db_api.server_latest_diagnostics(session, server_ids,
                                                    level='ERROR')

    def attachments(self, context, server_ids):
        """Map server id → its ``Attachment`` list, for many servers.

        Servers without a connection are left out of the map.  One
        query reads the ports of all the servers.
        """
        if not server_ids:
            return {}
        with transaction() as session:
            nics = connections.nics(session, server_ids)
        return {server_id: [Attachment(
            id=nic.id, network_id=nic.network_id,
            mac_address=nic.mac_address,
            firewall_profile=nic.firewall_profile, ipv4=nic.ipv4,
            ipv6=nic.ipv6, ip_type=nic.ip_type,
            network_name=nic.network_name)
            for nic in items] for server_id, items in nics.items()}

    def server_attachments(self, context, server_id):
        """The connections of a live server.

        :raises ServerNotFound, InvalidState: the server is deleted.
        """
        with transaction() as session:
            server = db_api.server_get(session, server_id,
                                       context.project_id,
                                       deleted_since=poll_horizon(context))
        if server.deleted:
            raise self._deleted(server_id)
        return self.attachments(context, [server_id]).get(server_id, [])

    # Changing

    @staticmethod
    def _deleted(server_id):
        return exception.InvalidState(
            message='Server %s is deleted' % server_id)

    def _touch_live_server(self, session, context, server_id, **values):
        """Bump ``updated`` (and set ``values``) of a live server.

        On PostgreSQL and MySQL the update also locks the row until the
        transaction ends, which keeps concurrent changes in order.

        :raises ServerNotFound, InvalidState: the server is deleted.
        """
        if db_api.server_update_if(
                session, server_id,
                {'project_id': context.project_id, 'deleted': False},
                **values):
            return
        db_api.server_get(session, server_id, context.project_id,
                          deleted_since=poll_horizon(context))
        raise self._deleted(server_id)

    def rename(self, context, server_id, name):
        """Rename a server that is not deleted; return it."""
        with transaction(writer=True) as session:
            self._touch_live_server(session, context, server_id, name=name)
        LOG.debug('Server %s renamed', server_id)
        server, _latest = self.get(context, server_id)
        return server

    def get_metadata(self, context, server_id):
        """A server's metadata; a deleted server's too, for a while."""
        with transaction() as session:
            db_api.server_get(session, server_id, context.project_id,
                              deleted_since=poll_horizon(context))
            return db_api.server_metadata_get(session, server_id)

    def update_metadata(self, context, server_id, items, replace=False):
        """Merge ``items`` into the metadata, or replace it with them.

        The limit applies to what the server ends up with, so repeated
        merges cannot grow it without bound; the keys an image passes on
        are not counted, as on create.

        :returns: the whole metadata after the change.
        :raises ServerNotFound, InvalidState, OverLimit:
        """
        with transaction(writer=True) as session:
            self._touch_live_server(session, context, server_id)

            result = ({} if replace
                      else db_api.server_metadata_get(session, server_id))
            result.update(items)
            self._check_metadata_limit(result)

            db_api.server_metadata_set(session, server_id, items,
                                       replace=replace)
        return result

    @staticmethod
    def _check_metadata_limit(metadata):
        counted = [key for key in metadata
                   if key not in INHERITED_IMAGE_METADATA]
        limit = CONF.api.max_metadata_items
        if len(counted) > limit:
            raise exception.OverLimit(
                'Too many metadata items',
                details='server metadata: limit %d, asked %d'
                        % (limit, len(counted)))

    def delete_metadata_item(self, context, server_id, key):
        """:raises ServerNotFound, InvalidState, MetadataItemNotFound:"""
        with transaction(writer=True) as session:
            self._touch_live_server(session, context, server_id)
            if not db_api.server_metadata_delete(session, server_id, key):
                raise exception.MetadataItemNotFound(key=key)

    # Creating

    def create(self, context, name, image_id, flavor_id, metadata=None,
               personality=None, project_id=None, key_name=None,
               networks=None):
        """Record a new server, pick its host and cast the build.

        :param networks: the connections asked for, each a dict with
            ``uuid`` (and maybe ``fixed_ip``) or ``port``; None for the
            default ones.
        :returns: (server, its newest diagnostics entry, admin_pass); the
            password itself is never stored.
        :raises FlavorNotFound, Forbidden, ImageNotFound, Invalid,
            NetworkNotFound, OverLimit, PortNotFound:
        :raises Conflict: an address or port asked for is taken, or a
            network has no free address.
        :raises ServiceUnavailable: no public network has a free
            address for the default connection.
        """
        metadata = dict(metadata or {})
        project_id = project_id or context.project_id
        admin_pass = utils.generate_password()
        # Hashed before the transaction, which holds the project's
        # quota lock: other requests of the project wait for it.
        admin_pass_hash = utils.hash_password(
            admin_pass, iterations=utils.GENERATED_PASSWORD_ITERATIONS)

        with transaction(writer=True) as session:
            flavor = self._usable_flavor(session, flavor_id)
            image = self._usable_image(session, image_id,
                                       context.project_id)
            self._check_membership(session, context, project_id)
            charges = quota.server_charges(flavor, running=True)
            quota.charge(session, project_id, charges)
            requests = self.connections.plan(session, project_id,
                                             networks)

            for key in INHERITED_IMAGE_METADATA:
                if key in image.meta and key not in metadata:
                    metadata[key] = image.meta[key]

            try:
                host = scheduler.select_host(session, flavor)
            except exception.NoValidHost as exc:
                host, reason = None, exc.message
                # It is checked as any other, but a server that no host
                # builds holds nothing, as after a failed build.
                quota.charge(session, project_id,
                             quota.difference({}, charges))
                charges = {}

            server = db_api.server_create(
                session, name=name, project_id=project_id,
                user_id=context.user_id, flavor_id=flavor.id,
                image_id=image.id, host=host, key_name=key_name,
                status='BUILD' if host else 'ERROR',
                task_state='BUILDING' if host else '',
                admin_pass_hash=admin_pass_hash, quota_charges=charges,
                metadata=metadata)
            server_id = server.id
            db_api.diagnostic_add(server_id, 'INFO', 'api',
                                  'Server creation requested',
                                  session=session)
            # In the same transaction: a create that fails from here on
            # leaves no port and no address taken.
            self.connections.connect(session, server_id, project_id,
                                     requests)
            if host is None:
                LOG.warning('Server %s has no host: %s', server_id, reason)
                db_api.diagnostic_add(server_id, 'ERROR', 'scheduler',
                                      'No compute host can take the '
                                      'server', reason, session=session)

        if host is not None:
            self.cast_or_fail(
                server_id, lambda: self.rpc.build_server(
                    context, host, server_id, admin_pass), charges={})

        # Read back in the project it was made for, which may not be the
        # token's.
        with transaction() as session:
            server = db_api.server_get(session, server_id, project_id)
            latest = db_api.server_latest_diagnostics(session, [server_id])
        return server, latest.get(server_id), admin_pass

    def _usable_flavor(self, session, flavor_id):
        flavor = db_api.flavor_get(session, flavor_id)
        if flavor.deleted:
            raise exception.FlavorNotFound()
        if not flavor.allow_create:
            raise exception.Forbidden(
                reason='flavor %s cannot be used for new servers'
                       % flavor.name)
        return flavor

    def _usable_image(self, session, image_id, project_id):
        image = db_api.image_get(session, image_id, project_id)
        if image.deleted:
            raise exception.ImageNotFound()
        if image.status != 'ACTIVE':
            raise exception.Invalid(reason='image %s is %s, not ACTIVE'
                                    % (image.id, image.status))
        return image

    def _check_membership(self, session, context, project_id):
        if project_id == context.project_id:
            return
        if db_api.membership_get(session, context.user_id,
                                 project_id) is None:
            raise exception.Invalid(reason='you are not a member of '
                                           'project %s' % project_id)

    def cast_or_fail(self, server_id, send, charges=None):
        """Send a cast; if the broker is gone, put the server in ERROR.

        :param charges: what the server holds of its quota in ERROR;
            None leaves what it holds.
        """
        try:
            send()
        except exception.MessagingError as exc:
            LOG.error('Could not reach the compute host of server %s: %s',
                      server_id, exc)
            with transaction(writer=True) as session:
                if (db_api.server_update_if(session, server_id,
                                            {'deleted': False},
                                            status='ERROR', task_state='')
                        and charges is not None):
                    quota.set_charges_of(session, server_id, charges,
                                         force=True)
                db_api.diagnostic_add(server_id, 'ERROR', 'api',
                                      'Message broker unreachable',
                                      exc.message, session=session)
            raise

    # Deleting

    def delete(self, context, server_id):
        """Start deleting a server, in whatever state it is.

        A server with no live host is marked deleted at once: nothing on
        any hypervisor needs cleaning.
        """
        with transaction(writer=True) as session:
            server = db_api.server_get(session, server_id,
                                       context.project_id,
                                       deleted_since=poll_horizon(context))
            if server.deleted:
                raise exception.InvalidState(
                    message='Server %s is already deleted' % server_id)

            host = server.host
            if host and not db_api.host_is_alive(
                    session, host, CONF.compute.service_down_time):
                LOG.warning('Host %s of server %s is down; deleting the '
                            'record only', host, server_id)
                db_api.diagnostic_add(
                    server_id, 'WARNING', 'api',
                    'Compute host %s is down; the server was removed '
                    'from the records only' % host, session=session)
                host = None

            # A deleting server holds nothing; its usage is released
            # with the request, and its ports and addresses too.
            if host is None:
                if db_api.server_mark_deleted(session, server_id):
                    quota.set_server_charges(session, server, {})
                    connections.disconnect(session, server_id)
                return

            held = {}
            if db_api.server_update_if(session, server_id,
                                       {'deleted': False},
                                       task_state='DESTROYING'):
                held = quota.set_server_charges(session, server, {})
                connections.disconnect(session, server_id)
            db_api.diagnostic_add(server_id, 'INFO', 'api',
                                  'Server deletion requested',
                                  session=session)

        # Should the host never hear of it, the server stays, and holds
        # again what it held.
        self.cast_or_fail(server_id, lambda: self.rpc.delete_server(
            context, host, server_id), charges=held)
