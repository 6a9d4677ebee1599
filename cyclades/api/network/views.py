"""Networks, subnets and ports in the shapes of Neutron's v2.0 API.

Fields Neutron has and this service does not manage carry the value a
Neutron deployment without the matching extension shows (no tags, no
security groups, no DNS servers).
"""

from cyclades import utils

#: The MTU every network reports: plain Ethernet.
MTU = 1500


def _owned(project_id, record):
    """The fields of every resource: owner, times and the extensions'
    defaults.  A record that never changes was updated when made."""
    return {'tenant_id': project_id,
            'project_id': project_id,
            'description': '',
            'tags': [],
            'created_at': utils.isotime_seconds(record.created_at),
            'updated_at': utils.isotime_seconds(
                getattr(record, 'updated_at', record.created_at)),
            'revision_number': 0}


def network(record):
    body = {
        'id': record.id,
        'name': record.name,
        'status': 'ACTIVE',
        'admin_state_up': True,
        'subnets': [subnet.id for subnet in record.subnets],
        'shared': record.public,
        'router:external': record.public,
        'mtu': MTU,
        'port_security_enabled': True,
        'availability_zones': [],
        'ipv4_address_scope': None,
        'ipv6_address_scope': None,
    }
    body.update(_owned(record.project_id, record))
    return body


def subnet(record):
    ipv6_mode = 'slaac' if record.ip_version == 6 else None
    body = {
        'id': record.id,
        'name': record.name,
        'network_id': record.network_id,
        'ip_version': record.ip_version,
        'cidr': record.cidr,
        'gateway_ip': record.gateway_ip,
        'allocation_pools': [dict(pool)
                             for pool in record.allocation_pools or ()],
        'enable_dhcp': record.enable_dhcp,
        'dns_nameservers': [],
        'host_routes': [],
        'ipv6_address_mode': ipv6_mode,
        'ipv6_ra_mode': ipv6_mode,
        'subnetpool_id': None,
        'service_types': [],
    }
    body.update(_owned(record.network.project_id, record))
    return body


def port(record):
    body = {
        'id': record.id,
        'name': record.name,
        'network_id': record.network_id,
        'mac_address': record.mac_address,
        'fixed_ips': [{'subnet_id': allocation.subnet_id,
                       'ip_address': allocation.address}
                      for allocation in record.allocations],
        'device_id': (str(record.server_id)
                      if record.server_id is not None else ''),
        'device_owner': record.device_owner,
        'status': record.status,
        'admin_state_up': True,
        'security_groups': [],
        'allowed_address_pairs': [],
        'extra_dhcp_opts': [],
        'port_security_enabled': True,
        'binding:vnic_type': 'normal',
    }
    body.update(_owned(record.project_id, record))
    return body


def floating_ip(record):
    """A floating IP.  It is the address of the port that holds it, not
    one translated to a private address, so its fixed address is
    itself."""
    attached = record.port_id is not None
    body = {
        'id': str(record.id),
        'floating_ip_address': record.address,
        'floating_network_id': record.subnet.network_id,
        'fixed_ip_address': record.address if attached else None,
        'port_id': record.port_id,
        'router_id': None,
        'status': 'ACTIVE' if attached else 'DOWN',
        'port_details': None,
    }
    body.update(_owned(record.project_id, record))
    return body
