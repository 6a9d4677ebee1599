"""MAC addresses of ports and the EUI-64 addresses made from them."""

import ipaddress

from cyclades import exception
from cyclades.network import macs
from tests import base


class PrefixTest(base.TestCase):

    def test_octets_and_a_half(self):
        self.assertEqual('aa000', macs.parse_prefix('aa:00:0'))
        self.assertEqual('aa0012', macs.parse_prefix('AA:00:12'))
        self.assertEqual('a', macs.parse_prefix('a'))

    def test_refused(self):
        for prefix in ('', 'aa:0:00', 'aa00', 'zz', 'aa:00:00:00:00:00',
                       '01:00:0', 'aa:00:0:'):
            self.assertRaises(exception.Invalid, macs.parse_prefix, prefix)

    def test_configured_prefix_is_checked_by_the_option(self):
        self.assertRaises(ValueError, self.flags, group='network',
                          mac_prefix='not hex')


class RandomMacTest(base.TestCase):

    def test_default_prefix(self):
        mac = macs.random_mac()

        self.assertTrue(mac.startswith('aa:00:0'), mac)
        self.assertEqual(mac, macs.normalize(mac))

    def test_configured_prefix_and_random_digits(self):
        self.flags(group='network', mac_prefix='02:42')

        self.assertEqual('02:42:00:00:00:2a',
                         macs.random_mac(randbits=lambda bits: 42))
        self.assertEqual('02:42:ff:ff:ff:ff',
                         macs.random_mac(randbits=lambda bits:
                                         2 ** bits - 1))

    def test_half_octet_prefix_stays_unicast(self):
        mac = macs.random_mac('a', randbits=lambda bits: 2 ** bits - 1)

        self.assertEqual('ae:ff:ff:ff:ff:ff', mac)

    def test_different_each_time(self):
        self.assertEqual(50, len({macs.random_mac() for _ in range(50)}))


class Eui64Test(base.TestCase):

    def test_rfc_4291_interface_identifier(self):
        network = ipaddress.ip_network('2001:db8:1:2::/64')

        self.assertEqual(ipaddress.ip_address('2001:db8:1:2:a810:3cff:'
                                              'fe9b:21ab'),
                         macs.eui64('aa:10:3c:9b:21:ab', network))
        # The universal/local bit flips both ways.
        self.assertEqual(ipaddress.ip_address('2001:db8:1:2:200:5eff:'
                                              'fe00:5301'),
                         macs.eui64('00-00-5E-00-53-01', network))

    def test_first_64_of_a_larger_range(self):
        network = ipaddress.ip_network('2001:db8::/48')

        self.assertEqual('2001:db8::a800:ff:fe00:1',
                         str(macs.eui64('aa:00:00:00:00:01', network)))

    def test_refused(self):
        self.assertRaises(exception.Invalid, macs.eui64, 'aa:00:00:00:01',
                          ipaddress.ip_network('2001:db8::/64'))
        self.assertRaises(exception.Invalid, macs.eui64, 'aa:00:00:00:00:01',
                          ipaddress.ip_network('2001:db8::/80'))
