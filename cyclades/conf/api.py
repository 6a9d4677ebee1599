"""Options of the API service."""

from oslo_config import cfg

api_group = cfg.OptGroup(
    'api', title='API service',
    help='How cyclades-api listens and what its requests may carry.')

api_opts = [
    cfg.HostAddressOpt(
        'bind_host',
        default='127.0.0.1',
        help='Address the API server listens on. Use 0.0.0.0 to listen '
             'on every interface.'),
    cfg.PortOpt(
        'bind_port',
        default=8774,
        help='TCP port the API server listens on.'),
    cfg.IntOpt(
        'workers',
        default=1,
        min=1,
        help='Number of API worker processes. With more than one, the '
             'server forks that many processes which share the '
             'listening socket.'),
    cfg.StrOpt(
        'paste_config',
        default='api-paste.ini',
        help='The PasteDeploy file that defines the WSGI pipeline. A '
             'relative path is looked up beside the configuration files '
             'and then in the etc/ directory of the source tree.'),
    cfg.IntOpt(
        'client_socket_timeout',
        default=20,
        min=0,
        help='Seconds an idle client connection is kept open before the '
             'server closes it. 0 waits forever.'),
    cfg.IntOpt(
        'max_request_body_size',
        default=1024 * 1024,
        min=1,
        help='Largest request body, in bytes, the API accepts; larger '
             'bodies are answered with 413.'),
    cfg.IntOpt(
        'max_limit',
        default=1000,
        min=1,
        help='Most items a list request returns in one page.'),
    cfg.IntOpt(
        'poll_limit',
        default=3600,
        min=1,
        help='Seconds for which deleted servers stay visible, and the '
             'oldest changes-since a client may ask for.'),
    cfg.StrOpt(
        'public_endpoint',
        help='Base URL clients use to reach the API, such as '
             'https://cloud.example.org. When unset, links are built from '
             'the URL of each request.'),
    cfg.IntOpt(
        'max_metadata_items',
        default=10,
        min=0,
        help='Most metadata items a request may set on a server or an '
             'image; more are answered with 413.'),
    cfg.StrOpt(
        'dns_domain',
        default='vm.example.org',
        help='Domain of the SNF:fqdn of every server '
             '(snf-<id>.<dns_domain>).'),
    cfg.IntOpt(
        'console_url_ttl',
        default=600,
        min=1,
        help='Seconds for which a console URL that os-getVNCConsole '
             'gives out keeps working. The URL needs no token, so '
             'whoever holds it sees the VNC password of the server '
             'until it expires.'),
]


def register_opts(conf):
    conf.register_group(api_group)
    conf.register_opts(api_opts, group=api_group)


def list_opts():
    return {api_group: api_opts}
