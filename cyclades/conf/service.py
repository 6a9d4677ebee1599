"""Options that every Cyclades process shares."""

import os
import socket

from oslo_config import cfg

service_opts = [
    cfg.StrOpt(
        'state_path',
        default=os.path.expanduser('~/.local/state/cyclades'),
        sample_default='~/.local/state/cyclades',
        help='Directory where Cyclades keeps its local state: the '
             'embedded SQLite database and anything a driver writes. '
             'Production deployments usually set /var/lib/cyclades.'),
    cfg.StrOpt(
        'host',
        default=socket.gethostname(),
        sample_default='<the machine host name>',
        help='Name of this host. A compute daemon registers under this '
             'name and consumes the messages sent to it, so it must be '
             'unique among the compute hosts of a deployment.'),
    cfg.BoolOpt(
        'debug',
        default=False,
        help='Log at DEBUG level instead of INFO.'),
    cfg.StrOpt(
        'log_file',
        help='Write the log to this file instead of standard error.'),
]


def register_opts(conf):
    conf.register_opts(service_opts)


def list_opts():
    return {'DEFAULT': service_opts}
