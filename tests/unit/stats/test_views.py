"""The stats body of the Cyclades dialect."""

import webob

from cyclades.api.compute.views import stats as stats_views
from cyclades.stats import api as stats_api
from cyclades.stats import graphs
from tests import base


class StatsViewTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.req = webob.Request.blank('/compute/v2.0/servers/42/stats',
                                       base_url='http://api.example.org')
        self.req.script_name = '/compute'
        self.links = stats_api.Links(server_id=42, token='42.99.sig',
                                     expires=99, refresh=30)

    def test_body(self):
        body = stats_views.stats(self.req, self.links)

        root = 'http://api.example.org/compute/stats/42.99.sig/'
        self.assertEqual({'stats': {
            'serverRef': '42', 'refresh': 30,
            'cpuBar': root + 'cpu-bar.png',
            'cpuTimeSeries': root + 'cpu-ts.png',
            'netBar': root + 'net-bar.png',
            'netTimeSeries': root + 'net-ts.png'}}, body)

    def test_public_endpoint(self):
        self.flags(group='api', public_endpoint='https://cloud.example.org')

        body = stats_views.stats(self.req, self.links)

        self.assertEqual(
            'https://cloud.example.org/compute/stats/42.99.sig/cpu-bar.png',
            body['stats']['cpuBar'])

    def test_every_link_names_a_graph(self):
        self.assertEqual(set(graphs.GRAPHS),
                         {graph for _key, graph in stats_views.GRAPH_KEYS})
