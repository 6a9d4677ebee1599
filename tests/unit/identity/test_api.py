"""The identity rules, below the HTTP layer."""

import datetime

from cyclades.db import api as db_api
from cyclades.db import models
from cyclades.db.session import transaction
from cyclades import exception
from cyclades.identity import accounts
from cyclades.identity import api as identity_api
from cyclades.identity import views
from cyclades import utils
from tests import base
from tests import db_fixtures


class DomainTest(base.TestCase):

    def test_the_default_domain_by_id_name_or_both(self):
        for domain in ({'id': 'default'}, {'name': 'Default'},
                       {'id': 'default', 'name': 'Default'}):
            identity_api.check_domain(domain)

    def test_other_domains(self):
        for domain in ({'id': 'other'}, {'name': 'default'},
                       {'id': 'default', 'name': 'Other'}):
            self.assertRaises(exception.AuthenticationFailed,
                              identity_api.check_domain, domain)


class TimeFormatTest(base.TestCase):

    def test_utc_with_microseconds_and_z(self):
        athens = datetime.timezone(datetime.timedelta(hours=2))
        value = datetime.datetime(2024, 5, 1, 14, 0, 0, 5, tzinfo=athens)

        self.assertEqual('2024-05-01T12:00:00.000005Z',
                         views.format_time(value))
        self.assertEqual('2024-05-01T12:00:00.000000Z',
                         views.format_time(datetime.datetime(2024, 5, 1,
                                                             12)))


class RulesTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(db_fixtures.Database(self.config_fixture))
        self.project = accounts.create_project('ops')
        self.user = accounts.create_user('alice', 'secret', project='ops')

    def test_password(self):
        with transaction() as session:
            found = identity_api.authenticate_password(
                session, 'secret', user_name='alice')
            self.assertEqual(self.user.id, found.id)
            for password, name in (('wrong', 'alice'), ('secret', 'bob'),
                                   ('', 'alice')):
                self.assertRaises(exception.AuthenticationFailed,
                                  identity_api.authenticate_password,
                                  session, password, user_name=name)

    def test_user_without_password_cannot_log_in(self):
        with transaction(writer=True) as session:
            session.add(models.User(name='nopass'))

        with transaction() as session:
            for password in ('', 'anything'):
                self.assertRaises(exception.AuthenticationFailed,
                                  identity_api.authenticate_password,
                                  session, password, user_name='nopass')

    def test_issue_never_outlives_not_after(self):
        soon = utils.utcnow() + datetime.timedelta(seconds=90)
        later = utils.utcnow() + datetime.timedelta(days=30)

        with transaction(writer=True) as session:
            capped = identity_api.issue(session, self.user, self.project,
                                        ['member'], ['token'],
                                        not_after=soon)
            free = identity_api.issue(session, self.user, self.project,
                                      ['member'], ['token'],
                                      not_after=later)

        self.assertEqual(soon, capped.expires_at)
        self.assertLess(free.expires_at, later)
        with transaction() as session:
            self.assertEqual(soon, identity_api.validate(
                session, capped.token).expires_at)

    def test_token_of_a_former_member_is_not_found(self):
        with transaction(writer=True) as session:
            token = db_api.token_create(session, self.user.id,
                                        self.project.id, 3600)
            db_api.membership_delete(session, self.user.id,
                                     self.project.id)

        with transaction() as session:
            self.assertRaises(exception.TokenNotFound,
                              identity_api.validate, session, token)

    def test_audit_id_is_stable_and_hides_the_token(self):
        authorization = accounts.create_token('alice')
        with transaction() as session:
            validated = identity_api.validate(session, authorization.token)

        self.assertEqual(authorization.audit_id, validated.audit_id)
        self.assertNotIn(authorization.audit_id, authorization.token)
        self.assertNotIn(authorization.audit_id,
                         utils.hash_token(authorization.token))
        self.assertEqual(22, len(authorization.audit_id))
