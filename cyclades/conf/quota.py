"""Default per-project limits; operators override them per project."""

from oslo_config import cfg

quota_group = cfg.OptGroup(
    'quota', title='Quotas',
    help='Limits every project gets unless an operator sets its own with '
         '"cyclades-manage quota set". A negative value means no limit.')

quota_opts = [
    cfg.IntOpt('vm', default=10,
               help='Servers not deleted (cyclades.vm).'),
    cfg.IntOpt('total_cpu', default=40,
               help='vCPUs of all servers not deleted '
                    '(cyclades.total_cpu).'),
    cfg.IntOpt('total_ram', default=40 * 1024,
               help='RAM in MiB of all servers not deleted '
                    '(cyclades.total_ram).'),
    cfg.IntOpt('cpu', default=40,
               help='vCPUs of servers running or building '
                    '(cyclades.cpu).'),
    cfg.IntOpt('ram', default=40 * 1024,
               help='RAM in MiB of servers running or building '
                    '(cyclades.ram).'),
    cfg.IntOpt('disk', default=1024,
               help='Disk in GiB of all servers not deleted '
                    '(cyclades.disk).'),
    cfg.IntOpt('network_private', default=5,
               help='Private networks (cyclades.network.private).'),
    cfg.IntOpt('floating_ip', default=5,
               help='Floating IPs (cyclades.floating_ip).'),
]


def register_opts(conf):
    conf.register_group(quota_group)
    conf.register_opts(quota_opts, group=quota_group)


def list_opts():
    return {quota_group: quota_opts}
