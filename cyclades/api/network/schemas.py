"""JSON schemas of the network service's request bodies.

Each body lists the attributes this service manages; Neutron's others
are refused with a 400 that names them, rather than accepted and
silently not applied.  Values no request may set (a disabled network,
DNS servers) are refused the same way.
"""

NAME = {'type': 'string', 'maxLength': 255}
ID = {'type': 'string', 'minLength': 1, 'maxLength': 255}
ADDRESS = {'type': 'string', 'minLength': 1, 'maxLength': 64}
#: Only an enabled resource can be made; Neutron's default.
ENABLED = {'const': True}
OWNER = {'type': 'string', 'maxLength': 255}


def _body(member, properties, required=()):
    return {
        'type': 'object',
        'properties': {
            member: {
                'type': 'object',
                'properties': properties,
                'required': list(required),
                'additionalProperties': False,
            },
        },
        'required': [member],
        'additionalProperties': False,
    }


CREATE_NETWORK = _body('network', {
    'name': NAME,
    'admin_state_up': ENABLED,
    'shared': {'type': 'boolean'},
    'router:external': {'type': 'boolean'},
    'tenant_id': OWNER,
    'project_id': OWNER,
})

UPDATE_NETWORK = _body('network', {'name': NAME})

POOL = {
    'type': 'object',
    'properties': {'start': ADDRESS, 'end': ADDRESS},
    'required': ['start', 'end'],
    'additionalProperties': False,
}

CREATE_SUBNET = _body('subnet', {
    'network_id': ID,
    'cidr': {'type': 'string', 'minLength': 1, 'maxLength': 64},
    'ip_version': {'enum': [4, 6]},
    'name': NAME,
    'gateway_ip': {'anyOf': [ADDRESS, {'type': 'null'}]},
    'allocation_pools': {'type': 'array', 'items': POOL},
    'enable_dhcp': {'type': 'boolean'},
    'dns_nameservers': {'const': []},
    'host_routes': {'const': []},
    'ipv6_address_mode': {'enum': ['slaac', None]},
    'ipv6_ra_mode': {'enum': ['slaac', None]},
    'tenant_id': OWNER,
    'project_id': OWNER,
}, required=('network_id', 'cidr'))

UPDATE_SUBNET = _body('subnet', {'name': NAME})

FIXED_IP = {
    'type': 'object',
    'properties': {'subnet_id': ID, 'ip_address': ADDRESS},
    'minProperties': 1,
    'additionalProperties': False,
}

CREATE_PORT = _body('port', {
    'network_id': ID,
    'name': NAME,
    'fixed_ips': {'type': 'array', 'items': FIXED_IP},
    'admin_state_up': ENABLED,
    'device_id': {'const': ''},
    'device_owner': {'const': ''},
    'tenant_id': OWNER,
    'project_id': OWNER,
}, required=('network_id',))

UPDATE_PORT = _body('port', {'name': NAME})

CREATE_FLOATING_IP = _body('floatingip', {
    'floating_network_id': ID,
    'floating_ip_address': ADDRESS,
    'port_id': {'type': 'null'},
    'tenant_id': OWNER,
    'project_id': OWNER,
}, required=('floating_network_id',))

#: A floating IP reaches a port as the port's fixed address, so the
#: port it is on cannot be changed here; sending the one it has is
#: harmless.
UPDATE_FLOATING_IP = _body('floatingip', {
    'port_id': {'type': ['string', 'null'], 'maxLength': 255},
})
