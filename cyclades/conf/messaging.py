"""Options of the message bus between the API and compute hosts."""

from oslo_config import cfg

messaging_group = cfg.OptGroup(
    'messaging', title='Messaging',
    help='The AMQP broker that carries requests to compute hosts.')

messaging_opts = [
    cfg.StrOpt(
        'transport_url',
        default='memory://',
        secret=True,
        help='kombu URL of the broker. memory:// keeps messages inside '
             'one process and only suits cyclades-all; deployments use '
             'amqp://user:password@host:5672//.'),
    cfg.StrOpt(
        'exchange',
        default='cyclades',
        help='Name of the AMQP exchange, and the prefix of every queue. '
             'Two deployments sharing a broker need different names.'),
    cfg.IntOpt(
        'rpc_response_timeout',
        default=30,
        min=1,
        help='Seconds the API waits for the answer to a call before '
             'giving up.'),
    cfg.IntOpt(
        'retry_max',
        default=5,
        min=0,
        help='Times a message is retried while the broker is unreachable '
             'before the request fails.'),
    cfg.FloatOpt(
        'retry_interval_start',
        default=0.2,
        min=0,
        help='Seconds before the first reconnection attempt.'),
    cfg.FloatOpt(
        'retry_interval_step',
        default=0.5,
        min=0,
        help='Seconds added to the wait after each failed attempt.'),
    cfg.FloatOpt(
        'retry_interval_max',
        default=5.0,
        min=0,
        help='Longest wait between two reconnection attempts.'),
    cfg.IntOpt(
        'executor_pool_size',
        default=64,
        min=1,
        help='Messages a compute daemon handles at the same time.'),
]


def register_opts(conf):
    conf.register_group(messaging_group)
    conf.register_opts(messaging_opts, group=messaging_group)


def list_opts():
    return {messaging_group: messaging_opts}
