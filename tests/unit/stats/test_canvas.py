"""Drawing on the canvas: clipped shapes and the pixel font."""

import testtools

from cyclades.stats import canvas
from tests import png_reader

WHITE = (255, 255, 255)
RED = (255, 0, 0)


class CanvasTest(testtools.TestCase):

    def test_background(self):
        image = canvas.Canvas(4, 3, (1, 2, 3))

        self.assertEqual((1, 2, 3), image.pixel(3, 2))
        self.assertEqual(12 * 3, len(image.pixels))

    def test_fill_rect_is_half_open_and_clipped(self):
        image = canvas.Canvas(5, 5)

        image.fill_rect(1, 1, 3, 2, RED)
        self.assertEqual([(1, 1), (2, 1)], self._inked(image))

        image = canvas.Canvas(5, 5)
        image.fill_rect(-10, 3, 100, 100, RED)
        self.assertEqual(10, len(self._inked(image)))
        image.fill_rect(7, 0, 9, 5, RED)
        image.fill_rect(3, 3, 1, 5, RED)
        self.assertEqual(10, len(self._inked(image)))

    def test_lines_and_frame(self):
        image = canvas.Canvas(4, 4)

        image.vline(0, 3, 1, RED)
        self.assertEqual([(0, 1), (0, 2), (0, 3)], self._inked(image))

        image = canvas.Canvas(4, 4)
        image.frame(0, 0, 3, 3, RED)
        self.assertEqual(12, len(self._inked(image)))
        self.assertEqual(WHITE, image.pixel(1, 1))

    def test_text(self):
        image = canvas.Canvas(20, 10)

        image.text(1, 1, '1', RED)
        # The glyph of "1": a stem, a flag and a base.
        self.assertEqual(
            [(2, 1), (1, 2), (2, 2), (2, 3), (2, 4), (1, 5), (2, 5),
             (3, 5)], self._inked(image))

    def test_text_scale_and_spacing(self):
        small, large = canvas.Canvas(30, 12), canvas.Canvas(30, 12)

        small.text(0, 0, '88', RED)
        large.text(0, 0, '88', RED, scale=2)

        self.assertEqual(4 * len(self._inked(small)),
                         len(self._inked(large)))
        # The second glyph starts after three columns and a gap.
        self.assertEqual(RED, small.pixel(4, 0))
        self.assertEqual(WHITE, small.pixel(3, 0))
        self.assertEqual(7, canvas.text_width('88'))
        self.assertEqual(14, canvas.text_width('88', 2))
        self.assertEqual(0, canvas.text_width(''))

    def test_unknown_characters_are_blank(self):
        image = canvas.Canvas(10, 6)

        image.text(0, 0, 'x?', RED)

        self.assertEqual([], self._inked(image))

    def test_to_png(self):
        image = canvas.Canvas(3, 2)
        image.fill_rect(2, 1, 3, 2, RED)

        decoded = png_reader.decode(image.to_png())

        self.assertEqual((3, 2), (decoded.width, decoded.height))
        self.assertEqual(RED, decoded.pixel(2, 1))
        self.assertEqual(WHITE, decoded.pixel(1, 1))

    @staticmethod
    def _inked(image):
        return [(x, y) for y in range(image.height)
                for x in range(image.width) if image.pixel(x, y) != WHITE]
