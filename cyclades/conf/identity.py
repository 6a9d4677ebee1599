"""Options of the built-in identity service."""

from oslo_config import cfg

identity_group = cfg.OptGroup(
    'identity', title='Identity',
    help='Users, projects and the tokens that authenticate requests.')

identity_opts = [
    cfg.IntOpt(
        'token_expiration',
        default=24 * 3600,
        min=60,
        help='Seconds a token issued by Cyclades stays valid.'),
    cfg.StrOpt(
        'region',
        default='RegionOne',
        help='Region name of every endpoint in the service catalog that '
             'tokens carry. Clients that select endpoints by region '
             '(OS_REGION_NAME) must ask for this one.'),
    cfg.IntOpt(
        'password_hash_iterations',
        default=200_000,
        min=1,
        help='PBKDF2-SHA256 rounds of a new password hash. More rounds '
             'make stolen hashes slower to crack and every login slower; '
             'existing hashes keep the rounds they were made with.'),
]


def register_opts(conf):
    conf.register_group(identity_group)
    conf.register_opts(identity_opts, group=identity_group)


def list_opts():
    return {identity_group: identity_opts}
