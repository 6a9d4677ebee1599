"""Options of server load statistics: sampling and the graph links."""

from oslo_config import cfg

stats_group = cfg.OptGroup(
    'stats', title='Server statistics',
    help='Load samples the compute daemons take of their servers, and '
         'the signed links to the graphs the API draws from them.')

stats_opts = [
    cfg.IntOpt(
        'period',
        default=60,
        min=1,
        help='Seconds between two load samples (CPU and network) a '
             'compute daemon takes of each server on its host. The API '
             'reports it to clients as the "refresh" of the graphs.'),
    cfg.IntOpt(
        'retention',
        default=3600,
        min=60,
        help='Seconds for which samples are kept; older ones are '
             'deleted by the compute daemons as they sample. The time '
             'series graphs span this window, so keep it a few dozen '
             'times the period.'),
    cfg.IntOpt(
        'url_lifetime',
        default=3600,
        min=1,
        help='Seconds for which the graph links that GET '
             '/servers/<id>/stats returns keep working. The links need '
             'no token, so whoever holds one sees the graphs until it '
             'expires.'),
    cfg.StrOpt(
        'secret',
        secret=True,
        help='Key that signs the graph links. Every API process must '
             'use the same key, since a link made by one may be '
             'fetched from another. When unset, a random key is made on '
             'first use and kept in the database, which all API '
             'processes share; set it only to choose the key yourself. '
             'Changing it invalidates the links given out.'),
]


def register_opts(conf):
    conf.register_group(stats_group)
    conf.register_opts(stats_opts, group=stats_group)


def list_opts():
    return {stats_group: stats_opts}
