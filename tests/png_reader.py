"""Reading PNG images back, so that tests can look at their pixels.

It checks what a PNG decoder checks (signature, chunk CRCs, the chunk
order) and reverses all five row filters, so it does not take the
encoder's word for anything; it reads only 8-bit RGB, which is all the
service draws.
"""

import dataclasses
import struct
import zlib

SIGNATURE = b'\x89PNG\r\n\x1a\n'


@dataclasses.dataclass
class Image:
    width: int
    height: int
    #: Rows top to bottom, each a list of (red, green, blue).
    rows: list

    def pixel(self, x, y):
        return self.rows[y][x]

    def count(self, color, row=None):
        """How many pixels have ``color``, in one row or in all."""
        rows = self.rows if row is None else [self.rows[row]]
        return sum(pixel == color for line in rows for pixel in line)


def chunks(data):
    """(type, payload) of every chunk, after checking each CRC."""
    if data[:8] != SIGNATURE:
        raise ValueError('not a PNG signature: %r' % data[:8])
    offset = 8
    found = []
    while offset < len(data):
        length, = struct.unpack('>I', data[offset:offset + 4])
        kind = data[offset + 4:offset + 8]
        payload = data[offset + 8:offset + 8 + length]
        crc, = struct.unpack('>I', data[offset + 8 + length:
                                        offset + 12 + length])
        if zlib.crc32(kind + payload) != crc:
            raise ValueError('bad CRC in chunk %r' % kind)
        found.append((kind, payload))
        offset += 12 + length
    return found


def header(data):
    """The IHDR fields: width, height, depth, colour type and methods."""
    kind, payload = chunks(data)[0]
    if kind != b'IHDR':
        raise ValueError('the first chunk is %r, not IHDR' % kind)
    return struct.unpack('>IIBBBBB', payload)


def _paeth(left, up, up_left):
    estimate = left + up - up_left
    distances = (abs(estimate - left), abs(estimate - up),
                 abs(estimate - up_left))
    return (left, up, up_left)[distances.index(min(distances))]


def _unfilter(kind, line, previous, bpp=3):
    out = bytearray(line)
    for i in range(len(out)):
        left = out[i - bpp] if i >= bpp else 0
        up = previous[i]
        up_left = previous[i - bpp] if i >= bpp else 0
        if kind == 1:
            out[i] = (out[i] + left) & 0xff
        elif kind == 2:
            out[i] = (out[i] + up) & 0xff
        elif kind == 3:
            out[i] = (out[i] + (left + up) // 2) & 0xff
        elif kind == 4:
            out[i] = (out[i] + _paeth(left, up, up_left)) & 0xff
        elif kind != 0:
            raise ValueError('unknown filter type %d' % kind)
    return out


def decode(data):
    """Decode an 8-bit RGB, non-interlaced PNG into an ``Image``."""
    width, height, depth, color_type, _c, _f, interlace = header(data)
    if (depth, color_type, interlace) != (8, 2, 0):
        raise ValueError('only 8-bit RGB without interlacing is read')

    all_chunks = chunks(data)
    if all_chunks[-1][0] != b'IEND':
        raise ValueError('the last chunk is not IEND')
    raw = zlib.decompress(b''.join(payload for kind, payload in all_chunks
                                   if kind == b'IDAT'))
    stride = width * 3
    if len(raw) != (stride + 1) * height:
        raise ValueError('IDAT holds %d bytes, not %d'
                         % (len(raw), (stride + 1) * height))

    rows = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        line = _unfilter(raw[start], raw[start + 1:start + 1 + stride],
                         previous)
        rows.append([tuple(line[x:x + 3]) for x in range(0, stride, 3)])
        previous = line
    return Image(width, height, rows)
