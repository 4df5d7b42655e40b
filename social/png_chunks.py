"""PNG files at the chunk level: keep a PNG's compressed pixels, replace everything else.

Re-encoding a large PNG costs far more than decoding it; when a file holds nothing but pixels
(and metadata a re-encode would drop anyway), rebuilding it around its own IDAT chunks gives
the same picture for the cost of one more inflate, which also proves the pixel data carries
nothing beyond the pixels."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence

SIGNATURE = b"\x89PNG\r\n\x1a\n"
_KEPT = frozenset({b"IHDR", b"iCCP", b"IDAT", b"IEND"})
# Chunks a re-encode drops as well: text, EXIF, time stamp, resolution, colour-space hints.
_DROPPED = frozenset(
    {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME", b"pHYs", b"gAMA", b"cHRM", b"sRGB"}
)
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # by colour type
_INFLATE_STEP = 1 << 20  # inflated bytes held at once while checking


def chunk(kind: bytes, body: bytes) -> bytes:
    """One whole PNG chunk: length, type, body, CRC."""
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _chunks(data: bytes) -> list[tuple[bytes, memoryview]] | None:
    """(type, whole chunk) of every chunk, or None for a chunk Plaza neither keeps nor drops,
    a chunk cut short or bytes after IEND."""
    if not data.startswith(SIGNATURE):
        return None
    view, found, position = memoryview(data), [], len(SIGNATURE)
    while position + 12 <= len(data):
        (length,) = struct.unpack_from(">I", data, position)
        kind = data[position + 4 : position + 8]
        end = position + 12 + length
        if kind not in _KEPT | _DROPPED or end > len(data):
            return None
        found.append((kind, view[position:end]))
        position = end
        if kind == b"IEND":
            return found if position == len(data) else None
    return None


def _raw_size(header: memoryview) -> int | None:
    """Bytes the pixel data of a non-interlaced image inflates to (a filter byte a row)."""
    width, height, depth, colour, _compression, _filter, interlace = struct.unpack(
        ">IIBBBBB", header[8:21]
    )
    if interlace or colour not in _CHANNELS:
        return None
    return height * (1 + (width * depth * _CHANNELS[colour] + 7) // 8)


def _holds_only_pixels(pixel_chunks: Sequence[memoryview], raw_size: int) -> bool:
    """Whether the IDAT bodies are one zlib stream that inflates to exactly `raw_size` bytes
    and ends where the data ends: no extra rows, nothing after the stream."""
    inflater, inflated = zlib.decompressobj(), 0
    try:
        for whole in pixel_chunks:
            pending: bytes | memoryview = whole[8:-4]
            while pending:
                if inflater.eof:
                    return False
                inflated += len(inflater.decompress(pending, _INFLATE_STEP))
                if inflated > raw_size:
                    return False
                pending = inflater.unconsumed_tail
    except zlib.error:
        return False
    return inflater.eof and inflated == raw_size and not inflater.unused_data


def with_new_text(data: bytes, text: Sequence[tuple[bytes, bytes]]) -> bytes | None:
    """`data` rebuilt as IHDR, iCCP, the (type, body) chunks `text`, its IDAT chunks unchanged
    and IEND; None when it cannot be: interlaced, a chunk that is neither kept nor dropped, or
    pixel data holding more than the pixels."""
    chunks = _chunks(data)
    if chunks is None or chunks[0][0] != b"IHDR":
        return None
    raw_size = _raw_size(chunks[0][1])
    pixels = [whole for kind, whole in chunks if kind == b"IDAT"]
    if raw_size is None or not _holds_only_pixels(pixels, raw_size):
        return None
    header = [whole for kind, whole in chunks if kind in {b"IHDR", b"iCCP"}]
    return b"".join(
        [SIGNATURE, *header, *(chunk(kind, body) for kind, body in text), *pixels, chunks[-1][1]]
    )
