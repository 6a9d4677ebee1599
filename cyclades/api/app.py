"""Building the API's WSGI application from its Paste file.

This is server-agnostic: cyclades-api serves the result with eventlet,
and ``cyclades.wsgi.api`` hands it to uwsgi or gunicorn.
"""

import os

from paste import deploy

from cyclades import conf
from cyclades import exception

CONF = conf.CONF

SOURCE_ETC = os.path.join(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))), 'etc')


def find_paste_config():
    """Locate api-paste.ini: absolute, beside the config files, or etc/."""
    name = CONF.api.paste_config
    if os.path.isabs(name):
        candidates = [name]
    else:
        candidates = [CONF.find_file(name), os.path.join(SOURCE_ETC, name),
                      os.path.join('/etc/cyclades', name)]
    for candidate in candidates:
        if candidate and os.path.exists(candidate):
            return os.path.abspath(candidate)
    raise exception.CycladesException(
        'Cannot find the paste configuration %r' % name)


def load_app(name='cyclades'):
    return deploy.loadapp('config:%s' % find_paste_config(), name=name)
