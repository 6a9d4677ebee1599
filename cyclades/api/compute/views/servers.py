"""How the Cyclades dialect shapes servers."""

import hashlib
import urllib.parse

from cyclades.api.compute.views import links
from cyclades import conf
from cyclades import utils

CONF = conf.CONF

VERSION = 'v2.0'

#: Statuses of the answers whose code differs between the dialects.
RENAME_STATUS = 204
METADATA_CHANGE_STATUS = 201


def host_id(server):
    """Nova's hostId: the same for one project's servers on one host."""
    if not server.host:
        return ''
    return hashlib.sha224((server.project_id + server.host)
                          .encode('utf-8')).hexdigest()


def diagnostic(entry):
    return {'level': entry.level,
            'created': utils.isotime(entry.created_at),
            'source': entry.source,
            'source_date': utils.isotime(entry.source_date),
            'message': entry.message,
            'details': entry.details}


def next_links(req, last_id):
    """Pagination links: the same request, continued after ``last_id``.

    The other query parameters (filters, limit, format) are kept so that
    the next page answers the same question.
    """
    params = [(name, value) for name, value in req.GET.items()
              if name != 'marker']
    params.append(('marker', str(last_id)))
    href = '%s%s?%s' % (links.service_root(req), req.path_info,
                        urllib.parse.urlencode(params))
    return [{'rel': 'next', 'href': href}]


def network_key(item):
    """How addresses and ``/ips/<network>`` name a connection's
    network: by its id."""
    return str(item.network_id)


def addresses(attachments):
    """Addresses keyed by network id, IPv4 entries before IPv6 ones.

    A connection without any address still names its network.
    """
    result = {}
    for item in attachments:
        result.setdefault(str(item.network_id), [])
    for version, field in ((4, 'ipv4'), (6, 'ipv6')):
        for item in attachments:
            addr = getattr(item, field)
            if addr:
                result[str(item.network_id)].append(
                    {'version': version, 'addr': addr,
                     'OS-EXT-IPS:type': item.ip_type})
    return result


def attachment(item):
    return {'id': str(item.id),
            'network_id': str(item.network_id),
            'mac_address': item.mac_address,
            'firewallProfile': item.firewall_profile,
            'ipv4': item.ipv4,
            'ipv6': item.ipv6,
            'OS-EXT-IPS:type': item.ip_type}


def ips(req, attachments):
    return {'addresses': addresses(attachments),
            'attachments': [attachment(item) for item in attachments]}


def network_ips(req, network_id, attachments):
    """The addresses on one network, which the server is attached to."""
    return {'network': {network_id: addresses(attachments)[network_id]}}


def metadata(items):
    return {'metadata': dict(items)}


def meta_item(key, value):
    return {'meta': {key: value}}


def renamed(req, server, error=None, attachments=()):
    """This dialect answers a rename with no body."""
    return None


def basic(req, server):
    return {'id': str(server.id), 'name': server.name,
            'links': links.resource_links(req, VERSION, 'servers',
                                          server.id)}


def detail(req, server, latest_diagnostic=None, attachments=(),
           error=None):
    """The full server.

    :param attachments: its network connections (``Attachment`` items).
    :param error: its newest ERROR entry, which this dialect leaves to
        ``diagnostics``.
    """
    body = basic(req, server)
    body.update({
        'status': server.status,
        'SNF:task_state': server.task_state or '',
        'progress': server.progress,
        'created': utils.isotime(server.created_at),
        'updated': utils.isotime(server.updated_at),
        'user_id': server.user_id,
        'tenant_id': server.project_id,
        'image': {'id': server.image_id,
                  'links': links.image_links(req, VERSION,
                                             server.image_id)},
        'flavor': {'id': str(server.flavor_id),
                   'links': links.resource_links(req, VERSION, 'flavors',
                                                 server.flavor_id)},
        'metadata': server.meta,
        'addresses': addresses(attachments),
        'attachments': [attachment(item) for item in attachments],
        'suspended': server.suspended,
        'hostId': host_id(server),
        'accessIPv4': '',
        'accessIPv6': '',
        'config_drive': '',
        'key_name': server.key_name,
        'security_groups': [{'name': 'default'}],
        'SNF:fqdn': 'snf-%s.%s' % (server.id, CONF.api.dns_domain),
        'SNF:port_forwarding': {},
        'diagnostics': ([diagnostic(latest_diagnostic)]
                        if latest_diagnostic is not None else []),
        'deleted': server.deleted,
    })
    return body


def created(req, server, admin_pass, latest_diagnostic=None,
            attachments=(), error=None):
    """The new server in full, with its password shown this once."""
    body = detail(req, server, latest_diagnostic, attachments)
    body['adminPass'] = admin_pass
    return body
