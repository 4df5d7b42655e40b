"""JPEG files at the marker level: keep what the decoder reads, drop everything else.

A JPEG's pixels are its quantisation and Huffman tables, frame and scan headers and the
entropy-coded scans. Everything else is metadata: APPn and COM segments (EXIF with its
location, XMP, IPTC, maker notes, embedded thumbnails, C2PA manifests) and bytes after the end
marker (motion-photo videos, extra pictures). Rebuilding a file from the decoding segments
strips all of it without touching a pixel: no generation loss and no encode. A JFIF header is
written afresh without its thumbnail; an Adobe marker is kept (it says how to read the
colours), and so is the colour profile when it is small enough. Plaza's own text goes into
comment segments."""

from __future__ import annotations

import json
import re
import struct
from collections.abc import Mapping

SOI = b"\xff\xd8"
EOI = b"\xff\xd9"
TEXT_PREFIX = b"plaza:provenance\x00"  # starts each comment segment holding Plaza's text
_SOS, _APP0, _APP2, _APP14, _COM = 0xDA, 0xE0, 0xE2, 0xEE, 0xFE
_APPS = range(0xE0, 0xF0)
# Frame headers (SOF0-15 but JPG), DHT, DAC, DQT, DNL and DRI: what the decoder reads.
_DECODING = frozenset(range(0xC0, 0xD0)) - {0xC8} | {0xDB, 0xDC, 0xDD}
_JFIF, _ICC, _ADOBE = b"JFIF\x00", b"ICC_PROFILE\x00", b"Adobe"
_JFIF_DEFAULTS = b"\x01\x01\x00\x00\x01\x00\x01"  # version 1.1, no unit, 1:1 density
_MAX_BODY = 65533  # a segment's length field counts itself
# The end of entropy-coded data: 0xFF not followed by a stuffed zero or a restart marker.
_SCAN_END = re.compile(rb"\xff[^\x00\xd0-\xd7]")


def _segment(marker: int, body: bytes) -> bytes:
    return struct.pack(">BBH", 0xFF, marker, len(body) + 2) + body


def _segments(data: bytes) -> list[tuple[int, memoryview]] | None:
    """(marker, whole segment) of every segment up to the end marker, each scan with its
    entropy-coded data; None for bytes that are not a segment or a segment cut short."""
    if not data.startswith(SOI):
        return None
    view, position = memoryview(data), len(SOI)
    found: list[tuple[int, memoryview]] = []
    while position + 1 < len(data) and data[position] == 0xFF:
        while position + 2 < len(data) and data[position + 1] == 0xFF:
            position += 1  # fill bytes before a marker
        marker = data[position + 1]
        if marker == EOI[1]:
            return found  # whatever follows the end marker is left out
        if position + 4 > len(data):
            return None
        (length,) = struct.unpack_from(">H", data, position + 2)
        end = position + 2 + length
        if length < 2 or end > len(data):
            return None
        if marker == _SOS:
            scan_end = _SCAN_END.search(data, end)
            if scan_end is None:
                return None
            end = scan_end.start()
        found.append((marker, view[position:end]))
        position = end
    return None


def _body(segment: memoryview) -> bytes:
    return bytes(segment[4:])


def _comments(text: Mapping[str, str]) -> list[bytes]:
    """`text` as JSON in as many comment segments as it needs."""
    if not text:
        return []
    encoded = json.dumps(dict(text), ensure_ascii=False).encode()
    step = _MAX_BODY - len(TEXT_PREFIX)
    return [
        _segment(_COM, TEXT_PREFIX + encoded[start : start + step])
        for start in range(0, len(encoded), step)
    ]


def pixels_only(
    data: bytes, text: Mapping[str, str] | None = None, *, max_icc_bytes: int
) -> bytes | None:
    """JPEG `data` rebuilt from the segments its decoder reads, with `text` in comments; None
    when it holds a marker Plaza does not know. A colour profile over `max_icc_bytes` goes."""
    segments = _segments(data)
    if segments is None:
        return None
    icc = [_body(s) for marker, s in segments if marker == _APP2 and _body(s).startswith(_ICC)]
    keep_icc = sum(len(body) - len(_ICC) - 2 for body in icc) <= max_icc_bytes
    kept = [SOI]
    jfif = [_body(s) for marker, s in segments if marker == _APP0 and _body(s).startswith(_JFIF)]
    if jfif:
        details = jfif[0][len(_JFIF) : len(_JFIF) + 7]
        if len(details) != len(_JFIF_DEFAULTS):
            details = _JFIF_DEFAULTS
        kept.append(_segment(_APP0, _JFIF + details + b"\x00\x00"))  # no thumbnail
    kept += _comments(text or {})
    for marker, segment in segments:
        body = _body(segment) if marker in _APPS else b""
        if marker in _DECODING or marker == _SOS:
            kept.append(bytes(segment))
        elif marker == _APP2 and keep_icc and body.startswith(_ICC):
            kept.append(bytes(segment))
        elif marker == _APP14 and body.startswith(_ADOBE) and len(body) >= 12:
            kept.append(_segment(_APP14, body[:12]))  # version, flags and colour transform
        elif marker not in _APPS and marker != _COM:
            return None
    kept.append(EOI)
    return b"".join(kept)


def comment_text(data: bytes) -> dict[str, str]:
    """The text `pixels_only` wrote into JPEG `data`; {} when there is none."""
    pieces = [
        _body(segment)[len(TEXT_PREFIX) :]
        for marker, segment in _segments(data) or []
        if marker == _COM and _body(segment).startswith(TEXT_PREFIX)
    ]
    if not pieces:
        return {}
    try:
        found = json.loads(b"".join(pieces))
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}
