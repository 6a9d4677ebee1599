import datetime
from unittest import mock

from cyclades import utils
from tests import base


class TimeTest(base.TestCase):

    def test_isotime_is_utc_with_microseconds(self):
        value = datetime.datetime(2014, 2, 12, 8, 31, 37, 834542,
                                  tzinfo=datetime.timezone.utc)
        self.assertEqual('2014-02-12T08:31:37.834542+00:00',
                         utils.isotime(value))

        naive = datetime.datetime(2014, 2, 12, 8, 31, 37)
        self.assertEqual('2014-02-12T08:31:37.000000+00:00',
                         utils.isotime(naive))

    def test_parse_isotime_needs_a_zone(self):
        parsed = utils.parse_isotime('2014-02-12T10:31:37+02:00')
        self.assertEqual(datetime.datetime(2014, 2, 12, 8, 31, 37,
                                           tzinfo=datetime.timezone.utc),
                         parsed)
        self.assertEqual(parsed, utils.parse_isotime('2014-02-12T08:31:37Z'))
        for bad in ('2014-02-12T08:31:37', 'yesterday', '', None, 42):
            self.assertRaises(ValueError, utils.parse_isotime, bad)


class SecretsTest(base.TestCase):

    def test_generated_passwords_mix_classes(self):
        for _ in range(50):
            password = utils.generate_password()
            self.assertEqual(10, len(password))
            self.assertTrue(any(c.isupper() for c in password))
            self.assertTrue(any(c.islower() for c in password))
            self.assertTrue(any(c.isdigit() for c in password))

    def test_tokens_never_look_like_options(self):
        with mock.patch.object(utils.secrets, 'token_urlsafe',
                               side_effect=['-abc', '-def', 'ghi']):
            self.assertEqual('ghi', utils.generate_token())

    def test_password_hash_round_trip(self):
        stored = utils.hash_password('s3cret', iterations=1000)

        self.assertNotIn('s3cret', stored)
        self.assertTrue(utils.check_password('s3cret', stored))
        self.assertFalse(utils.check_password('other', stored))
        self.assertFalse(utils.check_password('s3cret', 'garbage'))
        self.assertNotEqual(stored, utils.hash_password('s3cret',
                                                        iterations=1000))
