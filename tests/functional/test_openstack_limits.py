"""/limits in the OpenStack dialect: Nova's 2.1 absolute limits."""

from tempest.lib.api_schema.response.compute.v2_1 import limits as schemas

from tests.functional import base as functional
from tests.functional import openstack_helpers

#: The keys Nova 2.1 clients require.
ABSOLUTE = {'maxImageMeta', 'maxPersonality', 'maxPersonalitySize',
            'maxSecurityGroupRules', 'maxSecurityGroups', 'maxServerMeta',
            'maxTotalCores', 'maxTotalFloatingIps', 'maxTotalInstances',
            'maxTotalKeypairs', 'maxTotalRAMSize', 'totalCoresUsed',
            'totalFloatingIpsUsed', 'totalInstancesUsed', 'totalRAMUsed',
            'totalSecurityGroupsUsed'}


class LimitsTest(openstack_helpers.OpenStackTestMixin,
                 functional.FunctionalTestCase):

    start_compute = False

    def absolute(self, path='/limits'):
        body = self.assertSchema(schemas.get_limit, self.nova.get(path))
        self.assertEqual([], body['limits']['rate'])
        return body['limits']['absolute']

    def test_the_sixteen_integers(self):
        self.flags(group='quota', vm=3, total_cpu=-1)
        self.flags(group='api', max_metadata_items=7)

        absolute = self.absolute()

        self.assertEqual(ABSOLUTE, set(absolute))
        self.assertTrue(all(type(value) is int
                            for value in absolute.values()))
        self.assertEqual((3, -1, 7, 7, 5, 10240, 0, 0),
                         (absolute['maxTotalInstances'],
                          absolute['maxTotalCores'],
                          absolute['maxServerMeta'],
                          absolute['maxImageMeta'],
                          absolute['maxPersonality'],
                          absolute['maxPersonalitySize'],
                          absolute['maxSecurityGroups'],
                          absolute['maxTotalKeypairs']))


class UsageTest(openstack_helpers.OpenStackTestMixin,
                functional.FunctionalTestCase):

    def absolute(self, path):
        body = self.assertSchema(schemas.get_limit, self.nova.get(path))
        return body['limits']['absolute']

    def test_usage_and_the_parameters_clients_send(self):
        self.nova_server()

        for path in ('/limits', '/limits?reserved=False', '/limits/',
                     '/%s/limits' % self.project_id):
            absolute = self.absolute(path)
            self.assertEqual((1, self.flavors[0].vcpus, self.flavors[0].ram),
                             (absolute['totalInstancesUsed'],
                              absolute['totalCoresUsed'],
                              absolute['totalRAMUsed']), path)
