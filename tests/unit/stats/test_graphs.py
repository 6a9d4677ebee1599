"""The graphs show what the samples say."""

import datetime

import testtools

from cyclades.stats import canvas
from cyclades.stats import graphs
from tests import png_reader

NOW = datetime.datetime(2024, 5, 1, 12, 0, tzinfo=datetime.timezone.utc)
SPAN = 3600
PERIOD = 60

CPU_LINE = (33, 102, 172)
CPU_FILL = (171, 204, 232)
NET_LINE = (35, 139, 69)
NET_FILL = (186, 228, 179)
TEXT = graphs.TEXT


def sample(age, cpu=0.0, net=0.0):
    return graphs.Sample(NOW - datetime.timedelta(seconds=age), cpu, net)


def x_at(age):
    """The column of a time series where a sample of ``age`` goes."""
    right = graphs.SERIES_SIZE[0] - 2
    return right - round((right - 1) * age / SPAN)


def draw(name, samples, span=SPAN, period=PERIOD):
    return png_reader.decode(graphs.draw(name, samples, NOW, span, period))


class FormatTest(testtools.TestCase):

    def test_format_rate(self):
        for value, text in ((0, '0B/s'), (512.4, '512B/s'),
                            (1023, '1023B/s'), (1024, '1.0KB/s'),
                            (1536, '1.5KB/s'), (20 * 1024, '20KB/s'),
                            (3.5 * 1024 ** 2, '3.5MB/s'),
                            (2 * 1024 ** 3, '2.0GB/s'),
                            (5000 * 1024 ** 3, '5000GB/s')):
            self.assertEqual(text, graphs.format_rate(value), value)

    def test_rate_scale(self):
        for peak, top in ((0, 1024), (1024, 1024), (1025, 2048),
                          (4000, 5 * 1024), (6000, 10 * 1024),
                          (600 * 1024, 1024 ** 2),
                          (3 * 1024 ** 2, 5 * 1024 ** 2)):
            self.assertEqual(top, graphs.rate_scale(peak), peak)

    def test_every_label_is_in_the_font(self):
        texts = ['100%', '-', graphs.format_rate(1.5 * 1024 ** 3),
                 graphs.format_rate(999)]
        for text in texts:
            for char in text:
                self.assertIn(char, canvas._GLYPHS, text)


class BarTest(testtools.TestCase):

    def _filled(self, image, color):
        """Columns of the bar's middle row painted in ``color``."""
        return image.count(color, row=image.height // 2)

    def test_size(self):
        for name in ('cpu-bar', 'net-bar'):
            image = draw(name, [])
            self.assertEqual(graphs.BAR_SIZE, (image.width, image.height))

    def test_fill_follows_the_latest_sample(self):
        empty = self._filled(draw('cpu-bar', [sample(10, cpu=0)]),
                             CPU_LINE)
        quarter = self._filled(draw('cpu-bar', [sample(70, cpu=90),
                                                sample(10, cpu=25)]),
                               CPU_LINE)
        full = self._filled(draw('cpu-bar', [sample(10, cpu=100)]),
                            CPU_LINE)

        self.assertEqual(0, empty)
        self.assertGreater(full, 200)
        self.assertAlmostEqual(full / 4, quarter, delta=1)

    def test_cpu_is_clamped(self):
        over = draw('cpu-bar', [sample(10, cpu=250)])
        full = draw('cpu-bar', [sample(10, cpu=100)])
        under = draw('cpu-bar', [sample(10, cpu=-5)])

        self.assertEqual(self._filled(full, CPU_LINE),
                         self._filled(over, CPU_LINE))
        self.assertEqual(0, self._filled(under, CPU_LINE))

    def test_label_changes_with_the_value(self):
        low = draw('cpu-bar', [sample(10, cpu=5)])
        high = draw('cpu-bar', [sample(10, cpu=88)])

        label_area = [row[230:] for row in low.rows]
        self.assertNotEqual(label_area, [row[230:] for row in high.rows])
        self.assertGreater(low.count(TEXT), 0)

    def test_stale_or_missing_data_shows_an_empty_bar(self):
        stale = draw('cpu-bar', [sample(graphs.FRESH_PERIODS * PERIOD + 1,
                                        cpu=80)])
        nothing = draw('cpu-bar', [])

        self.assertEqual(0, self._filled(stale, CPU_LINE))
        self.assertEqual(nothing.rows, stale.rows)
        self.assertNotEqual(
            nothing.rows, draw('cpu-bar', [sample(1, cpu=0)]).rows)

    def test_network_bar_is_relative_to_the_busiest_sample(self):
        # 2560 B/s under a 5 KB/s scale fills half the bar.
        half = draw('net-bar', [sample(70, net=5000), sample(10, net=2560)])
        full = draw('net-bar', [sample(10, net=5 * 1024)])

        self.assertAlmostEqual(self._filled(full, NET_LINE) / 2,
                               self._filled(half, NET_LINE), delta=1)
        self.assertEqual(0, self._filled(half, CPU_LINE))


class SeriesTest(testtools.TestCase):

    def _column_top(self, image, x, color):
        """The highest row of column ``x`` painted in ``color``."""
        for y in range(image.height):
            if image.pixel(x, y) == color:
                return y
        return None

    def test_size_and_empty_grid(self):
        image = draw('cpu-ts', [])

        self.assertEqual(graphs.SERIES_SIZE, (image.width, image.height))
        self.assertEqual(0, image.count(CPU_FILL) + image.count(CPU_LINE))
        self.assertGreater(image.count(graphs.GRID), 0)

    def test_samples_are_placed_by_age_and_value(self):
        image = draw('cpu-ts', [sample(1800, cpu=50), sample(0, cpu=100)],
                     period=900)
        right = graphs.SERIES_SIZE[0] - 2
        middle = x_at(1800)

        # The newest sample is at the right edge, at the top.
        self.assertEqual(1, self._column_top(image, right, CPU_LINE))
        # Half an hour ago, half way, at half height.
        top = self._column_top(image, middle, CPU_LINE)
        self.assertAlmostEqual(graphs.SERIES_SIZE[1] / 2, top, delta=2)
        # The area is under the line, nothing is left of the first one.
        self.assertEqual(CPU_FILL, image.pixel(middle + 10, 90))
        self.assertIsNone(self._column_top(image, middle - 10, CPU_LINE))

    def test_pixels_change_with_the_data(self):
        low = draw('cpu-ts', [sample(age, cpu=10)
                              for age in range(0, 600, 60)])
        high = draw('cpu-ts', [sample(age, cpu=90)
                               for age in range(0, 600, 60)])

        self.assertNotEqual(low.rows, high.rows)
        self.assertGreater(high.count(CPU_FILL), 3 * low.count(CPU_FILL))

    def test_gaps_are_not_joined(self):
        joined = draw('cpu-ts', [sample(age, cpu=50)
                                 for age in (600, 540, 480)])
        apart = draw('cpu-ts', [sample(age, cpu=50)
                                for age in (600, 300)])

        self.assertIsNotNone(self._column_top(joined, x_at(510), CPU_LINE))
        self.assertIsNone(self._column_top(apart, x_at(450), CPU_LINE))
        self.assertIsNotNone(self._column_top(apart, x_at(600), CPU_LINE))
        self.assertIsNotNone(self._column_top(apart, x_at(300), CPU_LINE))

    def test_steep_lines_are_unbroken(self):
        image = draw('cpu-ts', [sample(60, cpu=0), sample(0, cpu=100)])
        right = graphs.SERIES_SIZE[0] - 2

        column = [image.pixel(right, y) for y in range(1, 98)]
        self.assertTrue(all(pixel == CPU_LINE for pixel in column[:3]))
        inked = {y for x in range(right - 6, right + 1)
                 for y in range(1, 99) if image.pixel(x, y) == CPU_LINE}
        self.assertEqual(set(range(1, 99)), inked)

    def test_samples_outside_the_window_are_ignored(self):
        outside = draw('cpu-ts', [sample(SPAN + 120, cpu=100)])
        empty = draw('cpu-ts', [])

        self.assertEqual(empty.rows, outside.rows)

    def test_network_series_scale_label(self):
        small = draw('net-ts', [sample(0, net=100)])
        large = draw('net-ts', [sample(0, net=3 * 1024 ** 2)])

        self.assertEqual(0, small.count(CPU_LINE))
        self.assertGreater(small.count(NET_LINE), 0)

        def corner(image):
            return [row[:60] for row in image.rows[:10]]
        self.assertNotEqual(corner(small), corner(large))

    def test_unknown_graph(self):
        self.assertRaises(KeyError, graphs.draw, 'mem-bar', [], NOW, SPAN,
                          PERIOD)
