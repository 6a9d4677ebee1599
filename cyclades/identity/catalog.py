"""The service catalog that tokens carry, in its v3 and v2.0 forms.

Clients find every other service through it, so its URLs must be the
exact ones they will call: the OpenStack dialect of compute for v3
clients, the Cyclades dialect for v2.0 ones (kamaki), which also insist
on an ``astakos_account`` entry.  URLs start at ``[api]
public_endpoint`` when it is set, else at the host the request reached.
"""

import uuid

from cyclades import conf

CONF = conf.CONF

INTERFACES = ('public', 'internal', 'admin')

#: type, name, path under the root, for v3 clients.
V3_SERVICES = (
    ('identity', 'cyclades_identity', '/identity/v3'),
    ('compute', 'cyclades_compute', '/compute/v2.1'),
    ('network', 'cyclades_network', '/network'),
    ('image', 'cyclades_image', '/image'),
)

#: type, name, path under the root, versionId, for v2.0 clients.
V2_SERVICES = (
    ('identity', 'cyclades_identity', '/identity/v2.0', 'v2.0'),
    ('compute', 'cyclades_compute', '/compute/v2.0', 'v2.0'),
    ('network', 'cyclades_network', '/network', 'v2.0'),
    ('image', 'cyclades_image', '/image', 'v2'),
    ('account', 'astakos_account', '/account/v1.0', 'v1.0'),
)

#: Extra endpoint fields of a v2.0 entry, by service name.
V2_EXTRAS = {
    'astakos_account': {'SNF:uiURL': '/ui'},
}


def root_url(req):
    """Where clients reach this deployment, without a trailing slash."""
    if CONF.api.public_endpoint:
        return CONF.api.public_endpoint.rstrip('/')
    return req.host_url


def _stable_id(*parts):
    """An id that stays the same for the same entry across requests."""
    return uuid.uuid5(uuid.NAMESPACE_URL, ' '.join(parts)).hex


def v3_catalog(root):
    """The catalog of a v3 token: one endpoint per interface."""
    region = CONF.identity.region
    catalog = []
    for service_type, name, path in V3_SERVICES:
        url = root + path
        catalog.append({
            'type': service_type,
            'name': name,
            'id': _stable_id(service_type, name),
            'endpoints': [{'id': _stable_id(service_type, interface, url),
                           'interface': interface,
                           'region': region,
                           'region_id': region,
                           'url': url}
                          for interface in INTERFACES],
        })
    return catalog


def v2_catalog(root):
    """The serviceCatalog of a v2.0 token: one endpoint per service."""
    region = CONF.identity.region
    catalog = []
    for service_type, name, path, version in V2_SERVICES:
        url = root + path
        endpoint = {'id': _stable_id(service_type, version, url),
                    'region': region,
                    'publicURL': url,
                    'internalURL': url,
                    'adminURL': url,
                    'versionId': version}
        for field, extra_path in V2_EXTRAS.get(name, {}).items():
            endpoint[field] = root + extra_path
        catalog.append({'type': service_type, 'name': name,
                        'endpoints': [endpoint], 'endpoints_links': []})
    return catalog
