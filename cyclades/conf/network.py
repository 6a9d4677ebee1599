"""Options of networking: how ports get their MACs and which networks
a server is connected to when its create request names none."""

from oslo_config import cfg

network_group = cfg.OptGroup(
    'network', title='Networking',
    help='Ports, their MAC and IP addresses, and the default network '
         'connections of new servers.')

network_opts = [
    cfg.StrOpt(
        'mac_prefix',
        default='aa:00:0',
        regex=r'^([0-9a-fA-F]{2}:){0,5}[0-9a-fA-F]{1,2}$',
        help='Leading hex digits of every MAC address given to a port: '
             'whole octets separated by colons, the last one maybe a '
             'single digit; at most 11 digits, the rest is random. The '
             'first octet must be even (unicast), and a locally '
             'administered one (second bit set, as in "aa") keeps clear '
             'of vendor addresses. Changing it leaves existing ports as '
             'they are.'),
    cfg.StrOpt(
        'default_policy',
        default='public',
        choices=[('public', 'one port on a public network with a free '
                            'IPv4 address, plus an IPv6 address where '
                            'that network has an IPv6 subnet'),
                 ('none', 'no port')],
        help='The network connections of a server whose create request '
             'has no "networks". With "public" and no public network, '
             'servers get no port and a warning is logged.'),
]


def register_opts(conf):
    conf.register_group(network_group)
    conf.register_opts(network_opts, group=network_group)


def list_opts():
    return {network_group: network_opts}
