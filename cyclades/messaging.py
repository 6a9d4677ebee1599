"""Remote procedure calls between the API and the compute hosts.

Requests travel over one durable exchange to one durable queue per topic,
so a cast survives the restart of the host that should handle it.  A
call waits on a reply queue that belongs to the calling process.

This is the only module that talks to kombu: every broker, AMQP or
socket error leaves it as ``exception.MessagingError``.

A kombu connection is not safe to share between threads, and in the
daemons the threads are eventlet green threads that would interleave
frames on one socket.  So each consuming loop owns its connection and is
the only thread that touches it; handlers give their finished messages
back to it through a queue, and everything else publishes on a
connection borrowed from the pool for the length of one publish.

A message is acked once its handler returns, so a host that loses the
broker midway gets it again: handlers must be safe to run twice.
"""

import concurrent.futures
import logging
import queue
import socket
import threading
import time
import uuid

import kombu
import kombu.exceptions
from kombu.utils import json as kombu_json

from cyclades import conf
from cyclades import context as cyclades_context
from cyclades import exception

LOG = logging.getLogger(__name__)

CONF = conf.CONF

# Seconds a consuming loop blocks in the broker before it acks finished
# handlers and looks at the stop flag again.  It bounds the delay of an
# ack, so it is kept small; waiting costs nothing while idle.
_DRAIN_TIMEOUT = 0.05

# Seconds of silence after which the broker and the consuming loops
# consider the other side gone, so half-open TCP connections get noticed.
_HEARTBEAT = 60

# The memory transport polls its queues; the default of one second would
# make every call through cyclades-all take a second.
_MEMORY_POLLING_INTERVAL = 0.01

_CONTENT_TYPE = 'application/json'
_CONTENT_ENCODING = 'utf-8'


def _broker_errors(connection):
    """What must become MessagingError, whatever the transport."""
    return (tuple(connection.connection_errors)
            + tuple(connection.channel_errors)
            + (OSError, kombu.exceptions.KombuError))


def _encode(body):
    # kombu's encoder, so that dates and UUIDs come back as such.
    return kombu_json.dumps(body)


def _release_quietly(connection):
    """Close a connection that may already be dead."""
    try:
        connection.release()
    except Exception:
        LOG.debug('Ignored an error while closing a broker connection',
                  exc_info=True)
        connection.collect()


def _failure_to_exception(failure):
    """Rebuild the error a remote handler raised.

    Cyclades' own errors keep their class, so the API answers a remote
    ``InvalidState`` exactly like a local one; anything else would leak
    internals and becomes a ``RemoteError``.
    """
    if not isinstance(failure, dict):
        failure = {}
    name = failure.get('class')
    message = failure.get('message')
    details = failure.get('details') or ''
    cls = getattr(exception, name, None) if isinstance(name, str) else None
    if (isinstance(cls, type)
            and issubclass(cls, exception.CycladesException)):
        try:
            return cls(message=message, details=details)
        except TypeError:
            # Its constructor wants more than a message; fall through.
            pass
    return exception.RemoteError(exc_class=name, message=message,
                                 details=details)


class _Request:
    """A request message, checked before any handler sees it."""

    def __init__(self, message):
        body = message.decode()
        if not isinstance(body, dict):
            raise ValueError('the body is not an object')

        method = body.get('method')
        args = body.get('args')
        ctxt = body.get('context')
        if not isinstance(method, str) or not method:
            raise ValueError('no method name')
        if not isinstance(args, dict):
            raise ValueError('args is not an object')
        if not isinstance(ctxt, dict):
            raise ValueError('context is not an object')

        properties = message.properties or {}
        delivery_info = message.delivery_info or {}
        self.method = method
        self.args = args
        self.context = cyclades_context.RequestContext.from_dict(ctxt)
        self.reply_to = properties.get('reply_to')
        self.correlation_id = properties.get('correlation_id')
        self.topic = delivery_info.get('routing_key')

    @property
    def is_call(self):
        return bool(self.reply_to)


class _ConsumingLoop:
    """A thread that alone uses one broker connection, reconnecting.

    Subclasses say what to consume and what to do between two waits on
    the broker; the loop keeps going across broker restarts until
    ``_stopping`` is set and ``_on_stopping`` agrees to leave.
    """

    def __init__(self, transport, description):
        self._transport = transport
        self._description = description
        self._stopping = threading.Event()
        self._thread = None
        self._connection = None
        self._channel = None
        self._generation = 0

    def _start_thread(self):
        self._thread = threading.Thread(
            target=self._run, name=self._description, daemon=True)
        self._thread.start()

    def _join(self):
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    def _declare(self, channel):
        """Declare the queues and start consuming on ``channel``."""
        raise NotImplementedError

    def _on_connected(self):
        pass

    def _on_disconnected(self):
        pass

    def _on_tick(self):
        pass

    def _on_stopping(self):
        """Return whether the loop may close its connection now."""
        return True

    def _on_finished(self):
        pass

    def _run(self):
        errors = self._transport._errors
        attempt = 0
        try:
            while not self._stopping.is_set():
                try:
                    self._connect()
                    attempt = 0
                    self._consume()
                except errors as exc:
                    delay = self._transport._backoff(attempt)
                    attempt += 1
                    LOG.warning('Lost the broker for %s (%s); reconnecting '
                                'in %.1f s', self._description, exc, delay)
                    self._disconnect()
                    self._stopping.wait(delay)
                except Exception:
                    delay = self._transport._backoff(attempt)
                    attempt += 1
                    LOG.exception('Unexpected failure in %s; restarting '
                                  'in %.1f s', self._description, delay)
                    self._disconnect()
                    self._stopping.wait(delay)
                else:
                    self._disconnect()
        finally:
            self._on_finished()

    def _connect(self):
        connection = self._transport._consumer_connection()
        try:
            connection.ensure_connection(max_retries=0)
            channel = connection.channel()
            self._declare(channel)
        except BaseException:
            _release_quietly(connection)
            raise

        self._connection = connection
        self._channel = channel
        self._generation += 1
        if self._generation > 1:
            LOG.info('Reconnected %s to the broker', self._description)
        self._on_connected()

    def _consume(self):
        connection = self._connection
        while True:
            self._on_tick()
            if self._stopping.is_set() and self._on_stopping():
                return

            try:
                connection.drain_events(timeout=_DRAIN_TIMEOUT)
            except socket.timeout:
                pass
            connection.heartbeat_check()

    def _disconnect(self):
        connection = self._connection
        self._connection = None
        self._channel = None
        self._on_disconnected()
        if connection is not None:
            _release_quietly(connection)


class _ReplyListener(_ConsumingLoop):
    """Receives the replies to every call of one Transport.

    One queue per process rather than per call saves a queue declaration
    per call, and lets a caller wait without holding a connection.
    """

    def __init__(self, transport):
        super().__init__(transport, 'rpc-replies')
        self.queue_name = '%s.reply.%s' % (transport.exchange_name,
                                           uuid.uuid4().hex)
        self._lock = threading.Lock()
        self._waiters = {}
        self._ready = threading.Event()

    def ensure_started(self, timeout):
        """Start on the first call, so that casting processes need no
        reply queue; a reply sent before it is consumed would be lost.
        """
        with self._lock:
            if self._thread is None:
                self._start_thread()

        if not self._ready.wait(timeout):
            raise exception.MessagingError(
                reason='the reply queue is not ready')
        return self.queue_name

    def stop(self):
        self._stopping.set()
        self._join()

    def register(self, correlation_id):
        waiter = queue.Queue()
        with self._lock:
            self._waiters[correlation_id] = waiter
        return waiter

    def unregister(self, correlation_id):
        with self._lock:
            self._waiters.pop(correlation_id, None)

    def _declare(self, channel):
        reply_queue = kombu.Queue(self.queue_name, exclusive=True,
                                  auto_delete=True, durable=False)
        consumer = kombu.Consumer(channel, queues=[reply_queue],
                                  on_message=self._on_message, no_ack=True,
                                  accept=['json'])
        consumer.consume()

    def _on_connected(self):
        self._ready.set()

    def _on_disconnected(self):
        self._ready.clear()

    def _on_message(self, message):
        correlation_id = (message.properties or {}).get('correlation_id')
        try:
            body = message.decode()
        except Exception as exc:
            LOG.error('Dropping a malformed reply %s: %s',
                      correlation_id, exc)
            return

        with self._lock:
            waiter = self._waiters.get(correlation_id)
        if waiter is None:
            LOG.debug('Dropping reply %s: nobody waits for it any more',
                      correlation_id)
            return
        waiter.put(body)


class Transport:
    """One per process; holds the kombu connection pool."""

    def __init__(self, conf=None):
        self.conf = conf if conf is not None else CONF
        opts = self.conf.messaging
        self.exchange_name = opts.exchange
        self.exchange = kombu.Exchange(opts.exchange, type='direct',
                                       durable=True)
        self._interval_start = opts.retry_interval_start
        self._interval_step = opts.retry_interval_step
        self._interval_max = opts.retry_interval_max
        self._retry_policy = {
            'max_retries': opts.retry_max,
            'interval_start': opts.retry_interval_start,
            'interval_step': opts.retry_interval_step,
            'interval_max': opts.retry_interval_max,
            'errback': self._on_publish_error,
        }

        # The connection's own retry options apply to its first connect,
        # which would otherwise retry forever.
        transport_options = dict(self._retry_policy)
        del transport_options['errback']
        url = opts.transport_url
        if url.startswith('memory://'):
            transport_options['polling_interval'] = _MEMORY_POLLING_INTERVAL
            if url.rstrip('/') == 'memory:':
                # The memory transport has no host, but kombu warns on
                # every connection that it was given none.
                url = 'memory://localhost/'
        self._connection = kombu.Connection(
            url, transport_options=transport_options)
        self._errors = _broker_errors(self._connection)
        # Publishers hold a connection only while publishing, so one per
        # handler thread of a server is enough to never wait for long.
        self._pool = self._connection.Pool(limit=opts.executor_pool_size)
        self._pool_timeout = opts.rpc_response_timeout
        self.rpc_response_timeout = opts.rpc_response_timeout
        self._replies = _ReplyListener(self)
        self._closed = False

    def cast(self, context, topic, method, **kwargs):
        """Persistent, so it waits in its queue while the host is down."""
        body = self._request_body(context, method, kwargs)
        self._publish(body, topic=topic, delivery_mode=2)

    def call(self, context, topic, method, timeout=None, **kwargs):
        """Raise the handler's own error if Cyclades defines its class."""
        if timeout is None:
            timeout = self.rpc_response_timeout
        deadline = time.monotonic() + timeout
        body = self._request_body(context, method, kwargs)
        self._check_open()
        reply_to = self._replies.ensure_started(timeout)

        correlation_id = uuid.uuid4().hex
        waiter = self._replies.register(correlation_id)
        try:
            # Past the deadline nobody reads the answer: let the broker
            # drop the request instead of running it late.
            self._publish(body, topic=topic, delivery_mode=2,
                          reply_to=reply_to, correlation_id=correlation_id,
                          expiration=timeout)

            try:
                reply = waiter.get(
                    timeout=max(deadline - time.monotonic(), 0))
            except queue.Empty:
                raise exception.MessagingTimeout(
                    topic=topic, timeout=timeout) from None
        finally:
            self._replies.unregister(correlation_id)

        if not isinstance(reply, dict):
            raise exception.MessagingError(
                reason='malformed reply to %s' % method)
        if 'failure' in reply:
            raise _failure_to_exception(reply['failure'])
        return reply.get('result')

    def close(self):
        if self._closed:
            return
        self._closed = True

        self._replies.stop()
        self._pool.force_close_all()
        _release_quietly(self._connection)

    def _check_open(self):
        if self._closed:
            raise exception.MessagingError(reason='the transport is closed')

    def _request_body(self, context, method, kwargs):
        ctxt = context.to_dict() if context is not None else {}
        return _encode({'method': method, 'args': kwargs, 'context': ctxt})

    def _queue(self, topic):
        return kombu.Queue('%s.%s' % (self.exchange_name, topic),
                           exchange=self.exchange, routing_key=topic,
                           durable=True, auto_delete=False)

    def _publish(self, body, topic=None, reply_queue=None, **properties):
        """Publish a request to ``topic``, or a reply to ``reply_queue``.

        Requests declare their queue, so that a cast to a host that is
        down waits for it instead of being dropped by the exchange.
        """
        self._check_open()
        if topic is not None:
            exchange = self.exchange
            routing_key = topic
            declare = [self._queue(topic)]
        else:
            exchange = ''
            routing_key = reply_queue
            declare = []

        try:
            with self._pool.acquire(block=True,
                                    timeout=self._pool_timeout) as conn:
                producer = kombu.Producer(conn)
                producer.publish(
                    body, exchange=exchange, routing_key=routing_key,
                    declare=declare, retry=True,
                    retry_policy=dict(self._retry_policy),
                    content_type=_CONTENT_TYPE,
                    content_encoding=_CONTENT_ENCODING, **properties)
        except self._errors as exc:
            raise exception.MessagingError(reason=str(exc)) from exc

    def _reply(self, reply_to, correlation_id, body):
        self._publish(body, reply_queue=reply_to, delivery_mode=1,
                      correlation_id=correlation_id)

    def _on_publish_error(self, exc, interval):
        LOG.warning('Cannot publish to the broker (%s); retrying in %.1f s',
                    exc, interval)

    def _consumer_connection(self):
        return self._connection.clone(heartbeat=_HEARTBEAT)

    def _backoff(self, attempt):
        """Seconds to wait before the reconnection attempt ``attempt``."""
        return min(self._interval_start + self._interval_step * attempt,
                   self._interval_max)


class RPCServer(_ConsumingLoop):
    """Consumes the queues of `topics` and dispatches to `endpoint`."""

    def __init__(self, transport, topics, endpoint, pool_size=None):
        if isinstance(topics, str):
            topics = [topics]
        self.topics = list(topics)
        super().__init__(transport, 'rpc-server[%s]' % ','.join(self.topics))
        self.endpoint = endpoint
        self.pool_size = (pool_size
                          or transport.conf.messaging.executor_pool_size)
        self._executor = None
        self._consumer = None
        self._done = queue.Queue()
        self._in_flight = 0
        self._start_lock = threading.Lock()

    def start(self):
        with self._start_lock:
            if self._thread is not None:
                raise RuntimeError('%s was already started'
                                   % self._description)
            self._executor = concurrent.futures.ThreadPoolExecutor(
                max_workers=self.pool_size,
                thread_name_prefix='rpc-handler')
            self._start_thread()

    def stop(self):
        self._stopping.set()
        self._join()

    def wait(self):
        self._join()

    def _declare(self, channel):
        queues = [self._transport._queue(topic) for topic in self.topics]
        # The prefetch keeps the broker from handing out more messages
        # than there are threads, so nothing waits unacked in the pool.
        consumer = kombu.Consumer(channel, queues=queues,
                                  on_message=self._on_message,
                                  prefetch_count=self.pool_size,
                                  accept=['json'])
        consumer.consume()
        self._consumer = consumer

    def _on_disconnected(self):
        self._consumer = None

    def _on_tick(self):
        self._flush_done()

    def _on_stopping(self):
        if self._consumer is not None:
            self._consumer.cancel()
            self._consumer = None
        return self._in_flight == 0

    def _on_finished(self):
        # Without a connection the broker redelivers what was not acked;
        # the handlers still get to finish what they started.
        while self._in_flight:
            self._done.get()
            self._in_flight -= 1
        self._executor.shutdown(wait=True)

    def _flush_done(self):
        while True:
            try:
                generation, message = self._done.get_nowait()
            except queue.Empty:
                return
            self._in_flight -= 1

            if generation != self._generation:
                # Its channel died with the old connection and the broker
                # has already queued the message again.
                LOG.debug('Not acking a message of a lost connection')
                continue
            message.ack()

    def _on_message(self, message):
        if self._stopping.is_set():
            # Delivered while cancelling: give it to another server.
            message.requeue()
            return

        try:
            request = _Request(message)
        except Exception as exc:
            LOG.error('Dropping a malformed message on %s: %s',
                      self._description, exc)
            message.ack()
            return

        LOG.debug('Dispatching %s from topic %s (request %s)',
                  request.method, request.topic, request.context.request_id)
        self._in_flight += 1
        self._executor.submit(self._handle, self._generation, message,
                              request)

    def _handle(self, generation, message, request):
        """Run in a handler thread; never touches the consuming channel."""
        try:
            reply = self._dispatch(request)
            if request.is_call:
                self._transport._reply(request.reply_to,
                                       request.correlation_id, reply)
        except exception.MessagingError as exc:
            LOG.error('Cannot reply to %s (request %s): %s', request.method,
                      request.context.request_id, exc)
        except Exception:
            LOG.exception('Unexpected failure handling %s (request %s)',
                          request.method, request.context.request_id)
        finally:
            self._done.put((generation, message))

    def _find_method(self, name):
        if name.startswith('_'):
            return None
        method = getattr(self.endpoint, name, None)
        return method if callable(method) else None

    def _dispatch(self, request):
        """Turn every outcome into a reply, so that no bug in a handler
        leaves its caller waiting for the timeout.
        """
        method = self._find_method(request.method)
        if method is None:
            LOG.warning('Refusing unknown method %s on topic %s (request %s)',
                        request.method, request.topic,
                        request.context.request_id)
            return _encode({'failure': {
                'class': 'NoSuchMethod',
                'message': 'No method %s on topic %s' % (request.method,
                                                         request.topic),
                'details': ''}})

        try:
            result = method(request.context, **request.args)
            if request.is_call:
                # Encoded here so that an unserializable result is
                # reported to the caller like any other failure.
                return _encode({'result': result})
            return None
        except exception.CycladesException as exc:
            log = LOG.debug if request.is_call else LOG.warning
            log('%s failed on topic %s (request %s): %s', request.method,
                request.topic, request.context.request_id, exc)
            failure = exc.to_dict()
        except Exception as exc:
            LOG.exception('%s failed on topic %s (request %s)',
                          request.method, request.topic,
                          request.context.request_id)
            failure = {'class': type(exc).__name__, 'message': str(exc),
                       'details': ''}
        return _encode({'failure': failure})
