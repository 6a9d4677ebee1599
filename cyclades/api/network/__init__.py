"""The network service: a Neutron-compatible subset at /network.

Networks, subnets, ports and floating IPs, listed, made, shown, renamed
and deleted the way Neutron's v2.0 API does it, so that openstacksdk,
the ``openstack`` client and Nova-style tooling can find the networks
servers are on.  Faults keep the format of the compute API.
"""
