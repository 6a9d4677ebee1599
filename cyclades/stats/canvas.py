"""An RGB pixel buffer with the few shapes the graphs need.

Everything is clipped to the canvas, so callers may draw past its
edges.  Text uses a built-in 3x5 pixel font that covers what the graph
labels say: numbers, units and a dash for "no data".
"""

from cyclades.stats import png

#: Glyphs of the font, each five rows of three pixels ('#' is ink).
_GLYPHS = {
    '0': ('###', '#.#', '#.#', '#.#', '###'),
    '1': ('.#.', '##.', '.#.', '.#.', '###'),
    '2': ('###', '..#', '###', '#..', '###'),
    '3': ('###', '..#', '.##', '..#', '###'),
    '4': ('#.#', '#.#', '###', '..#', '..#'),
    '5': ('###', '#..', '###', '..#', '###'),
    '6': ('###', '#..', '###', '#.#', '###'),
    '7': ('###', '..#', '..#', '.#.', '.#.'),
    '8': ('###', '#.#', '###', '#.#', '###'),
    '9': ('###', '#.#', '###', '..#', '###'),
    '.': ('...', '...', '...', '...', '.#.'),
    '%': ('#.#', '..#', '.#.', '#..', '#.#'),
    '/': ('..#', '..#', '.#.', '#..', '#..'),
    '-': ('...', '...', '###', '...', '...'),
    ' ': ('...', '...', '...', '...', '...'),
    'B': ('##.', '#.#', '##.', '#.#', '##.'),
    'G': ('###', '#..', '#.#', '#.#', '###'),
    'K': ('#.#', '#.#', '##.', '#.#', '#.#'),
    'M': ('#.#', '###', '###', '#.#', '#.#'),
    's': ('...', '.##', '#..', '..#', '##.'),
}
GLYPH_WIDTH = 3
GLYPH_HEIGHT = 5


def text_width(text, scale=1):
    """Pixels a text takes, with one column between glyphs."""
    if not text:
        return 0
    return (len(text) * (GLYPH_WIDTH + 1) - 1) * scale


class Canvas:
    """A width x height image filled with ``background``.

    Colours are (red, green, blue) tuples of 0-255.
    """

    def __init__(self, width, height, background=(255, 255, 255)):
        self.width = width
        self.height = height
        self.pixels = bytearray(bytes(background) * (width * height))

    def pixel(self, x, y):
        offset = (y * self.width + x) * 3
        return tuple(self.pixels[offset:offset + 3])

    def fill_rect(self, x0, y0, x1, y1, color):
        """Fill the pixels with x0 <= x < x1 and y0 <= y < y1."""
        x0, x1 = max(x0, 0), min(x1, self.width)
        y0, y1 = max(y0, 0), min(y1, self.height)
        if x0 >= x1:
            return
        row = bytes(color) * (x1 - x0)
        for y in range(y0, y1):
            offset = (y * self.width + x0) * 3
            self.pixels[offset:offset + len(row)] = row

    def hline(self, x0, x1, y, color):
        self.fill_rect(x0, y, x1 + 1, y + 1, color)

    def vline(self, x, y0, y1, color):
        """A vertical line between two rows, in either order."""
        top, bottom = min(y0, y1), max(y0, y1)
        self.fill_rect(x, top, x + 1, bottom + 1, color)

    def frame(self, x0, y0, x1, y1, color):
        """The outline of the rectangle whose corners are given."""
        self.hline(x0, x1, y0, color)
        self.hline(x0, x1, y1, color)
        self.vline(x0, y0, y1, color)
        self.vline(x1, y0, y1, color)

    def text(self, x, y, text, color, scale=1):
        """Write ``text`` with its top left corner at (x, y).

        Characters the font lacks are left blank.
        """
        for index, char in enumerate(text):
            glyph = _GLYPHS.get(char, _GLYPHS[' '])
            left = x + index * (GLYPH_WIDTH + 1) * scale
            for row, line in enumerate(glyph):
                for column, ink in enumerate(line):
                    if ink == '#':
                        self.fill_rect(left + column * scale,
                                       y + row * scale,
                                       left + (column + 1) * scale,
                                       y + (row + 1) * scale, color)

    def to_png(self):
        return png.encode(self.width, self.height, self.pixels)
