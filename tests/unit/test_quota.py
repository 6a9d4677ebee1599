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

    def test_forced_charge_passes_the_limit(self):
        self.flags(group='quota', cpu=1)
        with transaction(writer=True) as session:
            quota.charge(session, self.project_id, {quota.CPU: 3},
                         force=True)

        self.assertEqual(3, self._usage()[quota.CPU])
        self.assertRaises(exception.OverLimit, self._charge, {quota.CPU: 1})

    def test_charge_of_an_unknown_project_is_refused(self):
        with transaction(writer=True) as session:
            self.assertRaises(exception.Invalid, quota.charge, session,
                              'no-such-project', {quota.VM: 1})


class ServerChargesTest(base.TestCase):

    scenarios = QuotaTest.scenarios

    def setUp(self):
        super().setUp()
        self.useFixture(db_fixtures.Database(self.config_fixture,
                                             self.backend))
        with transaction(writer=True) as session:
            projects = [models.Project(name=name) for name in 'ab']
            session.add_all(projects)
            flavor = models.Flavor(name='f', vcpus=2, ram=512, disk=5,
                                   disk_template='drbd')
            image = models.Image(name='i', status='ACTIVE')
            session.add_all([flavor, image])
            session.flush()
            self.first, self.second = [project.id for project in projects]
            self.flavor = flavor
            server = models.Server(
                name='s', project_id=self.first, user_id='u',
                flavor_id=flavor.id, image_id=image.id, progress=100)
            session.add(server)
            session.flush()
            self.server_id = server.id

    def _set(self, charges, **kwargs):
        with transaction(writer=True) as session:
            server = session.get(models.Server, self.server_id)
            return quota.set_server_charges(session, server, charges,
                                            **kwargs)

    def _usage(self, project_id):
        with transaction() as session:
            return {resource: amount for resource, amount
                    in quota.usage(session, project_id).items() if amount}

    def _verify(self):
        with transaction() as session:
            return quota.verify(session)

    def test_only_the_difference_is_charged(self):
        running = quota.server_charges(self.flavor, True)
        stopped = quota.server_charges(self.flavor, False)

        self.assertEqual({}, self._set(running))
        self.assertEqual(running, self._set(stopped))

        self.assertEqual({quota.VM: 1, quota.TOTAL_CPU: 2,
                          quota.TOTAL_RAM: 512, quota.DISK: 5},
                         self._usage(self.first))
        self.assertEqual([], self._verify())

    def test_refused_charges_change_nothing(self):
        self.flags(group='quota', ram=100)

        self.assertRaises(exception.OverLimit, self._set,
                          quota.server_charges(self.flavor, True))

        self.assertEqual({}, self._usage(self.first))
        with transaction() as session:
            self.assertEqual({}, session.get(models.Server,
                                             self.server_id).quota_charges)

    def test_release_and_set_by_id(self):
        self._set(quota.server_charges(self.flavor, True))

        with transaction(writer=True) as session:
            quota.release_server(session, self.server_id)
        self.assertEqual({}, self._usage(self.first))

        with transaction(writer=True) as session:
            quota.set_charges_of(
                session, self.server_id,
                lambda server: quota.server_charges(server.flavor, False))
        self.assertEqual(5, self._usage(self.first)[quota.DISK])
        self.assertEqual([], self._verify())

    def test_move_server(self):
        self._set(quota.server_charges(self.flavor, True))

        with transaction(writer=True) as session:
            server = session.get(models.Server, self.server_id)
            quota.move_server(session, server, self.second)

        self.assertEqual({}, self._usage(self.first))
        self.assertEqual(2, self._usage(self.second)[quota.CPU])
        self.assertEqual([], self._verify())

    def test_move_to_a_full_project_moves_nothing(self):
        self._set(quota.server_charges(self.flavor, True))
        with transaction(writer=True) as session:
            quota.set_limit(session, self.second, quota.DISK, 4)

        def move():
            with transaction(writer=True) as session:
                server = session.get(models.Server, self.server_id)
                quota.move_server(session, server, self.second)

        self.assertRaises(exception.OverLimit, move)

        self.assertEqual({}, self._usage(self.second))
        self.assertEqual(5, self._usage(self.first)[quota.DISK])

    def test_settled_charges(self):
        with transaction() as session:
            server = session.get(models.Server, self.server_id)
            self.assertEqual(quota.server_charges(self.flavor, True),
                             quota.settled_charges(server))
            server.powered_on = False
            self.assertEqual(quota.server_charges(self.flavor, False),
                             quota.settled_charges(server))
            server.progress = 0
            self.assertEqual({}, quota.settled_charges(server))
            server.progress, server.deleted = 100, True
            self.assertEqual({}, quota.settled_charges(server))
