"""Counts the turns a green thread gets while another waits on a query.

Run as a script, in a process of its own since it patches the standard
library the way the daemons do::

    python green_db_probe.py MODE URL

MODE is ``patched`` (``cyclades.monkey_patch.patch()``, as the daemons
start), ``no-wait-callback`` (the same, then psycopg2's wait callback
removed again) or ``unpatched`` (no monkey patching).  The query sleeps
for a second on the server of URL.  The result is one JSON object on
standard output: the ticker's turns during the query and its seconds.
"""

import sys

if __name__ == '__main__' and sys.argv[1:2] in (['patched'],
                                                ['no-wait-callback']):
    from cyclades import monkey_patch
    monkey_patch.patch()

import json  # noqa: E402
import time  # noqa: E402

import eventlet  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from cyclades import conf  # noqa: E402
from cyclades.db import session as db_session  # noqa: E402

#: Seconds between two turns of the ticker.
TICK = 0.01
SLEEP_QUERIES = {'postgresql': 'SELECT pg_sleep(1)',
                 'mysql': 'SELECT SLEEP(1)'}


def main(mode, url):
    if mode == 'no-wait-callback':
        from psycopg2 import extensions
        extensions.set_wait_callback(None)
    conf.CONF([], project='cyclades', default_config_files=[])
    engine = db_session.create_engine(url)
    query = SLEEP_QUERIES[sa.engine.make_url(url).get_backend_name()]
    # Connect first, so that only the query is measured.
    with engine.connect() as connection:
        connection.exec_driver_sql('SELECT 1')

    ticks = []
    running = [True]

    def ticker():
        while running[0]:
            ticks.append(time.monotonic())
            eventlet.sleep(TICK)

    def sleeper():
        with engine.connect() as connection:
            started = time.monotonic()
            connection.exec_driver_sql(query)
            return started, time.monotonic()

    ticking = eventlet.spawn(ticker)
    eventlet.sleep(TICK * 5)
    started, ended = eventlet.spawn(sleeper).wait()
    running[0] = False
    ticking.wait()
    engine.dispose()

    print(json.dumps({
        'ticks': len([tick for tick in ticks if started < tick < ended]),
        'seconds': ended - started}))


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
