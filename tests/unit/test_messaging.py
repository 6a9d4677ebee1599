"""The RPC layer, against kombu's in-process memory transport."""

import logging
import threading
import time
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


CONF = conf.CONF

# Generous, since it only matters when a test is about to fail.
DEADLINE = 10.0
TOPIC = 'compute'


def wait_for(predicate, timeout=DEADLINE, message='condition'):
    return base.wait_for(predicate, timeout=timeout, interval=0.005,
                         message=message)


def unacked(server):
    """Messages the server's channel holds but has not acked."""
    qos = server._channel.qos
    return len(qos._delivered) - len(qos._dirty)


class Endpoint:
    """Handlers whose effects the tests can observe and control."""

    def __init__(self, parties=1):
        self.calls = []
        self.lock = threading.Lock()
        self.release = threading.Event()
        self.started = threading.Semaphore(0)
        self.running = 0
        self.finished = []
        self.barrier = threading.Barrier(parties, timeout=DEADLINE)
        self.broken = []

    def record(self, ctxt, **kwargs):
        with self.lock:
            self.calls.append((ctxt, kwargs))

    def add(self, ctxt, x, y):
        return x + y

    def echo(self, ctxt, **kwargs):
        return {'kwargs': kwargs, 'request_id': ctxt.request_id}

    def invalid(self, ctxt, message):
        raise exception.InvalidState(message=message, details='in detail')

    def missing(self, ctxt, server_id):
        raise exception.ServerNotFound(server_id=server_id)

    def fail(self, ctxt):
        raise ValueError('boom')

    def unserializable(self, ctxt):
        return object()

    def block(self, ctxt, tag=None):
        with self.lock:
            self.running += 1
        self.started.release()
        try:
            if not self.release.wait(DEADLINE):
                raise AssertionError('never released')
        finally:
            with self.lock:
                self.running -= 1
                self.finished.append(tag)
        return tag

    def rendezvous(self, ctxt):
        try:
            self.barrier.wait()
        except threading.BrokenBarrierError:
            self.broken.append(True)
            raise
        with self.lock:
            self.finished.append('rendezvous')

    def _private(self, ctxt):
        self.calls.append('private')

    not_callable = 'a string'


class MessagingTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.exchange = 'test-%s' % uuid.uuid4().hex
        self.config = self.useFixture(config_fixture.Config(CONF))
        self.config.config(group='messaging', transport_url='memory://',
                           exchange=self.exchange, retry_max=2,
                           retry_interval_start=0.01,
                           retry_interval_step=0.01,
                           retry_interval_max=0.05,
                           executor_pool_size=4)
        self.logger = self.useFixture(fixtures.FakeLogger(
            name='cyclades.messaging', level=logging.DEBUG))
        self.transport = messaging.Transport()
        self.addCleanup(self.transport.close)
        self.context = context.RequestContext(
            user_id='user-1', project_id='project-1', roles=['member'])

    def start_server(self, endpoint, topics=(TOPIC,), pool_size=None):
        server = messaging.RPCServer(self.transport, list(topics), endpoint,
                                     pool_size=pool_size)
        server.start()
        self.addCleanup(server.stop)
        # Runs before stop(): a failed test must not leave it waiting.
        self.addCleanup(endpoint.release.set)
        wait_for(lambda: server._channel is not None, message='consuming')
        return server

    def wait_started(self, endpoint, count=1):
        for _ in range(count):
            self.assertTrue(endpoint.started.acquire(timeout=DEADLINE),
                            'handler did not start')

    def publish_raw(self, body, **kwargs):
        """Put a message on the topic's queue without going through cast."""
        with kombu.Connection('memory://') as connection:
            producer = kombu.Producer(connection)
            producer.publish(
                body, exchange=self.transport.exchange, routing_key=TOPIC,
                declare=[self.transport._queue(TOPIC)], **kwargs)


class TestCast(MessagingTestCase):

    def test_cast_reaches_handler_with_context_and_kwargs(self):
        endpoint = Endpoint()
        self.start_server(endpoint)

        self.transport.cast(self.context, TOPIC, 'record', a=1, b='two',
                            c={'d': [1, 2]})

        wait_for(lambda: endpoint.calls, message='the cast')
        ctxt, kwargs = endpoint.calls[0]
        self.assertIsInstance(ctxt, context.RequestContext)
        self.assertEqual(self.context.to_dict(), ctxt.to_dict())
        self.assertEqual({'a': 1, 'b': 'two', 'c': {'d': [1, 2]}}, kwargs)
        self.assertIn('Dispatching record from topic compute (request %s)'
                      % self.context.request_id, self.logger.output)

    def test_cast_before_server_starts_waits_in_queue(self):
        endpoint = Endpoint()

        self.transport.cast(self.context, TOPIC, 'record', n=1)
        self.start_server(endpoint)

        wait_for(lambda: endpoint.calls, message='the queued cast')
        self.assertEqual({'n': 1}, endpoint.calls[0][1])

    def test_server_consumes_every_topic(self):
        endpoint = Endpoint()
        self.start_server(endpoint, topics=['compute', 'compute.host-1'])

        self.transport.cast(self.context, 'compute', 'record', n=1)
        self.transport.cast(self.context, 'compute.host-1', 'record', n=2)

        wait_for(lambda: len(endpoint.calls) == 2, message='both casts')
        self.assertEqual([{'n': 1}, {'n': 2}],
                         sorted((kw for _, kw in endpoint.calls),
                                key=lambda kw: kw['n']))

    def test_failing_cast_is_logged_and_acked(self):
        endpoint = Endpoint()
        server = self.start_server(endpoint, pool_size=1)

        self.transport.cast(self.context, TOPIC, 'fail')
        self.transport.cast(self.context, TOPIC, 'invalid', message='no')
        self.transport.cast(self.context, TOPIC, 'record', n=1)

        wait_for(lambda: endpoint.calls, message='the cast after failures')
        wait_for(lambda: unacked(server) == 0, message='the acks')
        self.assertIn('fail failed on topic compute', self.logger.output)
        self.assertIn('ValueError: boom', self.logger.output)
        self.assertIn('invalid failed on topic compute', self.logger.output)

    def test_unknown_and_private_methods_are_refused(self):
        endpoint = Endpoint()
        server = self.start_server(endpoint, pool_size=1)

        for method in ('nope', '_private', '__init__', 'not_callable'):
            self.transport.cast(self.context, TOPIC, method)
        self.transport.cast(self.context, TOPIC, 'record', n=1)

        wait_for(lambda: endpoint.calls, message='the cast after refusals')
        wait_for(lambda: unacked(server) == 0, message='the acks')
        self.assertEqual([{'n': 1}], [kw for _, kw in endpoint.calls])
        self.assertIn('Refusing unknown method nope', self.logger.output)
        self.assertIn('Refusing unknown method _private', self.logger.output)

    def test_unserializable_arguments_raise_before_publishing(self):
        self.assertRaises(TypeError, self.transport.cast, self.context,
                          TOPIC, 'record', thing=object())


class TestCall(MessagingTestCase):

    def setUp(self):
        super().setUp()
        self.endpoint = Endpoint()
        self.server = self.start_server(self.endpoint)

    def test_call_returns_result(self):
        self.assertEqual(5, self.transport.call(self.context, TOPIC, 'add',
                                                x=2, y=3))

    def test_call_returns_structured_result_and_context(self):
        result = self.transport.call(self.context, TOPIC, 'echo',
                                     items=[1, 'a', None], flag=True)

        self.assertEqual({'kwargs': {'items': [1, 'a', None], 'flag': True},
                          'request_id': self.context.request_id}, result)

    def test_call_reraises_cyclades_exception(self):
        exc = self.assertRaises(exception.InvalidState, self.transport.call,
                                self.context, TOPIC, 'invalid',
                                message='Server is locked')

        self.assertEqual('Server is locked', exc.message)
        self.assertEqual('Server is locked', str(exc))
        self.assertEqual('in detail', exc.details)

    def test_call_reraises_formatted_message(self):
        exc = self.assertRaises(exception.ServerNotFound,
                                self.transport.call, self.context, TOPIC,
                                'missing', server_id='abc')

        self.assertEqual('Server abc not found', exc.message)
        self.assertEqual(404, exc.code)

    def test_call_generic_exception_becomes_remote_error(self):
        exc = self.assertRaises(exception.RemoteError, self.transport.call,
                                self.context, TOPIC, 'fail')

        self.assertEqual('ValueError', exc.kwargs['exc_class'])
        self.assertEqual('boom', exc.message)

    def test_call_unserializable_result_becomes_remote_error(self):
        exc = self.assertRaises(exception.RemoteError, self.transport.call,
                                self.context, TOPIC, 'unserializable')

        self.assertEqual('TypeError', exc.kwargs['exc_class'])

    def test_call_wrong_arguments_becomes_remote_error(self):
        exc = self.assertRaises(exception.RemoteError, self.transport.call,
                                self.context, TOPIC, 'add', x=1)

        self.assertEqual('TypeError', exc.kwargs['exc_class'])

    def test_call_unknown_method(self):
        exc = self.assertRaises(exception.RemoteError, self.transport.call,
                                self.context, TOPIC, 'nope')

        self.assertEqual('NoSuchMethod', exc.kwargs['exc_class'])
        self.assertIn('nope', exc.message)

    def test_call_private_method_is_refused(self):
        exc = self.assertRaises(exception.RemoteError, self.transport.call,
                                self.context, TOPIC, '_private')

        self.assertEqual('NoSuchMethod', exc.kwargs['exc_class'])
        self.assertEqual([], self.endpoint.calls)

    def test_call_timeout(self):
        start = time.monotonic()

        exc = self.assertRaises(exception.MessagingTimeout,
                                self.transport.call, self.context, TOPIC,
                                'block', timeout=0.5)

        elapsed = time.monotonic() - start
        self.assertGreaterEqual(elapsed, 0.5)
        self.assertLess(elapsed, 5)
        self.assertIn('compute', exc.message)
        self.assertIsInstance(exc, exception.MessagingError)

    def test_late_reply_is_dropped(self):
        self.assertRaises(exception.MessagingTimeout, self.transport.call,
                          self.context, TOPIC, 'block', tag='late',
                          timeout=0.5)
        self.endpoint.release.set()
        wait_for(lambda: 'late' in self.endpoint.finished,
                 message='the late handler')

        self.assertEqual(5, self.transport.call(self.context, TOPIC, 'add',
                                                x=2, y=3))

    def test_many_concurrent_callers_get_their_own_replies(self):
        results = {}
        errors = []

        def caller(n):
            try:
                results[n] = self.transport.call(self.context, TOPIC, 'add',
                                                 x=n, y=1000)
            except Exception as exc:
                errors.append(exc)

        threads = [threading.Thread(target=caller, args=(n,))
                   for n in range(30)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(DEADLINE)

        self.assertEqual([], errors)
        self.assertEqual({n: n + 1000 for n in range(30)}, results)

    def test_call_on_closed_transport(self):
        self.transport.close()

        self.assertRaises(exception.MessagingError, self.transport.call,
                          self.context, TOPIC, 'add', x=1, y=2)
        self.assertRaises(exception.MessagingError, self.transport.cast,
                          self.context, TOPIC, 'add', x=1, y=2)


class TestServer(MessagingTestCase):

    def test_handlers_run_concurrently(self):
        endpoint = Endpoint(parties=4)
        self.start_server(endpoint, pool_size=4)

        for _ in range(4):
            self.transport.cast(self.context, TOPIC, 'rendezvous')

        # The barrier only opens when all four handlers wait at once.
        wait_for(lambda: len(endpoint.finished) == 4 or endpoint.broken,
                 message='the rendezvous')
        self.assertEqual([], endpoint.broken)

    def test_handlers_beyond_pool_size_wait(self):
        endpoint = Endpoint()
        server = self.start_server(endpoint, pool_size=2)

        for n in range(3):
            self.transport.cast(self.context, TOPIC, 'block', tag=n)
        self.wait_started(endpoint, 2)

        self.assertEqual(2, endpoint.running)
        self.assertEqual(2, unacked(server))
        endpoint.release.set()
        wait_for(lambda: len(endpoint.finished) == 3, message='all three')

    def test_message_is_acked_only_after_handler_finished(self):
        endpoint = Endpoint()
        server = self.start_server(endpoint, pool_size=1)

        self.transport.cast(self.context, TOPIC, 'block')
        self.wait_started(endpoint)

        self.assertEqual(1, unacked(server))
        endpoint.release.set()
        wait_for(lambda: unacked(server) == 0, message='the ack')
        self.assertEqual([None], endpoint.finished)

    def test_stop_waits_for_in_flight_handlers(self):
        endpoint = Endpoint()
        server = self.start_server(endpoint, pool_size=2)
        self.transport.cast(self.context, TOPIC, 'block', tag='in-flight')
        self.wait_started(endpoint)

        stopper = threading.Thread(target=server.stop)
        stopper.start()
        stopper.join(0.3)

        self.assertTrue(stopper.is_alive(), 'stop() did not wait')
        self.assertEqual([], endpoint.finished)
        endpoint.release.set()
        stopper.join(DEADLINE)
        self.assertFalse(stopper.is_alive())
        self.assertEqual(['in-flight'], endpoint.finished)

    def test_stop_is_idempotent_and_wait_returns(self):
        endpoint = Endpoint()
        server = self.start_server(endpoint)

        server.stop()
        server.stop()
        server.wait()

        self.assertFalse(server._thread.is_alive())

    def test_wait_blocks_until_stopped(self):
        endpoint = Endpoint()
        server = self.start_server(endpoint)
        waiter = threading.Thread(target=server.wait)
        waiter.start()

        waiter.join(0.1)
        self.assertTrue(waiter.is_alive())
        server.stop()
        waiter.join(DEADLINE)
        self.assertFalse(waiter.is_alive())

    def test_stop_before_start(self):
        server = messaging.RPCServer(self.transport, [TOPIC], Endpoint())

        server.stop()
        server.wait()

    def test_stopped_server_leaves_messages_to_the_next(self):
        first = Endpoint()
        server = self.start_server(first)
        server.stop()

        self.transport.cast(self.context, TOPIC, 'record', n=1)
        second = Endpoint()
        self.start_server(second)

        wait_for(lambda: second.calls, message='the next server')
        self.assertEqual([], first.calls)

    def test_malformed_messages_do_not_kill_the_server(self):
        endpoint = Endpoint()
        server = self.start_server(endpoint, pool_size=1)

        self.publish_raw('{not json', content_type='application/json',
                         content_encoding='utf-8')
        self.publish_raw(b'\x00\x01', content_type='application/data',
                         content_encoding='binary')
        self.publish_raw('[1, 2]', content_type='application/json',
                         content_encoding='utf-8')
        self.publish_raw({'method': 'record'}, serializer='json')
        self.publish_raw({'method': 'record', 'args': [], 'context': {}},
                         serializer='json')
        self.publish_raw({'method': 5, 'args': {}, 'context': {}},
                         serializer='json')
        self.transport.cast(self.context, TOPIC, 'record', n=1)

        wait_for(lambda: endpoint.calls, message='the valid cast')
        wait_for(lambda: unacked(server) == 0, message='the acks')
        self.assertEqual([{'n': 1}], [kw for _, kw in endpoint.calls])
        self.assertEqual(6, self.logger.output.count(
            'Dropping a malformed message'))
        self.assertTrue(server._thread.is_alive())

    def test_pool_size_defaults_to_option(self):
        server = messaging.RPCServer(self.transport, TOPIC, Endpoint())

        self.assertEqual(4, server.pool_size)
        self.assertEqual([TOPIC], server.topics)


class TestBrokerErrors(testtools.TestCase):

    def setUp(self):
        super().setUp()
        config = self.useFixture(config_fixture.Config(CONF))
        # Nothing listens on port 1, so connecting fails at once.
        config.config(group='messaging',
                      transport_url='amqp://guest:guest@127.0.0.1:1//',
                      exchange='test-%s' % uuid.uuid4().hex, retry_max=1,
                      retry_interval_start=0, retry_interval_step=0,
                      retry_interval_max=0, rpc_response_timeout=1)
        self.useFixture(fixtures.FakeLogger(name='cyclades.messaging'))
        self.transport = messaging.Transport()
        self.addCleanup(self.transport.close)

    def test_cast_raises_messaging_error(self):
        exc = self.assertRaises(exception.MessagingError,
                                self.transport.cast,
                                context.admin_context(), TOPIC, 'record')

        self.assertIsNotNone(exc.__cause__)
        self.assertNotIsInstance(exc, exception.MessagingTimeout)

    def test_call_raises_messaging_error(self):
        self.assertRaises(exception.MessagingError, self.transport.call,
                          context.admin_context(), TOPIC, 'add', x=1, y=2)


class TestFailureToException(testtools.TestCase):

    def test_constructor_needing_more_falls_back_to_remote_error(self):
        exc = messaging._failure_to_exception(
            {'class': 'MethodNotAllowed', 'message': 'no', 'details': ''})

        self.assertIsInstance(exc, exception.RemoteError)
        self.assertEqual('MethodNotAllowed', exc.kwargs['exc_class'])

    def test_non_cyclades_names_are_not_looked_up(self):
        for name in ('LOG', 'Exception', None, 42):
            exc = messaging._failure_to_exception(
                {'class': name, 'message': 'm'})
            self.assertIsInstance(exc, exception.RemoteError)
