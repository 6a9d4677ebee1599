"""How the Cyclades dialect shapes servers."""

import hashlib

from cyclades.api.compute.views import links
from cyclades import conf
from cyclades import utils

CONF = conf.CONF

VERSION = 'v2.0'


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


def basic(req, server):
    return {'id': str(server.id), 'name': server.name,
            'links': links.resource_links(req, VERSION, 'servers',
                                          server.id)}


def detail(req, server, latest_diagnostic=None):
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
        'addresses': {},
        'attachments': [],
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
