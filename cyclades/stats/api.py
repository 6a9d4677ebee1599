"""Server statistics inside the API process: links and graphs.

A caller asks for the links of one of its servers and gets a signed
token for them; whoever fetches a graph presents the token instead of
being authenticated.  Nothing here knows about HTTP or body shapes.
"""

import dataclasses
import datetime
import logging

from cyclades.compute import api as compute_api
from cyclades import conf
from cyclades.db import api as db_api
from cyclades.db.session import transaction
from cyclades import exception
from cyclades.stats import graphs
from cyclades.stats import samples
from cyclades.stats import signing
from cyclades import utils

LOG = logging.getLogger(__name__)
CONF = conf.CONF


@dataclasses.dataclass(frozen=True)
class Links:
    """What the graph links of a server are made of.

    :param refresh: seconds between two samples, and so between two
        graphs worth fetching.
    """

    server_id: int
    token: str
    expires: int
    refresh: int


class API:
    """Statistics for one process; one key for all its links."""

    def __init__(self, signer=None):
        self.signer = signer or signing.Signer()

    def links(self, context, server_id):
        """Sign the graph links of a live server of the caller.

        :raises ServerNotFound: no such server in the caller's project.
        :raises InvalidState: the server is deleted.
        """
        with transaction() as session:
            server = db_api.server_get(
                session, server_id, context.project_id,
                deleted_since=compute_api.poll_horizon())
        if server.deleted:
            raise exception.InvalidState(
                message='Server %s is deleted' % server_id)

        token, expires = self.signer.sign(server_id,
                                          CONF.stats.url_lifetime)
        return Links(server_id=server_id, token=token, expires=expires,
                     refresh=CONF.stats.period)

    def graph(self, token, name):
        """Draw graph ``name`` of the server a token stands for.

        :returns: the PNG image.
        :raises GraphNotFound: a bad or expired token, or a server that
            is deleted.
        """
        server_id = self.signer.verify(token)
        if server_id is None:
            raise exception.GraphNotFound()

        now = utils.utcnow()
        span = CONF.stats.retention
        with transaction() as session:
            try:
                server = db_api.server_get(session, server_id)
            except exception.ServerNotFound:
                raise exception.GraphNotFound()
            series = samples.series(
                session, server.id, now - datetime.timedelta(seconds=span))

        LOG.debug('Drawing %s of server %s from %d samples', name,
                  server_id, len(series))
        return graphs.draw(name, series, now, span, CONF.stats.period)
