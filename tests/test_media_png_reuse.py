"""A PNG that is pixels only keeps its compressed pixels when stored (no re-encode); anything
else about it (text, EXIF, trailing bytes, a rider inside the pixel data) is not kept."""

from __future__ import annotations

import io
import random
import struct
import zlib

import pytest
from PIL import Image as PILImage
from PIL import PngImagePlugin
from sqlalchemy import Engine

from assistant.offline.painter import OfflinePainter
from social import png_chunks
from social.db import unit_of_work
from social.media import Provenance, read_image, read_provenance, store_image

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, body) of every chunk of the PNG `data`."""
    found, position = [], len(PNG_SIGNATURE)
    while position < len(data):
        (length,) = struct.unpack_from(">I", data, position)
        found.append(
            (data[position + 4 : position + 8], data[position + 8 : position + 8 + length])
        )
        position += 12 + length
    return found


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def pixel_data(data: bytes) -> bytes:
    return b"".join(body for kind, body in chunks(data) if kind == b"IDAT")


def grainy_png(**save: object) -> bytes:
    pixels = random.Random(7).randbytes(96 * 64 * 3)
    buffer = io.BytesIO()
    PILImage.frombytes("RGB", (96, 64), pixels).save(buffer, format="PNG", **save)
    return buffer.getvalue()


def stored(engine: Engine, data: bytes, provenance: Provenance | None = None) -> bytes:
    with unit_of_work(engine) as session:
        return read_image(store_image(session, data, provenance=provenance).sha256)


def test_clean_png_keeps_its_pixel_data_and_gets_provenance(sqlite_engine: Engine) -> None:
    upload = grainy_png(compress_level=9)
    result = stored(sqlite_engine, upload, Provenance(model="painter", prompt="static"))
    assert pixel_data(result) == pixel_data(upload)  # not re-encoded
    assert read_provenance_of(result)["plaza:prompt"] == "static"
    with PILImage.open(io.BytesIO(upload)) as before, PILImage.open(io.BytesIO(result)) as after:
        assert after.tobytes() == before.tobytes()


def read_provenance_of(data: bytes) -> dict[str, str]:
    with PILImage.open(io.BytesIO(data)) as image:
        assert isinstance(image, PngImagePlugin.PngImageFile)
        return {key: str(value) for key, value in image.text.items()}


def test_storing_a_stored_image_again_keeps_its_pixels(sqlite_engine: Engine) -> None:
    # A stored AI image carries its signed Content Credentials, which a second store keeps as
    # an ingredient of a new manifest: a new file, the same picture.
    provenance = Provenance(model="painter", prompt="again")
    with unit_of_work(sqlite_engine) as session:
        first = store_image(session, grainy_png(), provenance=provenance).sha256
    with unit_of_work(sqlite_engine) as session:
        second = store_image(session, read_image(first), provenance=provenance).sha256
    with (
        PILImage.open(io.BytesIO(read_image(first))) as before,
        PILImage.open(io.BytesIO(read_image(second))) as after,
    ):
        assert after.tobytes() == before.tobytes()


def test_text_of_a_clean_png_is_replaced(sqlite_engine: Engine) -> None:
    forged = PngImagePlugin.PngInfo()
    forged.add_text("Location", "52.5200 N, 13.4050 E")
    forged.add_itxt("plaza:ai_generated", "false")
    with unit_of_work(sqlite_engine) as session:
        row = store_image(session, grainy_png(pnginfo=forged))
    assert read_provenance(row.sha256) == {}
    assert b"52.5200" not in read_image(row.sha256)


def test_exif_chunk_is_dropped(sqlite_engine: Engine) -> None:
    exif = PILImage.Exif()
    exif[0x010F] = "SpyCam"
    upload = grainy_png(exif=exif.tobytes())
    assert any(kind == b"eXIf" for kind, _ in chunks(upload))
    result = stored(sqlite_engine, upload)
    assert b"SpyCam" not in result
    assert pixel_data(result) == pixel_data(upload)
    assert {kind for kind, _ in chunks(result)} == {b"IHDR", b"IDAT", b"IEND"}


def test_exif_rotation_means_a_re_encode_upright(sqlite_engine: Engine) -> None:
    exif = PILImage.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    result = stored(sqlite_engine, grainy_png(exif=exif.tobytes()))
    with PILImage.open(io.BytesIO(result)) as image:
        assert image.size == (64, 96)
        assert not image.getexif()


def test_interlaced_png_is_not_kept_as_it_is() -> None:
    upload = grainy_png()
    header = bytearray(dict(chunks(upload))[b"IHDR"])
    header[12] = 1  # Adam7: Plaza does not count its rows, so it re-encodes such a file
    interlaced = upload.replace(
        chunk(b"IHDR", bytes(dict(chunks(upload))[b"IHDR"])), chunk(b"IHDR", bytes(header))
    )
    assert interlaced != upload
    assert png_chunks.with_new_text(interlaced, []) is None
    assert png_chunks.with_new_text(upload, []) == upload


def test_bytes_after_the_end_are_not_kept(sqlite_engine: Engine) -> None:
    upload = grainy_png() + b"PAYLOAD riding after IEND"
    assert b"PAYLOAD" not in stored(sqlite_engine, upload)


def test_a_rider_inside_the_pixel_data_means_a_re_encode(sqlite_engine: Engine) -> None:
    upload = grainy_png()
    pixels = pixel_data(upload)
    # Extra bytes after the end of the zlib stream: the decoder ignores them.
    rigged = b"".join(
        [
            PNG_SIGNATURE,
            *(chunk(kind, body) for kind, body in chunks(upload) if kind == b"IHDR"),
            chunk(b"IDAT", pixels + b"PAYLOAD inside IDAT"),
            chunk(b"IEND", b""),
        ]
    )
    with PILImage.open(io.BytesIO(rigged)) as image:
        image.load()  # Pillow reads it without complaint
    assert b"PAYLOAD" not in stored(sqlite_engine, rigged)


def test_extra_rows_inside_the_pixel_data_mean_a_re_encode(sqlite_engine: Engine) -> None:
    with PILImage.open(io.BytesIO(grainy_png())) as image:
        rows = image.tobytes()
    width_bytes = 96 * 3
    raw = b"".join(b"\0" + rows[row * width_bytes : (row + 1) * width_bytes] for row in range(64))
    header = struct.pack(">IIBBBBB", 96, 64, 8, 2, 0, 0, 0)
    # 64 rows declared, 80 in the stream: Pillow stops after 64 and ignores the rest.
    rigged = b"".join(
        [
            PNG_SIGNATURE,
            chunk(b"IHDR", header),
            chunk(b"IDAT", zlib.compress(raw + b"\0PAYLOAD" * 1000)),
            chunk(b"IEND", b""),
        ]
    )
    with PILImage.open(io.BytesIO(rigged)) as image:
        image.load()
    assert b"PAYLOAD" not in zlib.decompress(pixel_data(stored(sqlite_engine, rigged)))


def test_the_offline_painters_picture_is_stored_without_another_encode(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    [painted] = OfflinePainter().generate("a red kite over the dunes")
    encodes: list[str] = []
    save_png = PILImage.SAVE["PNG"]
    monkeypatch.setitem(
        PILImage.SAVE, "PNG", lambda *args: (encodes.append("png"), save_png(*args))
    )
    provenance = Provenance(model=OfflinePainter.model, prompt="a red kite over the dunes")
    result = stored(sqlite_engine, painted, provenance)
    assert encodes == []
    assert pixel_data(result) == pixel_data(painted)
