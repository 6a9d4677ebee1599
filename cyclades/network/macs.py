"""MAC addresses of ports, and the IPv6 addresses derived from them.

A MAC is the configured prefix (``[network] mac_prefix``) followed by
random hex digits.  Uniqueness is the database's to guarantee (the
column is unique); the random part only makes a clash unlikely, and
whoever inserts a port retries with another MAC when one happens.
"""

import ipaddress
import re
import secrets

from cyclades import conf
from cyclades import exception

CONF = conf.CONF

#: Hex digits in a MAC address.
DIGITS = 12

_PREFIX = re.compile(r'([0-9a-f]{2}:){0,5}[0-9a-f]{1,2}\Z')


def parse_prefix(text):
    """The hex digits of a MAC prefix such as ``aa:00:0``.

    :raises Invalid: not whole octets with colons between them (the
        last octet may be one digit), more than 11 digits, or a
        multicast first octet.
    """
    text = text.strip().lower()
    if not _PREFIX.match(text):
        raise exception.Invalid(
            reason='MAC prefix %r is not hex octets separated by colons'
                   % text)
    digits = text.replace(':', '')
    if len(digits) >= DIGITS:
        raise exception.Invalid(
            reason='MAC prefix %r leaves no digit to vary' % text)
    if len(digits) >= 2 and int(digits[:2], 16) & 1:
        raise exception.Invalid(
            reason='MAC prefix %r is a multicast address' % text)
    return digits


def format_mac(digits):
    return ':'.join(digits[i:i + 2] for i in range(0, DIGITS, 2))


def random_mac(prefix=None, randbits=secrets.randbits):
    """A MAC under ``prefix`` (default: the configured one).

    A one-digit first octet gets an even second digit, so that the
    address stays unicast.
    """
    digits = parse_prefix(CONF.network.mac_prefix if prefix is None
                          else prefix)
    free = DIGITS - len(digits)
    suffix = '%0*x' % (free, randbits(4 * free))
    mac = digits + suffix
    if len(digits) < 2:
        mac = mac[0] + '%x' % (int(mac[1], 16) & 0xe) + mac[2:]
    return format_mac(mac)


def normalize(mac):
    """A MAC in lower case with colons.

    :raises Invalid: not six hex octets.
    """
    text = str(mac).strip().lower().replace('-', ':')
    if not re.match(r'([0-9a-f]{2}:){5}[0-9a-f]{2}\Z', text):
        raise exception.Invalid(reason='%r is not a MAC address' % mac)
    return text


def eui64(mac, network):
    """The modified EUI-64 address of ``mac`` in an IPv6 network.

    The interface identifier is the MAC with ``ff:fe`` in its middle and
    the universal/local bit flipped (RFC 4291, appendix A); it fills the
    low 64 bits of the network's first /64.

    :param network: an ``ipaddress.IPv6Network`` of prefix length 64 or
        less.
    """
    octets = bytes.fromhex(normalize(mac).replace(':', ''))
    identifier = (bytes([octets[0] ^ 0x02]) + octets[1:3] + b'\xff\xfe'
                  + octets[3:])
    if network.prefixlen > 64:
        raise exception.Invalid(
            reason='IPv6 subnet %s is smaller than a /64' % network)
    return ipaddress.IPv6Address(int(network.network_address)
                                 | int.from_bytes(identifier, 'big'))
