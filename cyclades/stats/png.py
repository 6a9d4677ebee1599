"""A minimal PNG encoder: 8-bit RGB, no interlacing, no palette.

The graphs are a few kilobytes of flat colours, which zlib squeezes
well enough that an imaging library would buy nothing.
"""

import struct
import zlib

SIGNATURE = b'\x89PNG\r\n\x1a\n'

#: IHDR fields after the size: bit depth, colour type 2 (RGB),
#: compression, filter method and interlace method.
_RGB8 = (8, 2, 0, 0, 0)


def _chunk(kind, data):
    crc = zlib.crc32(data, zlib.crc32(kind))
    return struct.pack('>I', len(data)) + kind + data + struct.pack(
        '>I', crc)


def encode(width, height, pixels):
    """Encode an image as PNG.

    :param pixels: ``width * height * 3`` bytes, rows top to bottom,
        each pixel red, green, blue.
    :raises ValueError: the pixels do not fill the size.
    """
    stride = width * 3
    if width < 1 or height < 1 or len(pixels) != stride * height:
        raise ValueError('%d bytes do not make a %dx%d RGB image'
                         % (len(pixels), width, height))

    # Every row starts with its filter type; 0 leaves it as it is.
    raw = bytearray()
    for top in range(0, len(pixels), stride):
        raw.append(0)
        raw += pixels[top:top + stride]

    header = struct.pack('>IIBBBBB', width, height, *_RGB8)
    return (SIGNATURE + _chunk(b'IHDR', header)
            + _chunk(b'IDAT', zlib.compress(bytes(raw), 9))
            + _chunk(b'IEND', b''))
