"""Demo data for the embedded mode: a user, a project, flavors, an image
and a public network that new servers get their addresses from.

Seeding is idempotent: what exists is kept, what is missing is added.
Each run issues a new token, since only hashes of old ones are kept.
The demo user logs in with ``PASSWORD``; ``shell_lines`` gives what a
user pastes into a shell to use curl or the ``openstack`` client.
"""

import shlex

import sqlalchemy as sa

from cyclades import conf
from cyclades.db import api as db_api
from cyclades.db import models
from cyclades.db.session import transaction
from cyclades.identity import api as identity_api
from cyclades.network import api as network_api
from cyclades import utils

CONF = conf.CONF

USER = 'demo'
PASSWORD = 'demo-password'
PROJECT = 'demo'

FLAVORS = (
    # name, vcpus, ram (MiB), disk (GiB)
    ('C1R1024D20', 1, 1024, 20),
    ('C2R2048D40', 2, 2048, 40),
    ('C4R4096D80', 4, 4096, 80),
)

IMAGE = {
    'name': 'Debian Base',
    'disk_format': 'diskdump',
    'size': 2 * 1024 ** 3,
    'min_disk': 2,
    'min_ram': 512,
    'metadata': {'OS': 'debian', 'USERS': 'root',
                 'description': 'Debian 12 base system'},
}


#: The public network: private IPv4 space and a unique local IPv6 /64,
#: neither routed on the Internet, so that the demo takes nobody's
#: addresses.
PUBLIC_NETWORK = {
    'name': 'public',
    'cidr': '10.0.0.0/24',
    'ipv6_cidr': 'fd00:0:0:1::/64',
}


def _project(session):
    project = db_api.project_get_by_name(session, PROJECT)
    if project is None:
        project = models.Project(name=PROJECT,
                                 description='The demo project')
        session.add(project)
        session.flush()
    return project


def _user(session, project):
    user = db_api.user_get_by_name(session, USER)
    if user is None:
        user = models.User(name=USER, default_project_id=project.id,
                           password_hash=utils.hash_password(PASSWORD))
        session.add(user)
        session.flush()
    if db_api.membership_get(session, user.id, project.id) is None:
        session.add(models.Membership(user_id=user.id,
                                      project_id=project.id,
                                      role='member'))
    return user


def _flavors(session):
    existing = {flavor.name for flavor in db_api.flavor_list(
        session, include_deleted=True)}
    for name, vcpus, ram, disk in FLAVORS:
        if name not in existing:
            session.add(models.Flavor(name=name, vcpus=vcpus, ram=ram,
                                      disk=disk, disk_template='drbd'))


def _image(session):
    found = session.scalars(sa.select(models.Image).where(
        models.Image.name == IMAGE['name'],
        models.Image.public == sa.true())).first()
    if found is not None:
        return
    values = dict(IMAGE)
    metadata = values.pop('metadata')
    image = models.Image(public=True, status='ACTIVE', **values)
    image.metadata_items = [models.ImageMetadata(key=k, value=v)
                            for k, v in metadata.items()]
    session.add(image)


def _public_network(session):
    found = session.scalars(sa.select(models.Network).where(
        models.Network.name == PUBLIC_NETWORK['name'],
        models.Network.public == sa.true())).first()
    if found is None:
        network_api.create_public_network(session, **PUBLIC_NETWORK)


def seed():
    """Create what is missing and return a new token for the demo user."""
    with transaction(writer=True) as session:
        project = _project(session)
        user = _user(session, project)
        _flavors(session)
        _image(session)
        _public_network(session)
        return db_api.token_create(session, user.id, project.id,
                                   CONF.identity.token_expiration)


def root_url():
    """Where a client on this machine reaches the API."""
    host = CONF.api.bind_host
    if host in ('0.0.0.0', '::'):
        host = '127.0.0.1'
    root = CONF.api.public_endpoint or 'http://%s:%s' % (host,
                                                         CONF.api.bind_port)
    return root.rstrip('/')


def compute_url():
    return '%s/compute/v2.0' % root_url()


def identity_url():
    return '%s/identity/v3' % root_url()


def shell_lines(token):
    """What the demo command prints, for people and for the shell.

    The token and the compute URL come first, as plain assignments that
    curl examples use; then the exported variables of the ``openstack``
    client.  The Makefile sources this output, so every line is valid
    shell, with values quoted.
    """
    variables = [
        ('OS_AUTH_URL', identity_url()),
        ('OS_USERNAME', USER),
        ('OS_PASSWORD', PASSWORD),
        ('OS_PROJECT_NAME', PROJECT),
        ('OS_USER_DOMAIN_NAME', identity_api.DOMAIN_NAME),
        ('OS_PROJECT_DOMAIN_NAME', identity_api.DOMAIN_NAME),
        ('OS_IDENTITY_API_VERSION', '3'),
    ]
    lines = ['OS_TOKEN=%s' % shlex.quote(token),
             'OS_COMPUTE_URL=%s' % shlex.quote(compute_url())]
    lines.extend('export %s=%s' % (name, shlex.quote(value))
                 for name, value in variables)
    return lines
