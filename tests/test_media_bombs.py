"""Small files that decode big are refused or reduced before decoding; peak memory stays low.

Each hostile file is stored in a subprocess (`tests.image_memory`) that reports how far its
peak resident memory rose: a measure of work, not of time."""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image as PILImage
from sqlalchemy import Engine

from social.db import unit_of_work
from social.media import read_image, read_thumbnail, store_image

ROOT = Path(__file__).parent.parent
MAX_PEAK_MB = 200


def encoded(image: PILImage.Image, kind: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=kind, **options)
    return buffer.getvalue()


def png_strip(width: int) -> bytes:
    """A valid PNG one pixel high and `width` wide (its IDAT compresses to next to nothing)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, 1, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * (1 + 3 * width))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


HOSTILE = {
    # name: (bytes maker, purpose, expected outcome prefix)
    "jpeg 6000x6000": (
        lambda: encoded(PILImage.new("RGB", (6000, 6000), (200, 30, 30)), "JPEG", quality=1),
        "post",
        "stored 3000x3000",
    ),
    "jpeg 6000x6000 avatar": (
        lambda: encoded(PILImage.new("RGB", (6000, 6000), (200, 30, 30)), "JPEG", quality=1),
        "avatar",
        "stored 1024x1024",
    ),
    "progressive jpeg 6000x6000": (
        lambda: encoded(
            PILImage.new("RGB", (6000, 6000), (200, 30, 30)), "JPEG", quality=1, progressive=True
        ),
        "post",
        "refused: The image is 6000×6000 pixels",
    ),
    "webp 6000x6000": (
        lambda: encoded(PILImage.new("RGB", (6000, 6000), (9, 9, 9)), "WEBP", lossless=True),
        "post",
        "refused: The image is 6000×6000 pixels",
    ),
    "webp 2800x2800 rgba": (
        lambda: encoded(PILImage.new("RGBA", (2800, 2800), (9, 9, 9, 9)), "WEBP", lossless=True),
        "post",
        "stored 2800x2800",
    ),
    "png 4800x4800 rgba": (
        lambda: encoded(PILImage.new("RGBA", (4800, 4800), (9, 9, 9, 9)), "PNG"),
        "post",
        "stored 4800x4800",
    ),
    "png 40000000x1": (lambda: png_strip(40_000_000), "post", "refused: The image is 40000000×1"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_image_is_refused_or_reduced_in_bounded_memory(tmp_path: Path, case: str) -> None:
    make, purpose, expected = HOSTILE[case]
    path = tmp_path / "image"
    path.write_bytes(make())
    run = subprocess.run(
        [sys.executable, "-m", "tests.image_memory", str(path), purpose],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(run.stdout)
    assert str(report["outcome"]).startswith(expected), report
    assert report["peak_rise_mb"] < MAX_PEAK_MB, report


def test_large_colour_profile_is_dropped_and_a_small_one_kept(engine: Engine) -> None:
    small_profile = b"\x01" * 3000  # the size of a real sRGB profile
    huge = encoded(PILImage.new("RGB", (40, 20), "red"), "PNG", icc_profile=b"\0" * 2**20)
    fine = encoded(PILImage.new("RGB", (40, 20), "blue"), "PNG", icc_profile=small_profile)
    with unit_of_work(engine) as session:
        huge_row, fine_row = store_image(session, huge), store_image(session, fine)
    assert len(read_image(huge_row.sha256)) < 2000
    with PILImage.open(io.BytesIO(read_image(huge_row.sha256))) as stored:
        assert "icc_profile" not in stored.info
    with PILImage.open(io.BytesIO(read_image(fine_row.sha256))) as stored:
        assert stored.info["icc_profile"] == small_profile


def test_a_thin_strip_gets_a_thumbnail_one_pixel_high(engine: Engine) -> None:
    # Found by the property suite: the thumbnail of 5897×7 used to be 512×0, a crash in WebP.
    strip = encoded(PILImage.new("RGB", (5897, 7), "green"), "JPEG")
    with unit_of_work(engine) as session:
        row = store_image(session, strip)
    with PILImage.open(io.BytesIO(read_thumbnail(row.sha256))) as thumbnail:
        assert thumbnail.size == (512, 1)
