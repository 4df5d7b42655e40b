"""Image validation and content-addressed storage with provenance."""

from __future__ import annotations

import hashlib
import io
import random
import struct
import warnings
import zlib
from pathlib import Path

import pytest
from PIL import Image as PILImage
from PIL import ImageFile, PngImagePlugin
from sqlalchemy import Engine, func, select

from social import media
from social.db import unit_of_work
from social.errors import Invalid, NotFound
from social.media import (
    DIGITAL_SOURCE_TYPE_AI,
    Provenance,
    image_key,
    read_image,
    read_provenance,
    read_thumbnail,
    store_image,
    thumbnail_key,
    validate_image,
)
from social.models import Image
from social.settings import get_settings
from social.storage import local as local_store


def png_bytes(size: tuple[int, int] = (64, 48), color: str = "teal", **save: object) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, format="PNG", **save)
    return buffer.getvalue()


def noise_png(size: tuple[int, int]) -> bytes:
    """A PNG that does not compress, so its file is large and its body matters."""
    pixels = random.Random(size[0] * 100_000 + size[1]).randbytes(size[0] * size[1] * 3)
    buffer = io.BytesIO()
    PILImage.frombytes("RGB", size, pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def png_header_claiming(width: int, height: int) -> bytes:
    """A tiny, well-formed PNG start whose header claims `width`×`height` pixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)  # a sliver of the billion bytes it would inflate to
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def jpeg_with_gps_and_rotation() -> bytes:
    """A 40×20 JPEG whose EXIF holds a location and says 'rotate 90° to display'."""
    exif = PILImage.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise
    exif[0x010F] = "SpyCam"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (48.0, 51.0, 29.0), "E", (2.0, 17.0, 40.0)
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 20), "orange").save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def media_files() -> list[Path]:
    return sorted(p for p in get_settings().media_dir.rglob("*") if p.is_file())


@pytest.fixture
def no_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if any pixel data is decoded."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)
    monkeypatch.setattr(ImageFile.ImageFile, "verify", refuse)
    monkeypatch.setattr(PngImagePlugin.PngImageFile, "verify", refuse)


# --- validation (no database) ---------------------------------------------------------------


def test_accepts_png_jpeg_webp() -> None:
    for fmt in ("PNG", "JPEG", "WEBP"):
        buffer = io.BytesIO()
        PILImage.new("RGB", (30, 20), "red").save(buffer, format=fmt)
        image = validate_image(buffer.getvalue())
        assert (image.format, image.size) == (fmt, (30, 20))


def test_refuses_empty_bytes() -> None:
    with pytest.raises(Invalid, match="empty"):
        validate_image(b"")


def test_refuses_text_file_named_png(tmp_path: Path) -> None:
    path = tmp_path / "cat.png"
    path.write_text("this is a shopping list, not a cat\n")
    with pytest.raises(Invalid) as error:
        validate_image(path.read_bytes())
    assert str(error.value) == "This file is not an image Plaza accepts (PNG, JPEG, WEBP)."


def test_refuses_gif() -> None:
    buffer = io.BytesIO()
    PILImage.new("P", (10, 10)).save(buffer, format="GIF")
    with pytest.raises(Invalid, match=r"not an image Plaza accepts \(PNG, JPEG, WEBP\)"):
        validate_image(buffer.getvalue())


def test_refuses_truncated_png() -> None:
    data = noise_png((100, 100))
    with pytest.raises(Invalid, match="damaged or incomplete"):
        validate_image(data[: len(data) // 2])


def test_refuses_truncated_jpeg() -> None:
    buffer = io.BytesIO()
    PILImage.open(io.BytesIO(noise_png((64, 64)))).save(buffer, format="JPEG")
    data = buffer.getvalue()
    with pytest.raises(Invalid, match="damaged or incomplete"):
        validate_image(data[: len(data) // 2])


def test_refuses_oversized_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLAZA_MAX_UPLOAD_BYTES", str(50 * 1024))
    get_settings.cache_clear()
    data = noise_png((200, 200))
    assert len(data) > 50 * 1024
    with pytest.raises(Invalid) as error:
        validate_image(data)
    assert str(error.value) == f"The file is {-(-len(data) // 1024)} KB; the limit is 50 KB."


def test_default_size_message_in_megabytes() -> None:
    data = b"\x89PNG" + b"\x00" * (get_settings().plaza_max_upload_bytes + 1)
    with pytest.raises(Invalid, match=r"The file is 10 MB; the limit is 10 MB\."):
        validate_image(data)


def test_refuses_20000x20000_bomb_from_header_alone(no_decoding: None) -> None:
    bomb = png_header_claiming(20000, 20000)
    assert len(bomb) < 200
    # no_decoding fails the test if a single pixel is decoded: the header alone decides.
    with pytest.raises(Invalid) as error:
        validate_image(bomb)
    assert str(error.value) == "The image is 20000×20000 pixels; the limit is 24 megapixels."


def test_refuses_image_over_our_limit_but_under_pillows(no_decoding: None) -> None:
    # 48 megapixels: Pillow would let it through (its limit is ~89), ours is 24.
    with pytest.raises(Invalid) as error:
        validate_image(png_header_claiming(8000, 6000))
    assert str(error.value) == "The image is 8000×6000 pixels; the limit is 24 megapixels."


def test_pixel_limit_comes_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    data = png_bytes((100, 100))
    validate_image(data)
    monkeypatch.setenv("PLAZA_MAX_IMAGE_PIXELS", "5000")
    get_settings.cache_clear()
    with pytest.raises(Invalid, match=r"100×100 pixels; the limit is 0.005 megapixels"):
        validate_image(data)


def test_pillows_bomb_error_becomes_invalid(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PILImage, "MAX_IMAGE_PIXELS", 1000)  # Pillow raises above 2000
    monkeypatch.setenv("PLAZA_MAX_IMAGE_PIXELS", str(10**9))
    get_settings.cache_clear()
    with pytest.raises(Invalid, match=r"50×50 pixels; the limit is 0.001 megapixels"):
        validate_image(png_bytes((50, 50)))


@pytest.mark.parametrize("warnings_are_errors", [False, True])
def test_pillows_bomb_warning_becomes_invalid(
    monkeypatch: pytest.MonkeyPatch, warnings_are_errors: bool
) -> None:
    monkeypatch.setattr(PILImage, "MAX_IMAGE_PIXELS", 2000)  # 50×50 is in the warning band
    monkeypatch.setenv("PLAZA_MAX_IMAGE_PIXELS", str(10**9))
    get_settings.cache_clear()
    with warnings.catch_warnings():
        warnings.simplefilter("error" if warnings_are_errors else "ignore")
        with pytest.raises(Invalid, match=r"50×50 pixels; the limit is 0.002 megapixels"):
            validate_image(png_bytes((50, 50)))


def test_image_key_refuses_what_is_not_a_hash() -> None:
    with pytest.raises(Invalid):
        image_key("../../etc/passwd")
    with pytest.raises(Invalid):
        thumbnail_key("AB" * 32)


def test_read_provenance_of_unknown_image_is_not_found() -> None:
    with pytest.raises(NotFound):
        read_provenance("0" * 64)


# --- storage (SQLite and PostgreSQL) --------------------------------------------------------


def image_count(engine: Engine) -> int:
    with unit_of_work(engine) as session:
        return session.scalar(select(func.count()).select_from(Image)) or 0


def test_store_is_content_addressed_with_thumbnail(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        row = store_image(session, png_bytes((1200, 800)))
        sha256, row_id = row.sha256, row.id
    stored = read_image(sha256)
    assert hashlib.sha256(stored).hexdigest() == sha256
    path = get_settings().media_dir / sha256[:2] / f"{sha256}.png"
    assert path.read_bytes() == stored
    assert (row.mime, row.width, row.height, row.size_bytes) == (
        "image/png",
        1200,
        800,
        len(stored),
    )
    with PILImage.open(io.BytesIO(read_thumbnail(sha256))) as thumb:
        assert thumb.format == "WEBP"
        assert thumb.size == (512, 341)
    # Nothing else in the folder: no temp files left behind.
    assert media_files() == sorted([path, path.with_name(f"{sha256}.thumb.webp")])
    with unit_of_work(engine) as session:
        assert session.get(Image, row_id) is not None


def test_storing_same_bytes_twice_returns_existing_row(engine: Engine) -> None:
    data = png_bytes()
    with unit_of_work(engine) as session:
        first = store_image(session, data).id
    with unit_of_work(engine) as session:
        second = store_image(session, data).id
    assert first == second
    assert image_count(engine) == 1
    assert len(media_files()) == 2


def test_upload_loses_location_and_keeps_orientation(engine: Engine) -> None:
    data = jpeg_with_gps_and_rotation()
    with PILImage.open(io.BytesIO(data)) as original:
        assert original.getexif().get_ifd(0x8825)  # the fixture really carries a location
    with unit_of_work(engine) as session:
        row = store_image(session, data)
    assert row.mime == "image/jpeg"
    with PILImage.open(io.BytesIO(read_image(row.sha256))) as stored:
        assert stored.format == "JPEG"
        assert "exif" not in stored.info
        assert not stored.getexif()
        assert stored.size == (20, 40)  # rotated upright, since the orientation tag is gone
    assert b"SpyCam" not in read_image(row.sha256)
    assert read_provenance(row.sha256) == {}


def test_upload_text_chunks_are_dropped(engine: Engine) -> None:
    forged = PngImagePlugin.PngInfo()
    forged.add_text("plaza:ai_generated", "false")
    forged.add_text("Location", "52.5200 N, 13.4050 E")
    with unit_of_work(engine) as session:
        row = store_image(session, png_bytes(pnginfo=forged))
    assert read_provenance(row.sha256) == {}


def test_provenance_roundtrip(engine: Engine) -> None:
    provenance = Provenance(model="offline-painter-1", prompt="un café ☕ at dawn, 水彩")
    with unit_of_work(engine) as session:
        row = store_image(session, png_bytes(), provenance=provenance)
    assert read_provenance(row.sha256) == {
        "plaza:ai_generated": "true",
        "plaza:model": "offline-painter-1",
        "plaza:prompt": "un café ☕ at dawn, 水彩",
        "DigitalSourceType": DIGITAL_SOURCE_TYPE_AI,
    }


def test_provenance_of_a_photo_is_not_marked_ai(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        row = store_image(session, png_bytes(), provenance=Provenance(ai_generated=False))
    assert read_provenance(row.sha256) == {"plaza:ai_generated": "false"}


BAD_IMAGES = {
    "empty": (b"", "The file is empty."),
    "text named png": (b"hello, I am text\n", media.NOT_AN_IMAGE),
    "truncated png": (noise_png((100, 100))[:9000], media.BROKEN_IMAGE),
    "bomb": (
        png_header_claiming(20000, 20000),
        "The image is 20000×20000 pixels; the limit is 24 megapixels.",
    ),
}


@pytest.mark.parametrize("case", list(BAD_IMAGES))
def test_refused_image_leaves_no_file_and_no_row(engine: Engine, case: str) -> None:
    data, message = BAD_IMAGES[case]
    with pytest.raises(Invalid) as error:
        with unit_of_work(engine) as session:
            store_image(session, data)
    assert str(error.value) == message
    assert media_files() == []
    assert image_count(engine) == 0


def test_file_is_written_before_the_row(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    # A crash between file and row must leave at worst a file nobody points at.
    def crash(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        with unit_of_work(engine) as session:
            monkeypatch.setattr(session, "flush", crash)
            store_image(session, png_bytes())
    assert len(media_files()) == 2
    assert image_count(engine) == 0


def test_failed_write_leaves_no_temp_file(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(*_args: object) -> None:
        raise OSError("No space left on device")

    monkeypatch.setattr(local_store.os, "replace", disk_full)
    with pytest.raises(OSError):
        with unit_of_work(engine) as session:
            store_image(session, png_bytes())
    assert media_files() == []
    assert image_count(engine) == 0
