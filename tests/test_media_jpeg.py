"""A JPEG stays a JPEG: an upright one keeps its compressed pixels and loses its metadata
(location, camera, XMP, comments, trailers), a rotated one is stored upright, damage is
refused, and provenance and Content Credentials live in the JPEG as they do in a PNG."""

from __future__ import annotations

import io
import json
import struct

import pytest
from PIL import Image as PILImage
from sqlalchemy import Engine

from social import jpeg_segments, media
from social.credentials import AI_COMPOSITE, read_credentials
from social.db import unit_of_work
from social.errors import Invalid
from social.image_formats import JPEG, PNG, file_name, mime_of
from social.media import (
    AVATAR,
    MAX_ICC_BYTES,
    Provenance,
    read_image,
    read_provenance,
    read_thumbnail,
    store_image,
)
from social.models import Image
from tests.test_media import image_count, media_files, png_bytes

SPIES = (b"SpyCam", b"SpyXMP", b"SpyComment", b"SpyIPTC", b"SpyTrailer")


def picture(size: tuple[int, int]) -> PILImage.Image:
    """A picture with detail in every channel, so a changed pixel shows."""
    red = PILImage.linear_gradient("L").resize(size)
    green = PILImage.radial_gradient("L").resize(size)
    blue = red.transpose(PILImage.Transpose.ROTATE_90).resize(size)
    return PILImage.merge("RGB", (red, green, blue))


def camera_jpeg(
    size: tuple[int, int] = (1200, 800), orientation: int = 1, image: PILImage.Image | None = None
) -> bytes:
    """A JPEG as a phone saves it: EXIF with a location, XMP, a comment, an IPTC block, and a
    trailer after the end marker (where motion photos keep their video)."""
    exif = PILImage.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "SpyCam"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (48.0, 51.0, 29.0), "E", (2.0, 17.0, 40.0)
    buffer = io.BytesIO()
    (image or picture(size)).save(
        buffer,
        format="JPEG",
        quality=88,
        exif=exif.tobytes(),
        xmp=b"<x:xmpmeta>SpyXMP</x:xmpmeta>",
        comment=b"SpyComment",
    )
    data = buffer.getvalue()
    iptc = b"Photoshop 3.0\x00SpyIPTC"
    app13 = b"\xff\xed" + struct.pack(">H", len(iptc) + 2) + iptc
    return data[:2] + app13 + data[2:] + b"SpyTrailer"


def stored_row(engine: Engine, data: bytes, **options: object) -> Image:
    with unit_of_work(engine) as session:
        return store_image(session, data, **options)  # type: ignore[arg-type]


def test_an_upright_jpeg_keeps_its_pixels_and_loses_its_metadata(engine: Engine) -> None:
    data = camera_jpeg()
    row = stored_row(engine, data)
    stored = read_image(row.sha256)
    assert (row.mime, row.width, row.height, row.size_bytes) == (JPEG, 1200, 800, len(stored))
    assert [p.name for p in media_files()] == [f"{row.sha256}.jpg", f"{row.sha256}.thumb.webp"]
    for spy in SPIES:
        assert spy not in stored
    assert len(stored) < len(data)  # smaller than the upload, not several times its size
    with PILImage.open(io.BytesIO(data)) as original, PILImage.open(io.BytesIO(stored)) as kept:
        assert original.getexif().get_ifd(0x8825)  # the upload really carries a location
        assert kept.format == "JPEG" and not kept.getexif()
        assert "xmp" not in kept.info and "comment" not in kept.info
        assert kept.quantization == original.quantization
        assert kept.tobytes() == original.tobytes()  # not one pixel changed
    assert stored[2:6] == b"\xff\xe0\x00\x10"  # a bare JFIF header, no thumbnail in it
    with PILImage.open(io.BytesIO(read_thumbnail(row.sha256))) as thumbnail:
        assert (thumbnail.format, thumbnail.size) == ("WEBP", (512, 341))
    assert read_provenance(row.sha256) == {}


def test_a_rotated_jpeg_is_stored_upright_at_its_own_quality(engine: Engine) -> None:
    # Left half red, right half blue; orientation 6 means "turn 90° clockwise to display".
    halves = PILImage.new("RGB", (80, 40), "red")
    halves.paste("blue", (40, 0, 80, 40))
    data = camera_jpeg(orientation=6, image=halves)
    row = stored_row(engine, data)
    stored = read_image(row.sha256)
    for spy in SPIES:
        assert spy not in stored
    with PILImage.open(io.BytesIO(data)) as original, PILImage.open(io.BytesIO(stored)) as kept:
        assert kept.format == "JPEG" and not kept.getexif()
        assert kept.size == (row.width, row.height) == (40, 80)
        assert kept.quantization == original.quantization
        top, bottom = kept.convert("RGB").getpixel((20, 10)), kept.convert("RGB").getpixel((20, 70))
    assert isinstance(top, tuple) and isinstance(bottom, tuple)
    assert top[0] > 200 > top[2] and bottom[2] > 200 > bottom[0]  # red on top, blue below


@pytest.mark.parametrize("cut", ["half", "end marker"])
def test_a_truncated_jpeg_is_refused_and_stores_nothing(engine: Engine, cut: str) -> None:
    data = camera_jpeg().removesuffix(b"SpyTrailer")
    data = data[: len(data) // 2] if cut == "half" else data[:-2]
    with pytest.raises(Invalid, match="damaged or incomplete"):
        stored_row(engine, data)
    assert media_files() == [] and image_count(engine) == 0


def test_jpeg_provenance_roundtrip_and_a_forged_one_is_dropped(engine: Engine) -> None:
    # The edits alone are longer than one comment segment may be.
    provenance = Provenance(
        model="painter", prompt="un café ☕ at dawn, 水彩", edits=("x" * 70_000,)
    )
    row = stored_row(engine, camera_jpeg((64, 48)), provenance=provenance)
    assert read_provenance(row.sha256) == {
        "plaza:ai_generated": "true",
        "plaza:model": "painter",
        "plaza:prompt": "un café ☕ at dawn, 水彩",
        "plaza:edits": json.dumps(["x" * 70_000]),
        "DigitalSourceType": media.DIGITAL_SOURCE_TYPE_AI,
    }
    forged = jpeg_segments.pixels_only(
        camera_jpeg((64, 32)), {"plaza:ai_generated": "false"}, max_icc_bytes=MAX_ICC_BYTES
    )
    assert forged is not None
    assert read_provenance(stored_row(engine, forged).sha256) == {}


def test_an_ai_jpeg_is_signed_and_a_photo_is_not(engine: Engine) -> None:
    made = stored_row(engine, camera_jpeg((64, 48)), provenance=Provenance(model="painter"))
    signed = read_credentials(read_image(made.sha256))
    assert made.mime == JPEG and signed.present and signed.ai_generated
    assert signed.validation in {"Valid", "Trusted"}
    photo = stored_row(engine, camera_jpeg((48, 64)))
    assert not read_credentials(read_image(photo.sha256)).present


@pytest.mark.parametrize("profile_size", [3000, MAX_ICC_BYTES + 1])
def test_a_small_colour_profile_is_kept_and_a_large_one_dropped(
    engine: Engine, profile_size: int
) -> None:
    profile = bytes(range(256)) * (profile_size // 256) + b"\x00" * (profile_size % 256)
    buffer = io.BytesIO()
    picture((64, 48)).save(buffer, format="JPEG", icc_profile=profile)
    row = stored_row(engine, buffer.getvalue())
    with PILImage.open(io.BytesIO(read_image(row.sha256))) as kept:
        assert kept.info.get("icc_profile") == (profile if profile_size <= MAX_ICC_BYTES else None)


def test_a_cmyk_jpeg_becomes_an_rgb_jpeg(engine: Engine) -> None:
    buffer = io.BytesIO()
    PILImage.new("CMYK", (64, 48), (0, 255, 255, 0)).save(buffer, format="JPEG")
    row = stored_row(engine, buffer.getvalue())
    with PILImage.open(io.BytesIO(read_image(row.sha256))) as kept:
        assert (kept.format, kept.mode, kept.size) == ("JPEG", "RGB", (64, 48))


def test_a_large_jpeg_avatar_is_shrunk_and_stays_a_jpeg(engine: Engine) -> None:
    row = stored_row(engine, camera_jpeg((1500, 1000)), purpose=AVATAR)
    with PILImage.open(io.BytesIO(read_image(row.sha256))) as kept:
        assert (kept.format, kept.size) == ("JPEG", (1024, 683))
    assert (row.width, row.height) == (1024, 683)


def test_a_png_is_still_stored_as_a_png(engine: Engine) -> None:
    row = stored_row(engine, png_bytes())
    assert row.mime == PNG and mime_of(read_image(row.sha256)) == PNG
    assert [p.name for p in media_files()] == [f"{row.sha256}.png", f"{row.sha256}.thumb.webp"]


def test_segments_plaza_does_not_know_are_not_kept() -> None:
    data = camera_jpeg((64, 48))
    assert jpeg_segments.pixels_only(b"not a jpeg", max_icc_bytes=0) is None
    unknown = data[:2] + b"\xff\xf0\x00\x04ab" + data[2:]  # JPG0, no decoder reads it
    assert jpeg_segments.pixels_only(unknown, max_icc_bytes=0) is None
    assert jpeg_segments.pixels_only(data[:-20], max_icc_bytes=0) is None  # no end marker


def test_downloads_are_named_and_typed_by_their_bytes() -> None:
    data = camera_jpeg((64, 48))
    assert (mime_of(data), file_name("plaza-post-7", data)) == (JPEG, "plaza-post-7.jpg")
    assert (mime_of(png_bytes()), file_name("x", png_bytes())) == (PNG, "x.png")


def test_an_ai_edit_of_a_jpeg_photo_is_a_composite_with_the_photo_as_ingredient(
    engine: Engine,
) -> None:
    photo = stored_row(engine, camera_jpeg((64, 48)))
    edit = stored_row(
        engine, png_bytes(), provenance=Provenance(model="m2", parent_sha256=photo.sha256)
    )
    summary = read_credentials(read_image(edit.sha256))
    assert summary.ai_generated and summary.digital_source_type == AI_COMPOSITE
    assert summary.edits == ("edited with m2",)
    [ingredient] = summary.ingredients
    assert ingredient.title == f"Plaza image {photo.sha256[:12]}"
