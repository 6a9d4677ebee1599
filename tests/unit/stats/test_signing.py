"""Graph link tokens: only the key makes them, and they expire."""

from unittest import mock

import fixtures

from cyclades.db import models
from cyclades.db.session import transaction
from cyclades.stats import signing
from tests import base
from tests import db_fixtures

NOW = 1_700_000_000


class ConfiguredSecretTest(base.TestCase):
    """With ``[stats] secret`` set, the database is never asked."""

    def setUp(self):
        super().setUp()
        self.flags(group='stats', secret='s3cret')
        self.signer = signing.Signer()
        self.useFixture(fixtures.MockPatchObject(
            signing.db_api, 'service_secret', side_effect=AssertionError))

    def test_round_trip(self):
        token, expires = self.signer.sign(42, 600, now=NOW)

        self.assertEqual(NOW + 600, expires)
        self.assertTrue(token.startswith('42.%d.' % expires))
        self.assertEqual(42, self.signer.verify(token, now=NOW))
        self.assertEqual(42, self.signer.verify(token, now=expires))

    def test_expired(self):
        token, expires = self.signer.sign(42, 600, now=NOW)

        self.assertIsNone(self.signer.verify(token, now=expires + 1))

    def test_tampered(self):
        token, _expires = self.signer.sign(42, 600, now=NOW)
        server_id, expires, signature = token.split('.')
        flipped = ('A' if signature[0] != 'A' else 'B') + signature[1:]

        for forged in ('43.%s.%s' % (expires, signature),
                       '42.%d.%s' % (int(expires) + 3600, signature),
                       '42.%s.%s' % (expires, flipped),
                       '42.%s.%s' % (expires, signature[:-1])):
            self.assertIsNone(self.signer.verify(forged, now=NOW), forged)

    def test_malformed(self):
        for token in ('', 'abc', '42', '42.1', '42..x', '-1.5.%s' % ('A' * 22),
                      '1.2.%s' % ('A' * 21 + '+'), '1.2.%s\n' % ('A' * 22),
                      '%s.1.%s' % ('9' * 11, 'A' * 22), '١.2.' + 'A' * 22):
            self.assertIsNone(self.signer.verify(token, now=NOW), token)

    def test_the_key_decides(self):
        token, _expires = self.signer.sign(42, 600, now=NOW)
        same = signing.Signer()

        self.assertEqual(42, same.verify(token, now=NOW))
        self.flags(group='stats', secret='other')
        self.assertIsNone(signing.Signer().verify(token, now=NOW))

    def test_the_token_is_url_safe(self):
        for server_id in range(1, 40):
            token, _expires = self.signer.sign(server_id, 600, now=NOW)
            self.assertRegex(token, r'\A[0-9]+\.[0-9]+\.[A-Za-z0-9_-]{22}\Z')


class StoredSecretTest(base.TestCase):
    """Without a configured secret, processes share one in the database."""

    def setUp(self):
        super().setUp()
        self.useFixture(db_fixtures.Database(self.config_fixture))

    def _stored(self):
        with transaction() as session:
            return list(session.query(models.ServiceSecret))

    def test_made_once_and_shared(self):
        first, second = signing.Signer(), signing.Signer()

        token, _expires = first.sign(7, 600)
        self.assertEqual(7, second.verify(token))

        stored = self._stored()
        self.assertEqual([signing.SECRET_NAME],
                         [row.name for row in stored])
        self.assertEqual(64, len(stored[0].secret))

    def test_a_concurrent_maker_wins(self):
        def competitor():
            # Another process stores its key between our read and
            # our insert.
            with transaction(writer=True) as session:
                session.add(models.ServiceSecret(name=signing.SECRET_NAME,
                                                 secret='theirs'))
            return 'ours'

        self.assertEqual('theirs', signing.db_api.service_secret(
            signing.SECRET_NAME, competitor))
        self.assertEqual(['theirs'],
                         [row.secret for row in self._stored()])

    def test_the_key_is_read_once(self):
        signer = signing.Signer()
        with mock.patch.object(signing.db_api, 'service_secret',
                               return_value='k') as stored:
            token, _expires = signer.sign(1, 60)
            signer.verify(token)
            signer.sign(2, 60)

        self.assertEqual(1, stored.call_count)
