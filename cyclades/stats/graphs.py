"""The four graphs of a server's load, drawn as PNG images.

A bar shows the latest sample against the scale of its metric; a time
series shows every sample of the retention window, placed by the time
it was taken, so that gaps in sampling (a stopped host) show as gaps.
CPU is on a fixed 0-100 % scale; network traffic on the smallest round
rate (1, 2 or 5 times a power of ten, in B/s, KB/s, MB/s or GB/s) that
holds the busiest sample of the window, the same for both of its
graphs.
"""

import collections
import math

from cyclades.stats import canvas

#: name → (metric, kind); the names are also those of the URLs.
GRAPHS = {
    'cpu-bar': ('cpu', 'bar'),
    'cpu-ts': ('cpu', 'series'),
    'net-bar': ('net', 'bar'),
    'net-ts': ('net', 'series'),
}

BAR_SIZE = (300, 22)
SERIES_SIZE = (300, 100)

#: A sample older than this many periods is not "the latest" any more.
FRESH_PERIODS = 3
#: Samples further apart than this many periods are not joined.
GAP_PERIODS = 2.5
#: Vertical grid lines of a time series, evenly over its window.
TIME_DIVISIONS = 6

BACKGROUND = (255, 255, 255)
FRAME = (153, 153, 153)
GRID = (228, 228, 228)
TEXT = (51, 51, 51)
LABEL_SCALE = 2

Sample = collections.namedtuple('Sample', 'sampled_at cpu_percent '
                                          'net_bytes_per_sec')

_Metric = collections.namedtuple('_Metric', 'field line fill')
_METRICS = {
    'cpu': _Metric('cpu_percent', (33, 102, 172), (171, 204, 232)),
    'net': _Metric('net_bytes_per_sec', (35, 139, 69), (186, 228, 179)),
}

_UNITS = ('B', 'KB', 'MB', 'GB')


def format_rate(value):
    """A byte rate as the labels print it: ``512B/s``, ``1.5MB/s``."""
    exponent = 0
    while value >= 1024 and exponent < len(_UNITS) - 1:
        value /= 1024
        exponent += 1
    if exponent and value < 10:
        number = '%.1f' % value
    else:
        number = '%d' % round(value)
    return '%s%s/s' % (number, _UNITS[exponent])


def rate_scale(peak):
    """The top of the network scale for a window whose busiest sample
    is ``peak`` bytes per second: at least 1 KB/s."""
    for exponent in range(len(_UNITS)):
        for mantissa in (1, 2, 5, 10, 20, 50, 100, 200, 500):
            top = mantissa * 1024 ** exponent
            if top >= peak and top >= 1024:
                return top
    return math.ceil(peak)


def _value(metric, sample):
    value = getattr(sample, _METRICS[metric].field)
    if metric == 'cpu':
        return min(max(value, 0.0), 100.0)
    return max(value, 0.0)


def _scale(metric, samples):
    if metric == 'cpu':
        return 100.0
    return rate_scale(max((_value(metric, s) for s in samples), default=0))


def _label(metric, value):
    if value is None:
        return '-'
    if metric == 'cpu':
        return '%d%%' % round(value)
    return format_rate(value)


def draw(name, samples, now, span, period):
    """Draw the graph ``name`` of a server.

    :param samples: the server's ``Sample``\\ s of the window, oldest
        first.
    :param now: the end of the window; ``span`` seconds is its length.
    :param period: seconds between samples, to tell stale data and gaps.
    :returns: the PNG image.
    :raises KeyError: no graph has this name.
    """
    metric, kind = GRAPHS[name]
    scale = _scale(metric, samples)
    if kind == 'bar':
        latest = None
        if samples and ((now - samples[-1].sampled_at).total_seconds()
                        <= FRESH_PERIODS * period):
            latest = _value(metric, samples[-1])
        return _bar(metric, latest, scale).to_png()
    return _series(metric, samples, scale, now, span, period).to_png()


def _bar(metric, latest, scale):
    """The latest value as a bar filled from the left, and its label."""
    width, height = BAR_SIZE
    image = canvas.Canvas(width, height, BACKGROUND)
    label_width = canvas.text_width('999.9KB/s', LABEL_SCALE) + 8
    right = width - label_width

    image.frame(0, 0, right, height - 1, FRAME)
    if latest is not None:
        inner = right - 1
        filled = round(inner * min(latest / scale, 1.0))
        image.fill_rect(1, 1, 1 + filled, height - 1,
                        _METRICS[metric].line)

    text_top = (height - canvas.GLYPH_HEIGHT * LABEL_SCALE) // 2
    image.text(right + 6, text_top, _label(metric, latest), TEXT,
               LABEL_SCALE)
    return image


def _series(metric, samples, scale, now, span, period):
    """Samples over the window as a line above a filled area."""
    width, height = SERIES_SIZE
    image = canvas.Canvas(width, height, BACKGROUND)
    left, top, right, bottom = 1, 1, width - 2, height - 2

    for step in range(1, 4):
        image.hline(left, right, top + (bottom - top) * step // 4, GRID)
    for step in range(1, TIME_DIVISIONS):
        image.vline(left + (right - left) * step // TIME_DIVISIONS, top,
                    bottom, GRID)

    def x_of(sample):
        age = (now - sample.sampled_at).total_seconds()
        return right - round((right - left) * age / span)

    def y_of(value):
        return bottom - round((bottom - top) * min(value / scale, 1.0))

    colors = _METRICS[metric]
    points = [(x_of(s), y_of(_value(metric, s)), s.sampled_at)
              for s in samples]
    runs = []
    for point in points:
        if not left <= point[0] <= right:
            continue
        if runs and ((point[2] - runs[-1][-1][2]).total_seconds()
                     <= GAP_PERIODS * period):
            runs[-1].append(point)
        else:
            runs.append([point])

    # Areas first, lines over them, so that no area hides a line.
    columns = [list(_columns(run)) for run in runs]
    for run in columns:
        for x, y in run:
            image.vline(x, y, bottom, colors.fill)
    for run in columns:
        last_y = run[0][1]
        for x, y in run:
            # Joined to the previous column, so steep lines stay whole.
            image.vline(x, last_y, y, colors.line)
            last_y = y

    image.text(left + 3, top + 3, _label(metric, scale), TEXT, 1)
    image.frame(0, 0, width - 1, height - 1, FRAME)
    return image


def _columns(run):
    """(x, y) of every column a run of joined points crosses."""
    (x0, y0, _taken), = run[:1]
    yield x0, y0
    for x1, y1, _taken in run[1:]:
        for x in range(x0 + 1, x1 + 1):
            yield x, round(y0 + (y1 - y0) * (x - x0) / (x1 - x0))
        if x1 == x0:
            yield x1, y1
        x0, y0 = x1, y1
