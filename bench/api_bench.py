"""Requests per second and latency of the compute API, end to end.

    .venv/bin/python bench/api_bench.py [--setups embedded,rabbit] ...

For each setup it starts the services itself on 127.0.0.1, inserts the
servers the read paths walk, measures each operation at each
concurrency, prints a table and writes everything to a JSON file in
bench/results/.  Whatever it started or created is stopped and removed
on the way out, also after a failure or a Ctrl-C.
"""

import argparse
import datetime
import json
import logging
import os
import platform
import signal
import subprocess
import sys
import textwrap

import dataset
import loadgen
import setups

LOG = logging.getLogger(__name__)

HERE = os.path.dirname(os.path.abspath(__file__))

DEFAULT_POSTGRESQL_URL = os.environ.get(
    'CYCLADES_TEST_POSTGRESQL_URL',
    'postgresql+psycopg2://postgres@127.0.0.1:5432/postgres')
DEFAULT_RABBITMQ_URL = os.environ.get(
    'CYCLADES_TEST_RABBITMQ_URL', 'amqp://guest:guest@127.0.0.1:5672//')

#: The table's columns: title, width, format and the result's key.
COLUMNS = (('operation', 26, 's', 'operation'),
           ('conc', 4, 'd', 'concurrency'),
           ('done', 5, 'd', 'completed'),
           ('errors', 6, 'd', 'errors'),
           ('req/s', 7, '.1f', 'per_second'),
           ('p50 ms', 7, '.1f', 'p50_ms'),
           ('p99 ms', 7, '.1f', 'p99_ms'))


def _positive_list(text):
    values = [int(item) for item in text.split(',') if item]
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError('expected positive integers')
    return values


def _setup_list(text):
    names = [name for name in text.split(',') if name]
    unknown = set(names) - set(setups.SETUPS)
    if not names or unknown:
        raise argparse.ArgumentTypeError(
            'choose among %s' % ', '.join(sorted(setups.SETUPS)))
    return names


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n')[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument('--setups', type=_setup_list,
                        default=['embedded', 'rabbit'],
                        help='comma-separated setups to measure')
    parser.add_argument('--servers', type=int, default=1000,
                        help='servers inserted before the read benchmarks')
    parser.add_argument('--requests', type=int, default=300,
                        help='timed requests per GET measurement')
    parser.add_argument('--creates', type=int, default=60,
                        help='timed server creations per POST measurement')
    parser.add_argument('--concurrency', type=_positive_list,
                        default=[1, 8],
                        help='comma-separated client thread counts')
    parser.add_argument('--duration', type=float, default=20.0,
                        help='most seconds one measurement may take; it '
                             'stops early with fewer requests')
    parser.add_argument('--warmup', type=int, default=3,
                        help='untimed operations per thread before each '
                             'measurement')
    parser.add_argument('--build-time', type=float, default=0.05,
                        help='seconds the fake driver takes to build')
    parser.add_argument('--poll-interval', type=float, default=0.02,
                        help='seconds between two polls of a new server')
    parser.add_argument('--api-workers', type=int, default=1,
                        help='[api] workers of cyclades-api in the '
                             'rabbit setup')
    parser.add_argument('--postgresql-url', default=DEFAULT_POSTGRESQL_URL,
                        help='admin URL of the PostgreSQL server')
    parser.add_argument('--rabbitmq-url', default=DEFAULT_RABBITMQ_URL,
                        help='URL of the RabbitMQ broker')
    parser.add_argument('--output-dir',
                        default=os.path.join(HERE, 'results'),
                        help='where the JSON result goes')
    parser.add_argument('--keep', action='store_true',
                        help='keep the configuration, logs and SQLite '
                             'file of each setup')
    options = parser.parse_args(argv)
    for name in ('servers', 'requests', 'creates', 'api_workers'):
        if getattr(options, name) < 1:
            parser.error('--%s must be at least 1' % name.replace('_', '-'))
    return options


def _measurements(options, deployment, data, listed):
    """(operation class, requests, factory) in the order they run.

    Reads come first so that they list exactly the loaded servers.
    """
    url, token = deployment.compute_url, deployment.token
    return [
        (loadgen.ListServersDetail, options.requests,
         lambda index: loadgen.ListServersDetail(url, token, listed)),
        (loadgen.GetServer, options.requests,
         lambda index: loadgen.GetServer(url, token, data.server_ids,
                                         index)),
        (loadgen.CreateServer, options.creates,
         lambda index: loadgen.CreateServer(url, token, data.image_id,
                                            data.flavor_id,
                                            options.poll_interval, index)),
    ]


def _load_average():
    """Other work on the machine skews every figure; say how much."""
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:
        return None


def measure_setup(options, deployment):
    LOG.info('Loading %d servers into %s', options.servers,
             deployment.name)
    data = dataset.load(deployment.database_url, deployment.compute_host,
                        options.servers)
    report = {
        'setup': deployment.name,
        'load_average_before': _load_average(),
        'description': deployment.description,
        'servers_loaded': len(data.server_ids),
        'load_seconds': round(data.seconds, 3),
        'load_method': data.describe(),
        'results': [],
    }
    listed, size, paged = loadgen.probe_list(deployment.compute_url,
                                             deployment.token)
    report['detail_page'] = {'servers': listed, 'bytes': size,
                             'more_pages': paged}

    for operation, requests, factory in _measurements(
            options, deployment, data, listed):
        for concurrency in options.concurrency:
            LOG.info('%s: %s at concurrency %d', deployment.name,
                     operation.metric, concurrency)
            run = loadgen.Run(factory, operation.metrics, concurrency,
                              requests, options.duration, options.warmup)
            for metric, summary in run.execute().items():
                row = {'operation': metric, 'concurrency': concurrency,
                       'requested': requests}
                row.update(summary)
                report['results'].append(row)
            deployment.check_running()
    report['load_average_after'] = _load_average()
    return report


def _cell(value, width, fmt):
    if value is None:
        return '-'.rjust(width)
    if fmt == 's':
        return str(value).ljust(width)
    return format(value, fmt).rjust(width)


def format_report(report, options):
    page = report['detail_page']
    notes = [
        '%d servers loaded in %.2f s by %s.' % (
            report['servers_loaded'], report['load_seconds'],
            report['load_method']),
        'GET /servers/detail returns %d servers (%.0f KiB)%s.' % (
            page['servers'], page['bytes'] / 1024.0,
            ', the first page of several' if page['more_pages'] else ''),
        'Fake driver build time %.3f s; new servers polled every %.3f s; '
        'warm-up %d per thread; each measurement stops at %d requests '
        '(%d creations) or after %.0f s, whichever comes first.' % (
            options.build_time, options.poll_interval, options.warmup,
            options.requests, options.creates, options.duration),
    ]
    if report['load_average_before'] is not None:
        notes.append(
            'Load average (1, 5, 15 min) on %d CPUs: %s before, %s after.'
            % (os.cpu_count(),
               ' '.join('%.2f' % value
                        for value in report['load_average_before']),
               ' '.join('%.2f' % value
                        for value in report['load_average_after'])))
    lines = ['', '== %s: %s' % (report['setup'], report['description'])]
    for note in notes:
        lines.extend(textwrap.wrap(note, 79))
    lines += [
        '',
        '  '.join(_cell(title, width, 's') if fmt == 's'
                  else title.rjust(width)
                  for title, width, fmt, _key in COLUMNS),
    ]
    for row in report['results']:
        cells = []
        for _title, width, fmt, key in COLUMNS:
            value = row[key]
            if (key == 'per_second' and row['operation']
                    == loadgen.CreateServer.accept_metric):
                # Its rate is that of the creations above it.
                value = None
            cells.append(_cell(value, width, fmt))
        lines.append('  '.join(cells))
        if row['errors']:
            lines.append('    first error: %s' % row['first_error'])
    return '\n'.join(lines)


def _git_revision():
    try:
        revision = subprocess.run(
            ['git', 'rev-parse', 'HEAD'], cwd=HERE, capture_output=True,
            text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(
            ['git', 'status', '--porcelain'], cwd=HERE,
            capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return revision + ('+changes' if dirty else '') if revision else None


def write_results(options, reports, started, complete):
    os.makedirs(options.output_dir, exist_ok=True)
    stamp = started.strftime('%Y%m%dT%H%M%SZ')
    path = os.path.join(options.output_dir, 'api-bench-%s.json' % stamp)
    document = {
        'started_at': started.isoformat(),
        'finished_at': datetime.datetime.now(
            datetime.timezone.utc).isoformat(),
        'complete': complete,
        'revision': _git_revision(),
        'machine': {'cpus': os.cpu_count(), 'platform': platform.platform(),
                    'python': platform.python_version()},
        'options': {key: value for key, value in vars(options).items()
                    if key not in ('postgresql_url', 'rabbitmq_url')},
        'setups': reports,
    }
    with open(path, 'w') as stream:
        json.dump(document, stream, indent=2)
        stream.write('\n')
    return path


def _exit_on_signal(signum, frame):
    # SystemExit unwinds through every cleanup the setups registered.
    sys.exit(128 + signum)


def main(argv=None):
    options = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format='%(asctime)s %(message)s', datefmt='%H:%M:%S')
    for noisy in ('amqp', 'kombu', 'alembic'):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGHUP, _exit_on_signal)

    started = datetime.datetime.now(datetime.timezone.utc)
    reports = []
    complete = False
    try:
        for name in options.setups:
            LOG.info('Starting the %s setup', name)
            try:
                with setups.SETUPS[name](options) as deployment:
                    report = measure_setup(options, deployment)
            except Exception as exc:
                # One broken setup should not cost the others' figures.
                LOG.exception('The %s setup failed', name)
                reports.append({'setup': name, 'error': str(exc)})
                continue
            reports.append(report)
            print(format_report(report, options), flush=True)
        complete = True
    except KeyboardInterrupt:
        LOG.warning('Interrupted; everything started was stopped')
        return 130
    finally:
        if reports:
            path = write_results(options, reports, started, complete)
            print('\nResults written to %s' % path, flush=True)
    return 1 if any('error' in report for report in reports) else 0


if __name__ == '__main__':
    sys.exit(main())
