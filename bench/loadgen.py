"""Closed-loop load: N threads, each with one keep-alive connection.

Every thread repeats one operation as soon as its previous one ended,
until the run has issued its request count or passed its deadline,
whichever comes first.  Warm-up operations run before the clock starts
and are not counted.
"""

import http.client
import json
import logging
import random
import threading
import time
import urllib.parse

LOG = logging.getLogger(__name__)

#: Seconds a client waits for one answer.
REQUEST_TIMEOUT = 60


class Failure(Exception):
    """An operation that got an answer it should not have."""


class Client:
    """One HTTP/1.1 connection to the compute API, reused across calls."""

    def __init__(self, compute_url, token):
        parts = urllib.parse.urlsplit(compute_url)
        self.prefix = parts.path.rstrip('/')
        self.headers = {'X-Auth-Token': token,
                        'Accept': 'application/json'}
        self.connection = http.client.HTTPConnection(
            parts.hostname, parts.port, timeout=REQUEST_TIMEOUT)

    def request(self, method, path, body=None):
        """Return (status, decoded JSON body or None)."""
        headers = dict(self.headers)
        data = None
        if body is not None:
            data = json.dumps(body).encode('utf-8')
            headers['Content-Type'] = 'application/json'
        try:
            self.connection.request(method, self.prefix + path, data,
                                    headers)
            response = self.connection.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException):
            # The next request opens a fresh connection.
            self.connection.close()
            raise
        return response.status, json.loads(payload) if payload else None

    def expect(self, status, method, path, body=None):
        answer, document = self.request(method, path, body)
        if answer != status:
            raise Failure('%s %s answered %d: %s'
                          % (method, path, answer,
                             json.dumps(document)[:200]))
        return document

    def close(self):
        self.connection.close()


def percentile(ordered, fraction):
    """Linear interpolation between the closest ranks."""
    if not ordered:
        return None
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarize(latencies, seconds, errors):
    ordered = sorted(latencies)
    count = len(ordered)

    def ms(value):
        return None if value is None else round(value * 1000, 2)

    return {
        'completed': count,
        'errors': errors,
        'seconds': round(seconds, 3),
        'per_second': round(count / seconds, 2) if seconds else None,
        'p50_ms': ms(percentile(ordered, 0.50)),
        'p99_ms': ms(percentile(ordered, 0.99)),
        'mean_ms': ms(sum(ordered) / count if count else None),
        'max_ms': ms(ordered[-1] if ordered else None),
    }


class _Worker(threading.Thread):

    def __init__(self, run, index):
        super().__init__(name='load-%d' % index, daemon=True)
        self.measurement = run
        self.index = index
        self.samples = {}
        self.errors = 0
        self.first_error = None
        self.crash = None
        self.finished_at = None
        self.operation = None

    def _attempt(self, operation):
        try:
            return operation()
        except Exception as exc:
            self.errors += 1
            if self.first_error is None:
                self.first_error = '%s: %s' % (type(exc).__name__, exc)
            return None

    def run(self):
        run = self.measurement
        operation = None
        try:
            operation = self.operation = run.operation_factory(self.index)
            for _ in range(run.warmup):
                if run.stopping.is_set():
                    break
                self._attempt(operation)
            self.errors, self.first_error = 0, None
            run.ready.wait()
            run.go.wait()

            while run.take_ticket():
                measured = self._attempt(operation)
                for metric, seconds in (measured or {}).items():
                    self.samples.setdefault(metric, []).append(seconds)
        except threading.BrokenBarrierError:
            pass
        except Exception as exc:
            # Without this thread the barriers would never open.
            self.crash = exc
            run.abort()
        finally:
            self.finished_at = time.perf_counter()
            if operation is not None and hasattr(operation, 'close'):
                operation.close()


class Run:
    """One measurement: an operation at one concurrency.

    :param operation_factory: called once per thread with its index;
        returns a callable that performs the operation once and returns
        {metric name: seconds}, or raises on failure.
    :param metrics: the names the operation reports, in table order.
    """

    def __init__(self, operation_factory, metrics, concurrency, requests,
                 duration, warmup):
        self.operation_factory = operation_factory
        self.metrics = metrics
        self.concurrency = concurrency
        self.requests = requests
        self.duration = duration
        self.warmup = warmup
        self.stopping = threading.Event()
        self.ready = threading.Barrier(concurrency + 1)
        self.go = threading.Barrier(concurrency + 1)
        self._lock = threading.Lock()
        self._issued = 0
        self._deadline = None

    def take_ticket(self):
        with self._lock:
            if (self.stopping.is_set() or self._issued >= self.requests
                    or time.perf_counter() >= self._deadline):
                return False
            self._issued += 1
            return True

    def abort(self):
        self.stopping.set()
        self.ready.abort()
        self.go.abort()

    def execute(self):
        """Run to the end; return {metric: summary}."""
        workers = [_Worker(self, index)
                   for index in range(self.concurrency)]
        for worker in workers:
            worker.start()
        try:
            self.ready.wait()
            started = time.perf_counter()
            self._deadline = started + self.duration
            self.go.wait()
            for worker in workers:
                worker.join()
        except threading.BrokenBarrierError:
            for worker in workers:
                worker.join()
            crash = next((worker.crash for worker in workers
                          if worker.crash), None)
            raise RuntimeError('a load thread failed: %s' % crash)
        except BaseException:
            self.abort()
            # Open keep-alive connections would keep the server busy
            # and slow down its shutdown.
            for worker in workers:
                if worker.operation is not None:
                    worker.operation.close()
            raise

        seconds = max(worker.finished_at for worker in workers) - started
        errors = sum(worker.errors for worker in workers)
        first_error = next((worker.first_error for worker in workers
                            if worker.first_error), None)
        result = {}
        for metric in self.metrics:
            samples = [sample for worker in workers
                       for sample in worker.samples.get(metric, ())]
            result[metric] = summarize(samples, seconds, errors)
            result[metric]['first_error'] = first_error
        return result


# The operations


class GetServer:
    """GET /servers/<id> of a server picked at random from the dataset."""

    metric = 'GET /servers/<id>'
    metrics = (metric,)

    def __init__(self, compute_url, token, server_ids, index):
        self.client = Client(compute_url, token)
        self.ids = server_ids
        # Seeded per thread, so that runs read the same rows.
        self.random = random.Random(index)

    def __call__(self):
        server_id = self.random.choice(self.ids)
        started = time.perf_counter()
        self.client.expect(200, 'GET', '/servers/%d' % server_id)
        return {self.metric: time.perf_counter() - started}

    def close(self):
        self.client.close()


def probe_list(compute_url, token):
    """What one GET /servers/detail returns: (servers, bytes, paged)."""
    client = Client(compute_url, token)
    try:
        client.connection.request('GET', client.prefix + '/servers/detail',
                                  headers=client.headers)
        response = client.connection.getresponse()
        payload = response.read()
    finally:
        client.close()
    if response.status != 200:
        raise Failure('GET /servers/detail answered %d' % response.status)
    document = json.loads(payload)
    return (len(document['servers']), len(payload),
            'servers_links' in document)


class ListServersDetail:
    """GET /servers/detail: the project's servers, in full, first page."""

    metric = 'GET /servers/detail'
    metrics = (metric,)

    def __init__(self, compute_url, token, expected):
        self.client = Client(compute_url, token)
        self.expected = expected

    def __call__(self):
        started = time.perf_counter()
        document = self.client.expect(200, 'GET', '/servers/detail')
        elapsed = time.perf_counter() - started
        if len(document['servers']) != self.expected:
            raise Failure('listed %d servers instead of %d'
                          % (len(document['servers']), self.expected))
        return {self.metric: elapsed}

    def close(self):
        self.client.close()


class CreateServer:
    """POST /servers, then poll GET /servers/<id> until it is ACTIVE.

    Two clocks: until the 202 answer, and until ACTIVE is seen.
    """

    metric = 'POST /servers -> ACTIVE'
    accept_metric = 'POST /servers (202 answer)'
    metrics = (metric, accept_metric)

    #: Seconds a server may take to become ACTIVE.
    ACTIVE_TIMEOUT = 60

    def __init__(self, compute_url, token, image_id, flavor_id,
                 poll_interval, index):
        self.client = Client(compute_url, token)
        self.poll_interval = poll_interval
        self.body = {'server': {'name': None, 'imageRef': image_id,
                                'flavorRef': str(flavor_id)}}
        self.index = index
        self.serial = 0

    def __call__(self):
        self.serial += 1
        self.body['server']['name'] = 'bench-create-%d-%d' % (
            self.index, self.serial)
        started = time.perf_counter()
        document = self.client.expect(202, 'POST', '/servers', self.body)
        accepted = time.perf_counter() - started
        path = '/servers/%s' % document['server']['id']

        while True:
            status = self.client.expect(200, 'GET', path)['server'][
                'status']
            elapsed = time.perf_counter() - started
            if status == 'ACTIVE':
                return {self.accept_metric: accepted, self.metric: elapsed}
            if status != 'BUILD':
                raise Failure('server %s went %s' % (path, status))
            if elapsed > self.ACTIVE_TIMEOUT:
                raise Failure('server %s still BUILD after %d s'
                              % (path, self.ACTIVE_TIMEOUT))
            time.sleep(self.poll_interval)

    def close(self):
        self.client.close()
