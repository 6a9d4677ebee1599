"""Signed, expiring tokens that stand for a server in graph links.

A token is ``<server id>.<expiry>.<signature>``: the expiry in Unix
seconds and an HMAC-SHA256 of both, cut to 128 bits and base64url
encoded.  Anyone holding it may see the graphs until it expires; nobody
can make one for another server or stretch its life without the key.

The key is ``[stats] secret`` when set.  Otherwise it is a random key
made by the first process that needs one and kept in the database
(table ``service_secrets``), so that every API process of a deployment,
on any host, verifies the links any other one made.
"""

import base64
import hashlib
import hmac
import logging
import re
import secrets
import threading
import time

from cyclades import conf
from cyclades.db import api as db_api

LOG = logging.getLogger(__name__)
CONF = conf.CONF

#: The name of the key in ``service_secrets``.
SECRET_NAME = 'stats-links'

_DIGEST_BYTES = 16
_TOKEN = re.compile(r'([0-9]{1,10})\.([0-9]{1,12})\.([A-Za-z0-9_-]{22})\Z')


class Signer:
    """Makes and checks tokens; reads the key once, on first use."""

    def __init__(self):
        self._key = None
        self._lock = threading.Lock()

    def _get_key(self):
        with self._lock:
            if self._key is None:
                secret = CONF.stats.secret or db_api.service_secret(
                    SECRET_NAME, lambda: secrets.token_hex(32))
                self._key = secret.encode('utf-8')
            return self._key

    def _signature(self, server_id, expires):
        message = b'server-stats:%d:%d' % (server_id, expires)
        digest = hmac.new(self._get_key(), message, hashlib.sha256)
        return base64.urlsafe_b64encode(
            digest.digest()[:_DIGEST_BYTES]).rstrip(b'=').decode('ascii')

    def sign(self, server_id, lifetime, now=None):
        """A token for ``server_id`` that works for ``lifetime`` seconds.

        :returns: (token, expiry in Unix seconds).
        """
        expires = int(now if now is not None else time.time()) + lifetime
        token = '%d.%d.%s' % (server_id, expires,
                              self._signature(server_id, expires))
        return token, expires

    def verify(self, token, now=None):
        """The server id a token stands for, or None.

        None for a malformed, forged or expired token alike: a client
        learns nothing about which.
        """
        match = _TOKEN.match(token)
        if match is None:
            return None
        server_id, expires = int(match.group(1)), int(match.group(2))

        expected = self._signature(server_id, expires)
        if not hmac.compare_digest(expected, match.group(3)):
            return None
        if expires < (now if now is not None else time.time()):
            return None
        return server_id
