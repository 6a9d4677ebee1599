"""The RPC layer against a real RabbitMQ."""

import logging
import socket
import threading
import uuid

import fixtures
import kombu
from oslo_config import fixture as config_fixture
import testtools

from cyclades import conf
from cyclades import context
from cyclades import exception
from cyclades import messaging
from tests import base
from tests import services

CONF = conf.CONF

DEADLINE = 20.0
TOPIC = 'compute'


def wait_for(predicate, timeout=DEADLINE, message='condition'):
    return base.wait_for(predicate, timeout=timeout, interval=0.01,
                         message=message)


class Endpoint:

    def __init__(self):
        self.lock = threading.Lock()
        self.calls = []
        self.started = []
        self.release = threading.Event()

    def record(self, ctxt, **kwargs):
        with self.lock:
            self.calls.append((ctxt.request_id, kwargs))

    def add(self, ctxt, x, y):
        return x + y

    def invalid(self, ctxt, message):
        raise exception.InvalidState(message=message)

    def block(self, ctxt, tag):
        with self.lock:
            self.started.append(tag)
        if not self.release.wait(DEADLINE):
            raise AssertionError('never released')
        with self.lock:
            self.calls.append((ctxt.request_id, {'tag': tag}))


class RabbitTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.url = services.require_rabbitmq()
        self.exchange = 'test-%s' % uuid.uuid4().hex
        config = self.useFixture(config_fixture.Config(CONF))
        config.config(group='messaging', transport_url=self.url,
                      exchange=self.exchange, retry_max=3,
                      retry_interval_start=0.1, retry_interval_step=0.1,
                      retry_interval_max=0.5, executor_pool_size=4)
        self.logger = self.useFixture(fixtures.FakeLogger(
            name='cyclades.messaging', level=logging.INFO))
        # Registered first so that it runs after everything is closed.
        self.addCleanup(self.delete_broker_entities)
        self.transport = messaging.Transport()
        self.addCleanup(self.transport.close)
        self.context = context.RequestContext(user_id='u', project_id='p')

    def delete_broker_entities(self):
        with kombu.Connection(self.url) as connection:
            channel = connection.channel()
            channel.queue_delete('%s.%s' % (self.exchange, TOPIC))
            channel.exchange_delete(self.exchange)

    def start_server(self, endpoint):
        server = messaging.RPCServer(self.transport, [TOPIC], endpoint)
        server.start()
        self.addCleanup(server.stop)
        self.addCleanup(endpoint.release.set)
        wait_for(lambda: server._channel is not None, message='consuming')
        return server

    def queued_messages(self):
        with kombu.Connection(self.url) as connection:
            channel = connection.channel()
            result = channel.queue_declare('%s.%s' % (self.exchange, TOPIC),
                                           passive=True)
            return result.message_count

    def drop_connection(self, server):
        """Cut the server's TCP connection as a dying broker would."""
        sock = server._connection.connection.transport.sock
        sock.shutdown(socket.SHUT_RDWR)


class TestRabbit(RabbitTestCase):

    def test_cast_and_call_round_trip(self):
        endpoint = Endpoint()
        self.start_server(endpoint)

        self.transport.cast(self.context, TOPIC, 'record', n=1)

        self.assertEqual(5, self.transport.call(self.context, TOPIC, 'add',
                                                x=2, y=3, timeout=10))
        wait_for(lambda: endpoint.calls, message='the cast')
        self.assertEqual([(self.context.request_id, {'n': 1})],
                         endpoint.calls)
        exc = self.assertRaises(exception.InvalidState, self.transport.call,
                                self.context, TOPIC, 'invalid',
                                message='locked', timeout=10)
        self.assertEqual('locked', exc.message)

    def test_call_timeout(self):
        endpoint = Endpoint()
        self.start_server(endpoint)

        self.assertRaises(exception.MessagingTimeout, self.transport.call,
                          self.context, TOPIC, 'block', tag='slow',
                          timeout=0.5)

    def test_cast_without_server_is_delivered_when_it_starts(self):
        self.transport.cast(self.context, TOPIC, 'record', n=1)
        self.assertEqual(1, self.queued_messages())

        endpoint = Endpoint()
        self.start_server(endpoint)

        wait_for(lambda: endpoint.calls, message='the queued cast')
        self.assertEqual([(self.context.request_id, {'n': 1})],
                         endpoint.calls)

    def test_server_survives_connection_drop(self):
        endpoint = Endpoint()
        server = self.start_server(endpoint)
        self.assertEqual(3, self.transport.call(self.context, TOPIC, 'add',
                                                x=1, y=2, timeout=10))
        generation = server._generation

        self.drop_connection(server)

        wait_for(lambda: server._generation > generation
                 and server._channel is not None, message='the reconnect')
        self.assertIn('Lost the broker for rpc-server[compute]',
                      self.logger.output)
        self.assertEqual(7, self.transport.call(self.context, TOPIC, 'add',
                                                x=3, y=4, timeout=10))
        self.transport.cast(self.context, TOPIC, 'record', n=2)
        wait_for(lambda: endpoint.calls, message='the cast after reconnect')

    def test_message_in_flight_during_drop_is_redelivered(self):
        endpoint = Endpoint()
        server = self.start_server(endpoint)
        self.transport.cast(self.context, TOPIC, 'block', tag='first')
        wait_for(lambda: endpoint.started, message='the handler')

        self.drop_connection(server)

        # Unacked, so the broker hands it out again after the reconnect.
        wait_for(lambda: len(endpoint.started) == 2, message='redelivery')
        endpoint.release.set()
        wait_for(lambda: len(endpoint.calls) == 2, message='both runs')
        self.assertTrue(server._thread.is_alive())
        # Stopping requeues whatever is still unacked.
        server.stop()
        self.assertEqual(0, self.queued_messages())
