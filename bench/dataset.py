"""The servers the read benchmarks work on, written straight to the DB.

Creating a thousand servers through the API would take minutes and
measure the create path again; inserting the rows a finished build
leaves (the server, the metadata it inherits from its image and its
diagnostics) takes a few bulk INSERT statements and gives the read paths
the same data to walk.
"""

import logging
import time

import sqlalchemy as sa

from cyclades.compute import api as compute_api
from cyclades import conf
from cyclades.db import api as db_api
from cyclades.db import models
from cyclades.db import session as db_session
from cyclades.db.session import transaction
from cyclades import demo
from cyclades import utils

LOG = logging.getLogger(__name__)
CONF = conf.CONF

NAME_PREFIX = 'bench-load-'

#: Seconds the compute host gets to register itself.
HOST_TIMEOUT = 60

#: What the API and the compute daemon record during one build.
BUILD_DIAGNOSTICS = (
    ('api', 'Server creation requested'),
    ('compute', 'Build started on host %(host)s'),
    ('compute', 'Server is running'),
)

HOW = ('bulk INSERT through the cyclades.db models, in one transaction: '
       'the servers ACTIVE on the compute host with flavor %(flavor)s and '
       'the demo image, their inherited image metadata and the three '
       'diagnostics a build records')


class Dataset:
    """What the load generator needs to know about the loaded data."""

    def __init__(self, server_ids, image_id, flavor_id, seconds):
        self.server_ids = server_ids
        self.image_id = image_id
        self.flavor_id = flavor_id
        self.seconds = seconds

    def describe(self):
        return HOW % {'flavor': self.flavor_id}


def _use_database(url):
    CONF.set_override('connection', url, group='database')
    db_session.dispose()


def _wait_for_host(host):
    """The API schedules only onto hosts that reported themselves."""
    deadline = time.monotonic() + HOST_TIMEOUT
    while True:
        with transaction() as session:
            alive = db_api.host_list_alive(session,
                                           CONF.compute.service_down_time)
        if any(record.host == host for record in alive):
            return
        if time.monotonic() > deadline:
            raise RuntimeError('compute host %s did not register in %d s'
                               % (host, HOST_TIMEOUT))
        time.sleep(0.1)


def _demo_image(session):
    Image = models.Image
    image = session.scalars(
        sa.select(Image)
        .where(Image.public == sa.true(), Image.status == 'ACTIVE',
               Image.deleted == sa.false())
        .order_by(Image.created_at)).first()
    if image is None:
        raise RuntimeError('the demo seeded no public ACTIVE image')
    return image


def _server_rows(count, project, user, image, flavor_id, host):
    now = utils.utcnow()
    return [{'name': '%s%04d' % (NAME_PREFIX, index),
             'project_id': project.id, 'user_id': user.id,
             'flavor_id': flavor_id, 'image_id': image.id, 'host': host,
             'status': 'ACTIVE', 'task_state': '', 'progress': 100,
             'powered_on': True, 'created_at': now, 'updated_at': now}
            for index in range(count)]


def load(database_url, host, count, flavor_id=1):
    """Insert ``count`` ACTIVE servers of the demo project on ``host``."""
    _use_database(database_url)
    try:
        _wait_for_host(host)
        started = time.monotonic()
        with transaction(writer=True) as session:
            project = db_api.project_get_by_name(session, demo.PROJECT)
            user = db_api.user_get_by_name(session, demo.USER)
            image = _demo_image(session)
            session.execute(sa.insert(models.Server), _server_rows(
                count, project, user, image, flavor_id, host))

            Server = models.Server
            ids = list(session.scalars(
                sa.select(Server.id)
                .where(Server.project_id == project.id,
                       Server.name.startswith(NAME_PREFIX))
                .order_by(Server.id)))
            inherited = {key: value for key, value in image.meta.items()
                         if key in compute_api.INHERITED_IMAGE_METADATA}
            if inherited:
                session.execute(sa.insert(models.ServerMetadata), [
                    {'server_id': server_id, 'key': key, 'value': value}
                    for server_id in ids
                    for key, value in inherited.items()])
            now = utils.utcnow()
            session.execute(sa.insert(models.Diagnostic), [
                {'server_id': server_id, 'level': 'INFO',
                 'source': source, 'message': message % {'host': host},
                 'details': '', 'source_date': now, 'created_at': now}
                for server_id in ids
                for source, message in BUILD_DIAGNOSTICS])
        seconds = time.monotonic() - started
        LOG.info('Inserted %d servers in %.2f s', len(ids), seconds)
        return Dataset(ids, image.id, flavor_id, seconds)
    finally:
        db_session.dispose()
