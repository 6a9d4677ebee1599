"""Browser consoles: the URL ``os-getVNCConsole`` answers with, and the
page behind it (``GET /compute/console/<token>``).

The token in the URL carries what the page shows (the VNC host, port
and one-time password a compute host gave for the server) and when it
expires, signed with a key all API processes share.  Any API process
can therefore serve any URL without storing it, and nobody can make one
or stretch its life without the key.  The page needs no auth token:
the URL is the secret, as Nova's console URLs are, and it works for
``[api] console_url_ttl`` seconds.
"""

import base64
import binascii
import datetime
import hashlib
import hmac
import html
import json
import logging
import secrets
import time

import webob

from cyclades.api.compute.views import links
from cyclades.api import response
from cyclades.api import wsgi
from cyclades import conf
from cyclades.db import api as db_api
from cyclades import exception
from cyclades import utils

LOG = logging.getLogger(__name__)
CONF = conf.CONF

#: The name of the signing key in ``service_secrets``.
SECRET_NAME = 'console-links'

#: Tokens longer than this are not ours; checked before decoding.
MAX_TOKEN = 1024

#: The page gives nothing away to other sites: no referrer (the URL is
#: the secret), no scripts, no framing.
PAGE_HEADERS = (
    ('Referrer-Policy', 'no-referrer'),
    ('Content-Security-Policy', "default-src 'none'; style-src "
                                "'unsafe-inline'; frame-ancestors 'none'"),
    ('X-Content-Type-Options', 'nosniff'),
)


def _key():
    # Read on each use, which is rare: a cached key would outlive the
    # database it came from.
    secret = db_api.service_secret(SECRET_NAME,
                                   lambda: secrets.token_hex(32))
    return secret.encode('utf-8')


def _b64encode(data):
    return base64.urlsafe_b64encode(data).rstrip(b'=').decode('ascii')


def _b64decode(text):
    return base64.urlsafe_b64decode(text + '=' * (-len(text) % 4))


def _signature(key, payload):
    return _b64encode(hmac.new(key, b'console:' + payload.encode('ascii'),
                               hashlib.sha256).digest())


# TODO: a token works until it expires, not once, and its payload (the
# VNC password included) is signed but readable.  Single use needs a
# record of spent tokens, shared by every API process; encrypting the
# payload, or keeping it server-side under a random id, would hide it.
def make_token(server_id, console, lifetime, now=None):
    """A token for a console that works for ``lifetime`` seconds.

    :param console: what the compute host answered: ``type``, ``host``,
        ``port`` and ``password``.
    """
    expires = int(now if now is not None else time.time()) + lifetime
    payload = _b64encode(json.dumps({
        'server': server_id, 'type': console['type'],
        'host': console['host'], 'port': console['port'],
        'password': console['password'], 'expires': expires,
    }, separators=(',', ':')).encode('utf-8'))
    return '%s.%s' % (payload, _signature(_key(), payload))


def read_token(token, now=None):
    """What a token stands for, or None.

    None for a malformed, forged or expired token alike: a client
    learns nothing about which.
    """
    if len(token) > MAX_TOKEN or token.count('.') != 1:
        return None
    payload, signature = token.split('.')
    if not payload.isascii():
        return None
    expected = _signature(_key(), payload).encode('ascii')
    if not hmac.compare_digest(expected,
                               signature.encode('utf-8', 'replace')):
        return None

    try:
        console = json.loads(_b64decode(payload))
    except (binascii.Error, ValueError):
        return None
    if console['expires'] < (now if now is not None else time.time()):
        return None
    return console


def console_url(req, server_id, console):
    """The URL of the page of a console the compute host opened."""
    token = make_token(server_id, console, CONF.api.console_url_ttl)
    return '%s/console/%s' % (links.service_root(req), token)


PAGE = '''<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Console of server {server}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }}
dt {{ font-weight: bold; }}
dd {{ font-family: monospace; margin: 0 0 1em 1em; }}
</style>
</head>
<body>
<h1>VNC console of server {server}</h1>
<p>Connect a VNC client to this address with the password below.
The password works once; this page works until {expires}.</p>
<dl>
<dt>Host</dt><dd id="host">{host}</dd>
<dt>Port</dt><dd id="port">{port}</dd>
<dt>Password</dt><dd id="password">{password}</dd>
</dl>
<p>For example: <code>vncviewer {host}::{port}</code></p>
</body>
</html>
'''


def page(console):
    """The page of one console, every value escaped."""
    expires = utils.isotime(datetime.datetime.fromtimestamp(
        console['expires'], datetime.timezone.utc))
    values = {'server': console['server'], 'host': console['host'],
              'port': console['port'], 'password': console['password'],
              'expires': expires}
    return PAGE.format(**{name: html.escape(str(value))
                          for name, value in values.items()})


class ConsolePageController:
    """Handler of /console/<token>, which needs no auth token."""

    def show(self, req, token):
        console = read_token(token)
        if console is None:
            raise exception.ConsoleNotFound()

        LOG.debug('Console page of server %s shown', console['server'])
        result = webob.Response(status=200, charset='UTF-8',
                                content_type='text/html')
        result.text = page(console)
        for name, value in response.NO_CACHE_HEADERS + PAGE_HEADERS:
            result.headers[name] = value
        return result


def routes(controller):
    """The route of the console pages, beside the dialects' prefixes."""
    return [
        wsgi.Route('/console/{token}', {'GET': controller.show},
                   public=True),
    ]
