"""GET /servers/<id>/stats and the graphs its links point to."""

import datetime
import re
import time
import urllib.parse

import testscenarios

from cyclades.api import app as api_app
from cyclades.db import models
from cyclades.db.session import transaction
from cyclades.stats import graphs
from cyclades.stats import samples
from cyclades.stats import signing
from cyclades import utils
from tests import base
from tests.functional import base as functional
from tests.functional import server_helpers
from tests import png_reader

load_tests = testscenarios.load_tests_apply_scenarios

CPU_BAR = (33, 102, 172)
NET_BAR = (35, 139, 69)
GRAPH_KEYS = {'cpuBar': 'cpu-bar', 'cpuTimeSeries': 'cpu-ts',
              'netBar': 'net-bar', 'netTimeSeries': 'net-ts'}
LINK = re.compile(r'http://localhost:8774/compute/stats/([^/]+)/'
                  r'([a-z-]+)\.png\Z')


def ago(seconds):
    return utils.utcnow() - datetime.timedelta(seconds=seconds)


class StatsMixin(server_helpers.ServerTestMixin):

    def stats(self, server_id, client=None):
        response = (client or self.api).get('/servers/%s/stats'
                                            % server_id)
        self.assertEqual(200, response.status_int, response.body)
        return response.json['stats']

    def fetch(self, url, client=None, **kwargs):
        """GET a graph link as a browser would: no token."""
        parts = urllib.parse.urlsplit(url)
        return (client or self.api).get(parts.path, prefix='', token=False,
                                        **kwargs)

    def graph_image(self, url, client=None):
        response = self.fetch(url, client)
        self.assertEqual(200, response.status_int, response.body)
        self.assertEqual('image/png', response.headers['Content-Type'])
        return png_reader.decode(response.body)

    def bar_fill(self, url, color):
        image = self.graph_image(url)
        return image.count(color, row=image.height // 2)

    def record(self, server_id, cpu, net, age=0):
        with transaction(writer=True) as session:
            samples.record(session, ago(age),
                           {int(server_id): (cpu, net)})


class StatsTest(StatsMixin, functional.FunctionalTestCase):

    scenarios = functional.DB_SCENARIOS
    start_compute = False

    def setUp(self):
        super().setUp()
        self.server_id, = self.insert_servers(1)

    def test_links(self):
        self.flags(group='stats', period=15)

        stats = self.stats(self.server_id)

        self.assertEqual({'serverRef', 'refresh'} | set(GRAPH_KEYS),
                         set(stats))
        self.assertEqual(self.server_id, stats['serverRef'])
        self.assertEqual(15, stats['refresh'])
        tokens = set()
        for key, graph in GRAPH_KEYS.items():
            match = LINK.match(stats[key])
            self.assertIsNotNone(match, stats[key])
            self.assertEqual(graph, match.group(2))
            tokens.add(match.group(1))
        self.assertEqual(1, len(tokens))

    def test_xml(self):
        expected = self.stats(self.server_id)

        for response in (
                self.api.get('/servers/%s/stats.xml' % self.server_id),
                self.api.get('/servers/%s/stats?format=xml'
                             % self.server_id)):
            root = self.parse_xml(response, 'stats')
            self.assertEqual(self.server_id, root.get('serverRef'))
            self.assertEqual(str(expected['refresh']), root.get('refresh'))
            for key in GRAPH_KEYS:
                self.assertEqual(expected[key].split('/stats/')[0],
                                 root.get(key).split('/stats/')[0])
                self.assertTrue(root.get(key).endswith(
                    '/%s.png' % GRAPH_KEYS[key]))

    def test_graphs_need_no_token(self):
        stats = self.stats(self.server_id)

        for key, graph in GRAPH_KEYS.items():
            image = self.graph_image(stats[key])
            size = (graphs.BAR_SIZE if graph.endswith('bar')
                    else graphs.SERIES_SIZE)
            self.assertEqual(size, (image.width, image.height))

        # A stale or bogus token does not get in the way either.
        response = self.fetch(stats['cpuBar'],
                              headers={'X-Auth-Token': 'bogus'})
        self.assertEqual(200, response.status_int)

    def test_graphs_show_the_latest_samples(self):
        stats = self.stats(self.server_id)
        self.assertEqual(0, self.bar_fill(stats['cpuBar'], CPU_BAR))
        empty_series = self.graph_image(stats['cpuTimeSeries'])

        self.record(self.server_id, cpu=20, net=1024, age=60)
        low = self.bar_fill(stats['cpuBar'], CPU_BAR)
        self.record(self.server_id, cpu=80, net=512)
        high = self.bar_fill(stats['cpuBar'], CPU_BAR)

        self.assertGreater(low, 0)
        self.assertAlmostEqual(4 * low, high, delta=2)
        # The network bar is at half the 1 KB/s scale of the window.
        full = graphs.BAR_SIZE[0] - 80
        self.assertAlmostEqual(full / 2,
                               self.bar_fill(stats['netBar'], NET_BAR),
                               delta=3)
        self.assertNotEqual(empty_series.rows,
                            self.graph_image(stats['cpuTimeSeries']).rows)

    def test_unknown_and_other_tenant(self):
        other = self.other_client()

        self.assertFault(other.get('/servers/%s/stats' % self.server_id),
                         404, 'itemNotFound')
        self.assertFault(self.api.get('/servers/9999/stats'), 404,
                         'itemNotFound')
        self.assertFault(self.api.get('/servers/abc/stats'), 400,
                         'badRequest', 'API endpoint not found')
        self.assertFault(self.api.post('/servers/%s/stats' % self.server_id,
                                       {}), 400, 'badRequest',
                         'Method not allowed')

    def test_needs_a_token(self):
        response = self.api.get('/servers/%s/stats' % self.server_id,
                                token=False)

        self.assertFault(response, 401, 'unauthorized')

    def test_deleted_server(self):
        stats = self.stats(self.server_id)
        self.set_server(self.server_id, deleted=True, status='DELETED',
                        deleted_at=utils.utcnow())

        self.assertFault(self.api.get('/servers/%s/stats' % self.server_id),
                         400, 'badRequest', 'deleted')
        self.assertFault(self.fetch(stats['cpuBar']), 404, 'itemNotFound')
        self.age_deletion(self.server_id, 7200)
        self.assertFault(self.api.get('/servers/%s/stats' % self.server_id),
                         404, 'itemNotFound')

    def test_bad_links(self):
        url = self.stats(self.server_id)['cpuBar']
        token = LINK.match(url).group(1)
        server_id, expires, signature = token.split('.')
        other_id, = self.insert_servers(1)
        flipped = ('A' if signature[0] != 'A' else 'B') + signature[1:]

        for forged in ('%s.%s.%s' % (other_id, expires, signature),
                       '%s.%d.%s' % (server_id, int(expires) + 1,
                                     signature),
                       '%s.%s.%s' % (server_id, expires, flipped),
                       'garbage', '%s.%s' % (server_id, expires),
                       '%20' * 5, '9' * 500):
            response = self.fetch(url.replace(token, forged))
            self.assertFault(response, 404, 'itemNotFound', 'expired')

        # A path that is not UTF-8 is no URL of the service at all.
        self.assertFault(self.fetch(url.replace(token, '%FF%FE')), 400,
                         'badRequest', 'API endpoint not found')

    def test_expired_link(self):
        # Signed elsewhere with the deployment's key, an hour ago.
        token, _expires = signing.Signer().sign(
            int(self.server_id), 60, now=time.time() - 3600)
        url = self.stats(self.server_id)['cpuBar']

        response = self.fetch(url.replace(LINK.match(url).group(1), token))

        self.assertFault(response, 404, 'itemNotFound')

    def test_unknown_graph_and_method(self):
        url = self.stats(self.server_id)['cpuBar']

        self.assertFault(self.fetch(url.replace('cpu-bar', 'mem-bar')), 400,
                         'badRequest', 'API endpoint not found')
        self.assertFault(self.fetch(url[:-len('.png')]), 400, 'badRequest')
        path = urllib.parse.urlsplit(url).path
        self.assertFault(self.api.post(path, {}, prefix='', token=False),
                         400, 'badRequest', 'Method not allowed')

    def test_links_work_on_every_api_process(self):
        url = self.stats(self.server_id)['netTimeSeries']

        other_process = functional.APIClient(api_app.load_app())

        self.graph_image(url, client=other_process)

    def test_configured_secret(self):
        self.flags(group='stats', secret='shared by every API host')
        url = self.stats(self.server_id)['cpuBar']
        token = LINK.match(url).group(1)

        self.assertEqual(int(self.server_id),
                         signing.Signer().verify(token))
        with transaction() as session:
            self.assertIsNone(session.get(models.ServiceSecret,
                                          signing.SECRET_NAME))
        self.flags(group='stats', secret='another key')
        other_key = functional.APIClient(api_app.load_app())
        self.assertFault(self.fetch(url, client=other_key), 404,
                         'itemNotFound')

    def test_public_endpoint(self):
        self.flags(group='api', public_endpoint='https://cloud.example.org/')

        stats = self.stats(self.server_id)

        for key in GRAPH_KEYS:
            self.assertTrue(stats[key].startswith(
                'https://cloud.example.org/compute/stats/'), stats[key])


class SamplingTest(StatsMixin, functional.FunctionalTestCase):
    """The compute host samples on its timer and the graphs follow."""

    start_compute = False

    def setUp(self):
        super().setUp()
        self.flags(group='stats', period=1)
        self.compute = self.start_compute_host('host-stats')

    def test_graphs_follow_the_server(self):
        server_id = self.new_server()
        self.wait_for_status(server_id, 'ACTIVE')
        url = self.stats(server_id)['cpuBar']

        # The fake hypervisor says 5 % while running, 0 once stopped.
        base.wait_for(lambda: self.bar_fill(url, CPU_BAR) > 0,
                      message='a sample of the running server')
        self.assertEqual(202, self.api.post(
            '/servers/%s/action' % server_id, {'shutdown': {}}).status_int)
        self.wait_for_status(server_id, 'STOPPED')
        base.wait_for(lambda: self.bar_fill(url, CPU_BAR) == 0,
                      message='a sample of the stopped server')
