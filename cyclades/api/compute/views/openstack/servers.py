"""How the OpenStack dialect shapes servers, their addresses and
metadata.

Statuses are Nova's: a stopped server is SHUTOFF, and the extended
status fields (``OS-EXT-STS:vm_state``, ``task_state``,
``power_state``) are derived from the same record so that a client
reading either sees one story.
"""

from cyclades.api.compute.views import links
from cyclades.api.compute.views import servers as cyclades_views
from cyclades.compute import states
from cyclades import utils

VERSION = 'v2.1'

#: Statuses of the answers whose code differs between the dialects.
RENAME_STATUS = 200
METADATA_CHANGE_STATUS = 200

#: Nova's disk configuration: the image's partitions are kept as they
#: are.
DISK_CONFIG = 'MANUAL'

# Nova's power states.
NOSTATE = 0
RUNNING = 1
SHUTDOWN = 4

#: Our statuses Nova names otherwise.
STATUSES = {states.STOPPED: 'SHUTOFF'}

#: Nova's vm_state of the statuses that settle it; for the others
#: (tasks in flight) it follows whether the server is powered on.
VM_STATES = {
    states.BUILD: 'building',
    states.ACTIVE: 'active',
    states.STOPPED: 'stopped',
    states.VERIFY_RESIZE: 'resized',
    states.REVERT_RESIZE: 'resized',
    states.ERROR: 'error',
    states.DELETED: 'deleted',
}

#: Nova's task_state of each of our tasks.
TASK_STATES = {
    states.BUILDING.name: 'spawning',
    states.DESTROYING.name: 'deleting',
    states.STARTING.name: 'powering-on',
    states.STOPPING.name: 'powering-off',
    states.REBOOTING.name: 'rebooting',
    states.REBOOTING_HARD.name: 'rebooting_hard',
    states.RESIZING.name: 'resize_migrating',
    states.REVERTING_RESIZE.name: 'resize_reverting',
    states.CHANGING_PASSWORD.name: 'updating_password',
    states.SNAPSHOTTING.name: 'image_snapshot',
}

next_links = cyclades_views.next_links


def security_groups():
    """Nova's default group, which every server is in as far as
    clients can tell."""
    return [{'name': 'default'}]


def status(server):
    return STATUSES.get(server.status, server.status)


def vm_state(server):
    if server.status in VM_STATES:
        return VM_STATES[server.status]
    return 'active' if server.powered_on else 'stopped'


def task_state(server):
    """Nova's name of the pending task, or None."""
    if not server.task_state:
        return None
    return TASK_STATES.get(server.task_state, server.task_state.lower())


def power_state(server):
    if server.status in (states.BUILD, states.ERROR, states.DELETED):
        return NOSTATE
    return RUNNING if server.powered_on else SHUTDOWN


def fault(server, error):
    """Nova's fault of a server in ERROR: its newest ERROR entry."""
    if server.status != states.ERROR or error is None:
        return None
    return {'code': 500, 'message': error.message,
            'created': utils.isotime(error.created_at)}


def network_key(item):
    """How addresses and ``/ips/<network>`` name a connection's
    network: by its name, as Nova does."""
    return item.network_name or str(item.network_id)


def addresses(attachments, extended=True):
    """Addresses keyed by network name, IPv4 entries before IPv6 ones.

    :param extended: add the address type and the port's MAC, as every
        answer but a rename's does.
    """
    result = {}
    for item in attachments:
        result.setdefault(network_key(item), [])
    for version, field in ((4, 'ipv4'), (6, 'ipv6')):
        for item in attachments:
            addr = getattr(item, field)
            if not addr:
                continue
            entry = {'version': version, 'addr': addr}
            if extended:
                entry['OS-EXT-IPS:type'] = item.ip_type
                entry['OS-EXT-IPS-MAC:mac_addr'] = item.mac_address
            result[network_key(item)].append(entry)
    return result


def ips(req, attachments):
    return {'addresses': addresses(attachments)}


def network_ips(req, network_id, attachments):
    """The addresses of one network, keyed by its name as Nova does."""
    return addresses(attachments)


def metadata(items):
    return {'metadata': dict(items)}


def meta_item(key, value):
    return {'meta': {key: value}}


def _bookmark(req, collection, resource_id):
    return [links.resource_links(req, VERSION, collection,
                                 resource_id)[1]]


def basic(req, server):
    return {'id': str(server.id), 'name': server.name,
            'links': links.resource_links(req, VERSION, 'servers',
                                          server.id)}


def _common(req, server, error, attachments, extended):
    """The fields of both the full and the reduced server."""
    body = basic(req, server)
    body.update({
        'status': status(server),
        'tenant_id': server.project_id,
        'user_id': server.user_id,
        'metadata': server.meta,
        'hostId': cyclades_views.host_id(server),
        'image': {'id': server.image_id,
                  'links': _bookmark(req, 'images', server.image_id)},
        'flavor': {'id': str(server.flavor_id),
                   'links': _bookmark(req, 'flavors', server.flavor_id)},
        'created': utils.isotime(server.created_at),
        'updated': utils.isotime(server.updated_at),
        'addresses': addresses(attachments, extended=extended),
        'accessIPv4': '',
        'accessIPv6': '',
        'OS-DCF:diskConfig': DISK_CONFIG,
        'progress': server.progress,
    })
    server_fault = fault(server, error)
    if server_fault is not None:
        body['fault'] = server_fault
    return body


def detail(req, server, latest_diagnostic=None, attachments=(),
           error=None):
    """The full server.

    :param latest_diagnostic: unused; this dialect shows a fault
        instead.
    :param error: the server's newest ERROR diagnostics entry, for the
        fault of a server in ERROR.
    """
    body = _common(req, server, error, attachments, extended=True)
    body.update({
        'key_name': server.key_name,
        'security_groups': security_groups(),
        'config_drive': '',
        'OS-EXT-STS:vm_state': vm_state(server),
        'OS-EXT-STS:task_state': task_state(server),
        'OS-EXT-STS:power_state': power_state(server),
        'os-extended-volumes:volumes_attached': [],
    })
    return body


def created(req, server, admin_pass, latest_diagnostic=None,
            attachments=(), error=None):
    """Nova answers a create with the id, the links and the password."""
    body = basic(req, server)
    del body['name']
    body.update({'adminPass': admin_pass,
                 'OS-DCF:diskConfig': DISK_CONFIG,
                 'security_groups': security_groups()})
    return body


def renamed(req, server, error=None, attachments=()):
    """The reduced server Nova answers a rename with."""
    return {'server': _common(req, server, error, attachments,
                              extended=False)}
