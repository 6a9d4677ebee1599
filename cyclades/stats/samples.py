"""Where load samples are kept: recording, reading and pruning them.

Each function joins the transaction of the session it is given.
"""

import sqlalchemy as sa

from cyclades.db import models
from cyclades.stats import graphs


def servers_of_host(session, host):
    """The live servers a compute host is responsible for."""
    Server = models.Server
    query = (sa.select(Server)
             .where(Server.host == host, Server.deleted == sa.false())
             .order_by(Server.id))
    return list(session.scalars(query))


def record(session, sampled_at, loads):
    """Store one sample per server, all taken at ``sampled_at``.

    :param loads: server id → (cpu percent, network bytes per second).
    """
    if not loads:
        return
    session.execute(sa.insert(models.ServerStatSample), [
        {'server_id': server_id, 'sampled_at': sampled_at,
         'cpu_percent': cpu, 'net_bytes_per_sec': net}
        for server_id, (cpu, net) in sorted(loads.items())])


def series(session, server_id, since):
    """A server's samples taken at or after ``since``, oldest first.

    :returns: a list of ``graphs.Sample``.
    """
    Sample = models.ServerStatSample
    query = (sa.select(Sample.sampled_at, Sample.cpu_percent,
                       Sample.net_bytes_per_sec)
             .where(Sample.server_id == server_id,
                    Sample.sampled_at >= since)
             .order_by(Sample.sampled_at, Sample.id))
    return [graphs.Sample(*row) for row in session.execute(query)]


def prune(session, before):
    """Delete every sample taken before ``before``; return how many."""
    Sample = models.ServerStatSample
    result = session.execute(
        sa.delete(Sample).where(Sample.sampled_at < before),
        execution_options={'synchronize_session': False})
    return result.rowcount
