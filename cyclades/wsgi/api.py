"""The API as a WSGI callable, for uwsgi, gunicorn or mod_wsgi.

    gunicorn 'cyclades.wsgi.api:application'

The configuration file comes from CYCLADES_CONFIG_FILE (default
/etc/cyclades/cyclades.conf).
"""

import os

from cyclades.api import app
from cyclades import config


def init_application():
    config_file = os.environ.get('CYCLADES_CONFIG_FILE',
                                 '/etc/cyclades/cyclades.conf')
    args = ['--config-file', config_file] if os.path.exists(
        config_file) else []
    config.parse_args(args)
    return app.load_app()


application = init_application()
