import concurrent.futures

import testscenarios

from cyclades.db import models
from cyclades.db.session import transaction
from cyclades import exception
from cyclades import quota
from tests import base
from tests import db_fixtures

load_tests = testscenarios.load_tests_apply_scenarios


class QuotaTest(base.TestCase):

    scenarios = [('sqlite', {'backend': 'sqlite'}),
                 ('postgresql', {'backend': 'postgresql'})]

    def setUp(self):
        super().setUp()
        self.useFixture(db_fixtures.Database(self.config_fixture,
                                             self.backend))
        with transaction(writer=True) as session:
            project = models.Project(name='p')
            session.add(project)
            session.flush()
            self.project_id = project.id

    def _charge(self, delta):
        with transaction(writer=True) as session:
            quota.charge(session, self.project_id, delta)

    def _usage(self):
        with transaction() as session:
            return quota.usage(session, self.project_id)

    def test_defaults_and_overrides(self):
        self.flags(group='quota', vm=3)
        with transaction(writer=True) as session:
            quota.set_limit(session, self.project_id, quota.DISK, 7)
            found = quota.limits(session, self.project_id)

        self.assertEqual(3, found[quota.VM])
        self.assertEqual(7, found[quota.DISK])
        self.assertEqual(set(quota.RESOURCES), set(found))

    def test_unknown_resource_is_refused(self):
        with transaction(writer=True) as session:
            self.assertRaises(exception.Invalid, quota.set_limit, session,
                              self.project_id, 'cyclades.nothing', 1)

    def test_charge_up_to_the_limit_then_over(self):
        self.flags(group='quota', vm=2)
        self._charge({quota.VM: 2})

        exc = self.assertRaises(exception.OverLimit, self._charge,
                                {quota.VM: 1})
        self.assertIn('cyclades.vm', exc.message)
        self.assertIn('limit 2', exc.message)
        self.assertIn('in use 2', exc.message)
        self.assertIn('requested 1', exc.message)
        self.assertEqual(2, self._usage()[quota.VM])

    def test_a_refused_charge_changes_nothing(self):
        self.flags(group='quota', vm=5, cpu=1)

        self.assertRaises(exception.OverLimit, self._charge,
                          {quota.VM: 1, quota.CPU: 2})
        self.assertEqual(0, self._usage()[quota.VM])

    def test_releases_always_pass_and_negative_limit_is_unlimited(self):
        self.flags(group='quota', vm=-1)
        self._charge({quota.VM: 1000})
        self._charge({quota.VM: -999})
        self.assertEqual(1, self._usage()[quota.VM])

    def test_concurrent_charges_never_pass_the_limit(self):
        self.flags(group='quota', vm=10)

        def attempt(_):
            try:
                self._charge({quota.VM: 1})
                return True
            except exception.OverLimit:
                return False

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            results = list(pool.map(attempt, range(30)))

        self.assertEqual(10, results.count(True))
        self.assertEqual(10, self._usage()[quota.VM])

    def test_verify_reports_and_fixes_differences(self):
        self._charge({quota.VM: 3})

        with transaction(writer=True) as session:
            found = quota.verify(session)
        self.assertEqual([(self.project_id, quota.VM, 3, 0)], found)

        with transaction(writer=True) as session:
            quota.verify(session, fix=True)
        with transaction() as session:
            self.assertEqual([], quota.verify(session))
