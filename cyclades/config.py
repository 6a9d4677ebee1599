"""Loading the configuration and setting up logging for a process."""

import logging
import sys

from cyclades import conf

CONF = conf.CONF

LOG_FORMAT = ('%(asctime)s %(process)d %(levelname)s %(name)s '
              '%(message)s')


def setup_logging():
    level = logging.DEBUG if CONF.debug else logging.INFO
    if CONF.log_file:
        handler = logging.FileHandler(CONF.log_file)
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ('amqp', 'kombu', 'sqlalchemy', 'routes', 'alembic'):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


def parse_args(argv, description=None):
    """Parse the command line and configuration files, then set up logs."""
    CONF(argv, project='cyclades', description=description)
    setup_logging()
