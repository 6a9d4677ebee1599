"""Small helpers with no better home: time and secrets."""

import datetime
import hashlib
import hmac
import secrets
import string

from cyclades import conf


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def isotime(value):
    """Format a timestamp as the API prints it: UTC, microseconds, +00:00."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    value = value.astimezone(datetime.timezone.utc)
    return value.isoformat(timespec='microseconds')


def isotime_seconds(value):
    """Format a timestamp as Glance and Neutron print it: UTC, ``Z``."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc)
    return value.strftime('%Y-%m-%dT%H:%M:%SZ')


def parse_isotime(text):
    """Parse an ISO 8601 timestamp that carries a time zone.

    :raises ValueError: when the text is not such a timestamp.
    """
    if not isinstance(text, str):
        raise ValueError('not a string')
    value = datetime.datetime.fromisoformat(text.strip().replace('Z',
                                                                 '+00:00'))
    if value.tzinfo is None:
        raise ValueError('no time zone')
    return value.astimezone(datetime.timezone.utc)


def generate_password(length=10):
    """A random password with at least one upper, lower case and digit."""
    alphabet = string.ascii_letters + string.digits
    while True:
        password = ''.join(secrets.choice(alphabet) for _ in range(length))
        if (any(c.isupper() for c in password)
                and any(c.islower() for c in password)
                and any(c.isdigit() for c in password)):
            return password


#: Rounds for passwords the service generated itself.  Ten random
#: letters and digits carry about 59 bits, which no number of rounds
#: needs to protect; the hash only keeps the clear text out of the
#: database, and each round costs the event loop of the daemon.
GENERATED_PASSWORD_ITERATIONS = 1000


def hash_password(password, iterations=None):
    """Salted PBKDF2-SHA256, so that a leaked table reveals no password.

    :param iterations: rounds; [identity] password_hash_iterations when
        not given.
    """
    if iterations is None:
        iterations = conf.CONF.identity.password_hash_iterations
    salt = secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac('sha256', password.encode('utf-8'),
                                 salt.encode('ascii'), iterations)
    return 'pbkdf2_sha256$%d$%s$%s' % (iterations, salt, digest.hex())


def check_password(password, stored):
    try:
        scheme, iterations, salt, digest = stored.split('$')
    except (AttributeError, ValueError):
        return False
    if scheme != 'pbkdf2_sha256':
        return False
    candidate = hashlib.pbkdf2_hmac('sha256', password.encode('utf-8'),
                                    salt.encode('ascii'), int(iterations))
    return hmac.compare_digest(candidate.hex(), digest)


def hash_token(token):
    """Tokens are long random strings, so one fast hash is enough."""
    return hashlib.sha256(token.encode('utf-8')).hexdigest()


def generate_token():
    """A random token that is safe in URLs, headers and command lines.

    A token starting with '-' would read as an option to command-line
    tools such as ``cyclades-manage token revoke``, so none does.
    """
    while True:
        token = secrets.token_urlsafe(32)
        if not token.startswith('-'):
            return token
