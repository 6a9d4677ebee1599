"""cyclades-manage quota: set, show and verify, on a test database."""

import re

import sqlalchemy as sa
import testscenarios

from cyclades.db import api as db_api
from cyclades.db import models
from cyclades.db.session import transaction
from cyclades import quota
from tests.unit.cmd import test_manage

load_tests = testscenarios.load_tests_apply_scenarios


class QuotaCommandsTest(test_manage.ManageTestCase):

    scenarios = test_manage.DB_SCENARIOS

    def setUp(self):
        super().setUp()
        self.flags(group='quota', vm=10, cpu=-1)
        with transaction(writer=True) as session:
            self.project = db_api.project_create(session, 'tenant')
            flavor = db_api.flavor_create(session, name='f', vcpus=2,
                                          ram=512, disk=5,
                                          disk_template='drbd')
            image = models.Image(name='i', owner_id=self.project.id,
                                 status='ACTIVE', disk_format='diskdump',
                                 container_format='bare')
            session.add(image)
            session.flush()
            self.server_values = dict(
                name='s', project_id=self.project.id, user_id='u',
                flavor_id=flavor.id, image_id=image.id, status='ACTIVE')
            self.flavor = flavor

    def add_server(self):
        """A server that holds its flavor, charged as the API does."""
        with transaction(writer=True) as session:
            charges = quota.server_charges(self.flavor, True)
            quota.charge(session, self.project.id, charges)
            db_api.server_create(session, quota_charges=charges,
                                 **self.server_values)

    def limits(self):
        with transaction() as session:
            return quota.limits(session, self.project.id)

    def set_usage(self, resource, in_use):
        with transaction(writer=True) as session:
            session.execute(
                sa.update(models.QuotaUsage)
                .where(models.QuotaUsage.project_id == self.project.id,
                       models.QuotaUsage.resource == resource)
                .values(in_use=in_use))

    # set

    def test_set_by_name_and_by_id(self):
        status, out, err = self.manage('quota', 'set', 'tenant',
                                       'cyclades.vm', '3')
        self.assertEqual((0, ''), (status, err))
        self.assertEqual('Limit of cyclades.vm for project tenant (%s) is '
                         'now 3\n' % self.project.id, out)

        status, out, _err = self.manage('quota', 'set', self.project.id,
                                        'cyclades.ram', '-1')
        self.assertEqual(0, status)
        self.assertIn('is now unlimited', out)
        self.assertEqual((3, -1), (self.limits()[quota.VM],
                                   self.limits()[quota.RAM]))

    def test_set_again_changes_the_limit(self):
        self.manage('quota', 'set', 'tenant', 'cyclades.disk', '100')
        self.manage('quota', 'set', 'tenant', 'cyclades.disk', '200')

        self.assertEqual(200, self.limits()[quota.DISK])

    def test_set_refusals(self):
        err = self.assertFails('unknown resource', 'quota', 'set',
                               'tenant', 'cyclades.gpu', '1')
        self.assertIn('cyclades.vm', err)
        self.assertFails('not found', 'quota', 'set', 'nobody',
                         'cyclades.vm', '1')
        self.assertEqual(10, self.limits()[quota.VM])

    # show

    def test_show(self):
        self.add_server()
        self.manage('quota', 'set', 'tenant', 'cyclades.vm', '4')

        status, out, _err = self.manage('quota', 'show', 'tenant')

        self.assertEqual(0, status)
        lines = out.splitlines()
        self.assertEqual('Project tenant (%s)' % self.project.id, lines[0])
        self.assertEqual(['RESOURCE', 'LIMIT', 'IN', 'USE', 'SET', 'BY'],
                         lines[1].split())
        rows = {line.split()[0]: line.split()[1:] for line in lines[2:]}
        self.assertEqual(sorted(quota.RESOURCES), sorted(rows))
        self.assertEqual(['4', '1', 'project'], rows['cyclades.vm'])
        self.assertEqual(['unlimited', '2', 'default'],
                         rows['cyclades.cpu'])
        self.assertEqual(['1024', '5', 'default'], rows['cyclades.disk'])

    def test_show_unknown_project(self):
        self.assertFails('not found', 'quota', 'show', 'nobody')

    # verify

    def test_verify_when_all_matches(self):
        self.add_server()

        status, out, _err = self.manage('quota', 'verify')

        self.assertEqual((0, 'Quota usage matches the resources\n'),
                         (status, out))

    def test_verify_reports_each_difference_and_exits_1(self):
        self.add_server()
        self.set_usage(quota.VM, 5)
        self.set_usage(quota.CPU, 0)

        status, out, _err = self.manage('quota', 'verify')

        self.assertEqual(1, status)
        rows = [line.split() for line in out.splitlines()]
        self.assertIn(['tenant', '(%s)' % self.project.id, 'cyclades.cpu',
                       '0', '2'], rows)
        self.assertIn(['tenant', '(%s)' % self.project.id, 'cyclades.vm',
                       '5', '1'], rows)
        self.assertIn('2 difference(s); run with --fix', out)
        with transaction() as session:
            self.assertEqual(5, quota.usage(session,
                                            self.project.id)[quota.VM])

    def test_verify_fix_repairs(self):
        self.add_server()
        self.set_usage(quota.DISK, 99)
        with transaction(writer=True) as session:
            session.execute(sa.delete(models.QuotaUsage).where(
                models.QuotaUsage.resource == quota.RAM))

        status, out, _err = self.manage('quota', 'verify', '--fix')

        self.assertEqual(0, status)
        self.assertTrue(re.search(r'cyclades\.disk\s+99\s+5', out), out)
        self.assertTrue(re.search(r'cyclades\.ram\s+0\s+512', out), out)
        self.assertIn('Fixed 2 difference(s)', out)
        with transaction() as session:
            usage = quota.usage(session, self.project.id)
        self.assertEqual((5, 512), (usage[quota.DISK], usage[quota.RAM]))
        self.assertEqual((0, 'Quota usage matches the resources\n'),
                         self.manage('quota', 'verify')[:2])
