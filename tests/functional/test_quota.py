"""Quotas through the API: what each change of a server charges.

After every step the project's usage is what the rule says and adds up
to what its servers hold (``quota.verify`` finds nothing).
"""

import datetime
from unittest import mock
import xml.etree.ElementTree as ET

import sqlalchemy as sa
import testscenarios

from cyclades.api import xmlutil
from cyclades.compute import manager as compute_manager
from cyclades.compute import rpcapi
from cyclades.db import api as db_api
from cyclades.db import models
from cyclades.db.session import transaction
from cyclades import exception
from cyclades import quota
from cyclades import utils
from tests import base
from tests.functional import base as functional

load_tests = testscenarios.load_tests_apply_scenarios

SERVER_RESOURCES = quota.SERVER_RESOURCES


def ago(seconds):
    return utils.utcnow() - datetime.timedelta(seconds=seconds)


def unavailable(*args, **kwargs):
    raise exception.MessagingError('broker down')


class QuotaTestCase(functional.FunctionalTestCase):
    """Helpers to act on servers and read what their project uses."""

    scenarios = functional.DB_SCENARIOS

    def setUp(self):
        super().setUp()
        # Flavors of 1, 2 and 4 vCPUs, with 1, 2 and 4 GiB of RAM.
        self.small, self.medium, self.large = self.flavors[:3]

    # Servers

    def new_server(self, flavor=None, client=None, **extra):
        body = {'server': {'name': 'server',
                           'flavorRef': str((flavor or self.small).id),
                           'imageRef': self.image.id}}
        body['server'].update(extra)
        response = (client or self.api).post('/servers', body)
        self.assertEqual(202, response.status_int, response.body)
        return response.json['server']['id']

    def action(self, server_id, body, client=None):
        return (client or self.api).post('/servers/%s/action' % server_id,
                                         body)

    def act(self, server_id, body, status=202):
        response = self.action(server_id, body)
        self.assertEqual(status, response.status_int, response.body)
        return response

    def active(self, flavor=None, **extra):
        server_id = self.new_server(flavor, **extra)
        self.settled(server_id, 'ACTIVE')
        return server_id

    def stopped(self, flavor=None):
        server_id = self.active(flavor)
        self.act(server_id, {'shutdown': {}})
        self.settled(server_id, 'STOPPED')
        return server_id

    def record(self, server_id):
        with transaction() as session:
            return session.get(models.Server, int(server_id))

    def deleted(self, server_id):
        def gone():
            record = self.record(server_id)
            return record.deleted and not record.task_state
        base.wait_for(gone, message='server %s to be deleted' % server_id)

    # Quotas

    def set_limit(self, resource, value, project_id=None):
        with transaction(writer=True) as session:
            quota.set_limit(session, project_id or self.project_id,
                            resource, value)

    def usage(self, project_id=None):
        with transaction() as session:
            return quota.usage(session, project_id or self.project_id)

    def assertUsage(self, flavors=(), running=(), project_id=None):
        """The project uses ``flavors`` (one per server), of which
        ``running`` are running or building; and nothing else differs.
        """
        expected = dict.fromkeys(quota.RESOURCES, 0)
        for flavor in flavors:
            for resource, amount in quota.server_charges(
                    flavor, False).items():
                expected[resource] += amount
        for flavor in running:
            expected[quota.CPU] += flavor.vcpus
            expected[quota.RAM] += flavor.ram
        self.assertEqual(expected, self.usage(project_id))
        self.assertVerified()

    def assertVerified(self):
        with transaction() as session:
            self.assertEqual([], quota.verify(session))

    def assertOverLimit(self, response, resource, limit, in_use,
                        requested):
        self.assertEqual(413, response.status_int, response.body)
        fault = response.json['overLimit']
        self.assertEqual(413, fault['code'])
        self.assertEqual('Quota exceeded for %s: limit %d, in use %d, '
                         'requested %d' % (resource, limit, in_use,
                                           requested), fault['message'])
        self.assertEqual('resource=%s limit=%d usage=%d requested=%d'
                         % (resource, limit, in_use, requested),
                         fault['details'])

    def second_project(self):
        """A project the demo user is a member of, and a token for it."""
        with transaction(writer=True) as session:
            project = models.Project(name='second')
            session.add(project)
            session.flush()
            session.add(models.Membership(user_id=self.user_id,
                                          project_id=project.id))
            token = db_api.token_create(session, self.user_id, project.id,
                                        3600)
            return project.id, functional.APIClient(self.app, token)


class CreateAndDeleteTest(QuotaTestCase):

    def test_create_charges_everything(self):
        self.active(self.small)
        self.new_server(self.medium)

        self.assertUsage([self.small, self.medium],
                         [self.small, self.medium])

    def test_each_limit_refuses_a_create_that_passes_it(self):
        self.active(self.small)
        for resource in SERVER_RESOURCES:
            in_use = self.usage()[resource]
            self.set_limit(resource, in_use)
            requested = quota.server_charges(self.small, True)[resource]

            response = self.create_server(flavor=self.small)

            self.assertOverLimit(response, resource, in_use, in_use,
                                 requested)
            self.set_limit(resource, -1)

        self.assertUsage([self.small], [self.small])
        with transaction() as session:
            self.assertEqual(1, len(db_api.server_list(session,
                                                       self.project_id)))

    def test_negative_limit_is_no_limit(self):
        self.set_limit(quota.VM, -1)
        self.flags(group='quota', total_cpu=0)
        self.set_limit(quota.TOTAL_CPU, -5)

        self.new_server()

        self.assertUsage([self.small], [self.small])

    def test_quota_is_checked_before_networks(self):
        self.set_limit(quota.VM, 0)

        response = self.create_server(networks=[{'uuid': 'nowhere'}])

        self.assertOverLimit(response, quota.VM, 0, 0, 1)

    def test_create_in_another_project_charges_that_project(self):
        project_id, _client = self.second_project()

        self.new_server(self.medium, project=project_id)

        self.assertUsage([], [])
        self.assertUsage([self.medium], [self.medium],
                         project_id=project_id)

    def test_create_in_a_project_of_someone_else_is_400(self):
        _user, project_id, _token = functional.make_identity('other')

        response = self.create_server(project=project_id)

        self.assertEqual(400, response.status_int, response.body)
        self.assertIn('not a member', response.json['badRequest']['message'])
        self.assertUsage([], [], project_id=project_id)

    def test_delete_releases_everything_at_the_request(self):
        server_id = self.active(self.medium)
        # Slow enough that the destroy is still pending when checked.
        self.flags(group='fake_driver', action_time=0.5)

        self.assertEqual(204, self.api.delete('/servers/%s'
                                              % server_id).status_int)

        self.assertEqual('DESTROYING', self.record(server_id).task_state)
        self.assertUsage([], [])
        self.deleted(server_id)
        self.assertUsage([], [])

    def test_delete_during_the_build_releases_once(self):
        self.flags(group='fake_driver', build_time=0.5)
        server_id = self.new_server(self.small)
        kept = self.new_server(self.medium)

        self.assertEqual(204, self.api.delete('/servers/%s'
                                              % server_id).status_int)

        self.assertUsage([self.medium], [self.medium])
        self.deleted(server_id)
        self.settled(kept, 'ACTIVE')
        self.assertUsage([self.medium], [self.medium])

    def test_deleted_servers_make_room(self):
        self.set_limit(quota.VM, 1)
        server_id = self.active()
        self.assertEqual(413, self.create_server().status_int)

        self.api.delete('/servers/%s' % server_id)

        self.new_server()
        self.assertUsage([self.small], [self.small])

    def test_failed_build_releases_everything_and_delete_not_twice(self):
        self.flags(group='fake_driver', fail_on=['spawn'])
        failed = self.new_server(self.large)
        self.settled(failed, 'ERROR')
        self.assertUsage([], [])
        self.flags(group='fake_driver', fail_on=[])
        kept = self.active(self.small)

        self.assertEqual(204, self.api.delete('/servers/%s'
                                              % failed).status_int)
        self.deleted(failed)

        self.assertUsage([self.small], [self.small])
        self.assertEqual({}, self.record(failed).quota_charges)
        self.assertEqual(quota.server_charges(self.small, True),
                         self.record(kept).quota_charges)

    def test_failed_destroy_holds_again_what_the_server_held(self):
        server_id = self.stopped(self.medium)
        self.flags(group='fake_driver', fail_on=['destroy'])

        self.api.delete('/servers/%s' % server_id)

        self.settled(server_id, 'ERROR')
        self.assertUsage([self.medium], [])
        self.flags(group='fake_driver', fail_on=[])
        self.api.delete('/servers/%s' % server_id)
        self.deleted(server_id)
        self.assertUsage([], [])

    def test_broker_unreachable_on_create_leaves_nothing_held(self):
        with mock.patch.object(rpcapi.ComputeAPI, 'build_server',
                               unavailable):
            response = self.create_server(flavor=self.medium)

        self.assertEqual(503, response.status_int, response.body)
        with transaction() as session:
            server, = db_api.server_list(session, self.project_id)
        self.assertEqual('ERROR', server.status)
        self.assertUsage([], [])

    def test_broker_unreachable_on_delete_holds_again(self):
        server_id = self.active(self.medium)

        with mock.patch.object(rpcapi.ComputeAPI, 'delete_server',
                               unavailable):
            response = self.api.delete('/servers/%s' % server_id)

        self.assertEqual(503, response.status_int, response.body)
        self.assertEqual('ERROR', self.show(server_id)['status'])
        self.assertUsage([self.medium], [self.medium])


class NoHostTest(QuotaTestCase):
    """Servers that no compute host can build."""

    start_compute = False

    def test_server_without_a_host_holds_nothing(self):
        server_id = self.new_server(self.medium)

        self.assertEqual('ERROR', self.show(server_id)['status'])
        self.assertUsage([], [])

    def test_quota_is_still_checked(self):
        self.set_limit(quota.DISK, 10)

        response = self.create_server(flavor=self.small)

        self.assertOverLimit(response, quota.DISK, 10, 0, 20)


class PowerTest(QuotaTestCase):

    def test_shutdown_releases_cpu_and_ram_and_start_charges_them(self):
        server_id = self.active(self.medium)

        self.act(server_id, {'shutdown': {}})
        self.assertUsage([self.medium], [])
        self.settled(server_id, 'STOPPED')
        self.assertUsage([self.medium], [])

        self.act(server_id, {'start': {}})
        self.assertUsage([self.medium], [self.medium])
        self.settled(server_id, 'ACTIVE')
        self.assertUsage([self.medium], [self.medium])

    def test_start_over_the_limit_is_413(self):
        server_id = self.stopped(self.medium)
        self.active(self.small)
        for resource, limit, amount in ((quota.CPU, 2, 2),
                                        (quota.RAM, 2048, 2048)):
            self.set_limit(resource, limit)

            self.assertOverLimit(self.action(server_id, {'start': {}}),
                                 resource, limit, self.usage()[resource],
                                 amount)
            self.set_limit(resource, -1)

        server = self.show(server_id)
        self.assertEqual(('STOPPED', ''),
                         (server['status'], server['SNF:task_state']))
        self.assertUsage([self.medium, self.small], [self.small])

    def test_reboot_of_a_stopped_server_charges_cpu_and_ram(self):
        server_id = self.stopped(self.medium)

        self.act(server_id, {'reboot': {'type': 'HARD'}})

        self.assertUsage([self.medium], [self.medium])
        self.settled(server_id, 'ACTIVE')
        self.assertUsage([self.medium], [self.medium])

    def test_reboot_of_a_running_server_charges_nothing(self):
        server_id = self.active(self.medium)
        self.set_limit(quota.CPU, 2)

        self.act(server_id, {'reboot': {'type': 'SOFT'}})

        self.settled(server_id, 'ACTIVE')
        self.assertUsage([self.medium], [self.medium])

    def test_reboot_of_a_stopped_server_over_the_limit_is_413(self):
        server_id = self.stopped(self.medium)
        self.set_limit(quota.CPU, 1)

        self.assertOverLimit(self.action(server_id,
                                         {'reboot': {'type': 'SOFT'}}),
                             quota.CPU, 1, 0, 2)
        self.assertEqual('STOPPED', self.show(server_id)['status'])
        self.assertUsage([self.medium], [])

    def test_failed_start_releases_what_it_charged(self):
        server_id = self.stopped(self.medium)
        self.flags(group='fake_driver', fail_on=['power_on'])

        self.act(server_id, {'start': {}})

        self.settled(server_id, 'STOPPED')
        self.assertUsage([self.medium], [])

    def test_failed_shutdown_charges_again_what_it_released(self):
        server_id = self.active(self.medium)
        self.flags(group='fake_driver', fail_on=['power_off'])

        self.act(server_id, {'shutdown': {}})

        self.settled(server_id, 'ACTIVE')
        self.assertUsage([self.medium], [self.medium])

    def test_failed_shutdown_charges_again_even_over_the_limit(self):
        server_id = self.active(self.medium)
        host = self.compute.host
        # Casts wait in the host's queue until it comes back.
        self.compute.stop()
        self.act(server_id, {'shutdown': {}})
        # The room the shutdown made is taken while it is pending.
        self.set_limit(quota.CPU, 2)
        self.new_server(self.medium)
        self.flags(group='fake_driver', fail_on=['power_off'])

        self.start_compute_host(host)

        self.settled(server_id, 'ACTIVE')

        self.assertEqual(4, self.usage()[quota.CPU])
        self.assertVerified()

    def test_broker_unreachable_gives_back_what_the_start_took(self):
        server_id = self.stopped(self.medium)

        with mock.patch.object(rpcapi.ComputeAPI, 'start_server',
                               unavailable):
            response = self.action(server_id, {'start': {}})

        self.assertEqual(503, response.status_int, response.body)
        self.assertEqual('STOPPED', self.show(server_id)['status'])
        self.assertUsage([self.medium], [])


class ResizeTest(QuotaTestCase):

    def test_resize_charges_the_difference_and_confirm_keeps_it(self):
        server_id = self.active(self.small)

        self.act(server_id, {'resize': {'flavorRef': self.large.id}})
        self.assertUsage([self.large], [self.large])
        self.settled(server_id, 'VERIFY_RESIZE')
        self.assertUsage([self.large], [self.large])

        self.act(server_id, {'confirmResize': None}, status=204)
        self.settled(server_id, 'ACTIVE')
        self.assertUsage([self.large], [self.large])

    def test_revert_gives_the_difference_back(self):
        server_id = self.active(self.small)
        self.act(server_id, {'resize': {'flavorRef': self.large.id}})
        self.settled(server_id, 'VERIFY_RESIZE')

        self.act(server_id, {'revertResize': None})
        self.assertUsage([self.small], [self.small])
        self.settled(server_id, 'ACTIVE')
        self.assertUsage([self.small], [self.small])

    def test_resize_over_the_limit_is_413(self):
        server_id = self.active(self.small)
        self.set_limit(quota.TOTAL_RAM, 3000)

        self.assertOverLimit(
            self.action(server_id, {'resize': {'flavorRef':
                                               self.large.id}}),
            quota.TOTAL_RAM, 3000, 1024, 3072)

        server = self.show(server_id)
        self.assertEqual(('ACTIVE', '', str(self.small.id)),
                         (server['status'], server['SNF:task_state'],
                          server['flavor']['id']))
        self.assertUsage([self.small], [self.small])

    def test_resize_of_a_stopped_server_charges_no_cpu_or_ram(self):
        server_id = self.stopped(self.small)
        self.set_limit(quota.CPU, 0)
        self.set_limit(quota.RAM, 0)

        self.act(server_id, {'resize': {'flavorRef': self.large.id}})

        self.settled(server_id, 'VERIFY_RESIZE')
        self.assertUsage([self.large], [])
        self.act(server_id, {'revertResize': None})
        self.settled(server_id, 'STOPPED')
        self.assertUsage([self.small], [])

    def test_failed_resize_holds_the_old_flavor(self):
        server_id = self.active(self.small)
        self.flags(group='fake_driver', fail_on=['resize'])

        self.act(server_id, {'resize': {'flavorRef': self.large.id}})

        self.settled(server_id, 'ERROR')
        self.assertUsage([self.small], [self.small])

    def test_failed_revert_holds_the_new_flavor(self):
        server_id = self.active(self.small)
        self.act(server_id, {'resize': {'flavorRef': self.large.id}})
        self.settled(server_id, 'VERIFY_RESIZE')
        self.flags(group='fake_driver', fail_on=['resize'])

        self.act(server_id, {'revertResize': None})

        self.settled(server_id, 'ERROR')
        self.assertUsage([self.large], [self.large])


class AbandonedTaskTest(QuotaTestCase):
    """A task that a host which went down left pending."""

    def setUp(self):
        super().setUp()
        self.flags(group='compute', task_timeout=0)

    def test_abandoned_start_gives_back_what_it_charged(self):
        server_id = self.stopped(self.medium)
        self.compute.stop()

        # The host still counts as alive: the cast waits in its queue.
        self.act(server_id, {'start': {}})
        self.assertUsage([self.medium], [self.medium])
        with transaction(writer=True) as session:
            session.execute(sa.update(models.ComputeHost).values(
                heartbeat_at=ago(3600)))

        self.assertEqual(1, compute_manager.PeriodicTasks(
            'second').clear_stale_tasks())

        self.assertEqual('STOPPED', self.show(server_id)['status'])
        self.assertUsage([self.medium], [])


class ReassignTest(QuotaTestCase):

    def test_reassign_moves_the_usage(self):
        server_id = self.stopped(self.medium)
        project_id, second = self.second_project()

        self.act(server_id, {'reassign': {'project': project_id}},
                 status=200)

        self.assertUsage([], [])
        self.assertUsage([self.medium], [], project_id=project_id)
        self.act(server_id, {'start': {}}, status=404)
        self.assertEqual(202, self.action(server_id, {'start': {}},
                                          client=second).status_int)
        self.assertUsage([self.medium], [self.medium],
                         project_id=project_id)

    def test_reassign_to_a_project_without_room_is_413(self):
        server_id = self.active(self.medium)
        project_id, _second = self.second_project()
        self.set_limit(quota.TOTAL_CPU, 1, project_id=project_id)

        self.assertOverLimit(
            self.action(server_id, {'reassign': {'project': project_id}}),
            quota.TOTAL_CPU, 1, 0, 2)

        self.assertEqual(self.project_id, self.show(server_id)['tenant_id'])
        self.assertUsage([self.medium], [self.medium])
        self.assertUsage([], [], project_id=project_id)

    def test_reassign_of_a_failed_build_moves_nothing(self):
        self.flags(group='fake_driver', fail_on=['spawn'])
        server_id = self.new_server(self.medium)
        self.settled(server_id, 'ERROR')
        project_id, second = self.second_project()
        self.set_limit(quota.VM, 0, project_id=project_id)

        self.act(server_id, {'reassign': {'project': project_id}},
                 status=200)

        self.assertUsage([], [], project_id=project_id)
        self.assertEqual(204, second.delete('/servers/%s'
                                            % server_id).status_int)
        self.deleted(server_id)
        self.assertUsage([], [], project_id=project_id)
        self.assertUsage([], [])

    def test_reassign_to_a_project_of_someone_else_is_400(self):
        server_id = self.active()
        _user, project_id, _token = functional.make_identity('other')

        response = self.action(server_id,
                               {'reassign': {'project': project_id}})

        self.assertEqual(400, response.status_int, response.body)
        self.assertUsage([self.small], [self.small])


class LimitsTest(QuotaTestCase):

    def limits(self, client=None, **kwargs):
        response = (client or self.api).get('/limits', **kwargs)
        self.assertEqual(200, response.status_int, response.body)
        return response

    def test_defaults_and_usage(self):
        self.flags(group='quota', vm=7, total_cpu=12, total_ram=8192,
                   floating_ip=3)
        self.flags(group='api', max_metadata_items=9)
        self.active(self.medium)
        self.stopped(self.small)

        body = self.limits().json

        self.assertEqual({'limits': {'absolute': {
            'maxTotalInstances': 7, 'totalInstancesUsed': 2,
            'maxTotalCores': 12, 'totalCoresUsed': 3,
            'maxTotalRAMSize': 8192, 'totalRAMUsed': 3072,
            'maxTotalFloatingIps': 3, 'totalFloatingIpsUsed': 0,
            'maxServerMeta': 9, 'maxImageMeta': 9,
            'maxPersonality': 5, 'maxPersonalitySize': 10240,
        }, 'rate': []}}, body)

    def test_project_limits_and_no_limit(self):
        self.set_limit(quota.VM, 3)
        self.set_limit(quota.TOTAL_CPU, -1)
        self.set_limit(quota.TOTAL_RAM, -20)

        absolute = self.limits().json['limits']['absolute']

        self.assertEqual((3, -1, -1), (absolute['maxTotalInstances'],
                                       absolute['maxTotalCores'],
                                       absolute['maxTotalRAMSize']))

    def test_the_token_project_is_reported(self):
        self.active(self.large)
        project_id, second = self.second_project()
        self.set_limit(quota.VM, 2, project_id=project_id)
        self.new_server(self.small, client=second)

        absolute = self.limits(second).json['limits']['absolute']

        self.assertEqual((2, 1, 1, 1024),
                         (absolute['maxTotalInstances'],
                          absolute['totalInstancesUsed'],
                          absolute['totalCoresUsed'],
                          absolute['totalRAMUsed']))

    def test_xml(self):
        self.set_limit(quota.VM, 4)

        response = self.limits(headers={'Accept': 'application/xml'})

        self.assertEqual('application/xml', response.content_type)
        root = ET.fromstring(response.body)
        self.assertEqual('{%s}limits' % xmlutil.NAMESPACE, root.tag)
        absolute = root.find('{%s}absolute' % xmlutil.NAMESPACE)
        self.assertEqual('4', absolute.get('maxTotalInstances'))
        self.assertEqual('0', absolute.get('totalInstancesUsed'))

    def test_needs_a_token_and_only_get(self):
        self.assertEqual(401, self.api.get('/limits',
                                           token=False).status_int)
        response = self.api.post('/limits', {})
        self.assertEqual(400, response.status_int)
        self.assertIn('GET', response.headers['Allow'])
