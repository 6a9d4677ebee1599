"""The PNG encoder writes images a decoder reads back exactly."""

import random
import struct
import zlib

import testtools

from cyclades.stats import png
from tests import png_reader


class EncodeTest(testtools.TestCase):

    def test_signature_header_and_chunk_order(self):
        data = png.encode(7, 3, bytes(7 * 3 * 3))

        self.assertEqual(b'\x89PNG\r\n\x1a\n', data[:8])
        self.assertEqual((7, 3, 8, 2, 0, 0, 0), png_reader.header(data))
        self.assertEqual([b'IHDR', b'IDAT', b'IEND'],
                         [kind for kind, _ in png_reader.chunks(data)])

    def test_pixels_round_trip(self):
        rng = random.Random(4)
        width, height = 13, 5
        pixels = bytes(rng.randrange(256) for _ in range(width * height * 3))

        image = png_reader.decode(png.encode(width, height, pixels))

        self.assertEqual((width, height), (image.width, image.height))
        self.assertEqual(tuple(pixels[0:3]), image.pixel(0, 0))
        offset = (4 * width + 12) * 3
        self.assertEqual(tuple(pixels[offset:offset + 3]),
                         image.pixel(12, 4))
        flat = bytes(value for row in image.rows for pixel in row
                     for value in pixel)
        self.assertEqual(pixels, flat)

    def test_every_row_is_unfiltered(self):
        data = png.encode(2, 2, bytes(range(12)))
        idat = dict(png_reader.chunks(data))[b'IDAT']

        raw = zlib.decompress(idat)
        self.assertEqual(b'\x00' + bytes(range(6)), raw[:7])
        self.assertEqual(b'\x00' + bytes(range(6, 12)), raw[7:])

    def test_a_corrupted_chunk_is_detected(self):
        data = bytearray(png.encode(2, 2, bytes(12)))
        # The last byte of IHDR's payload, covered by its CRC.
        data[8 + 8 + 12] ^= 1

        self.assertRaises(ValueError, png_reader.header, bytes(data))

    def test_pixels_must_fill_the_size(self):
        for width, height, size in ((2, 2, 11), (2, 2, 13), (0, 1, 0),
                                    (1, 0, 0)):
            self.assertRaises(ValueError, png.encode, width, height,
                              bytes(size))

    def test_header_is_big_endian(self):
        data = png.encode(300, 2, bytes(300 * 2 * 3))

        length, kind = struct.unpack('>I4s', data[8:16])
        self.assertEqual((13, b'IHDR'), (length, kind))
        self.assertEqual(300, struct.unpack('>I', data[16:20])[0])
