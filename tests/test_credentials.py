"""Content Credentials: every image a model made is signed as it is stored, and reads back."""

from __future__ import annotations

import io
import struct
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import c2pa
import pytest
from PIL import Image as PILImage
from sqlalchemy import Engine

from social import migrate
from social.credentials import AI_COMPOSITE, AI_GENERATED, Parent, read_credentials, sign_image
from social.db import make_engine, unit_of_work
from social.media import Provenance, read_image, read_provenance, store_image
from social.settings import get_settings
from social.signing_keys import (
    LEGACY_FOLDER,
    instance_ca_pem,
    instance_identity,
    issue_identity,
    write_to_folder,
)
from tests.openai_server import SERVICE_MODEL, service_ca_pem, sign_as_service

IDENTITY = issue_identity("Test instance")


def png_bytes(color: str = "teal", size: tuple[int, int] = (64, 48)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def stored(engine: Engine, data: bytes, provenance: Provenance | None) -> bytes:
    with unit_of_work(engine) as session:
        row = store_image(session, data, provenance=provenance)
    return read_image(row.sha256)


def stored_sha256(engine: Engine, data: bytes, provenance: Provenance | None) -> str:
    with unit_of_work(engine) as session:
        return store_image(session, data, provenance=provenance).sha256


def flip_one_pixel_byte(png: bytes) -> bytes:
    """The same file with one bit of its image data changed (the IDAT chunk's first byte)."""
    at = png.index(b"IDAT") + 4
    return png[:at] + bytes([png[at] ^ 1]) + png[at + 1 :]


def damaged_manifest(png: bytes) -> bytes:
    """`png` with zeros inside its manifest chunk (caBX) and that chunk's CRC made right again,
    so the PNG itself stays well-formed."""
    start = png.index(b"caBX") - 4
    length = struct.unpack(">I", png[start : start + 4])[0]
    body = bytearray(png[start + 8 : start + 8 + length])
    body[40:56] = bytes(16)
    crc = struct.pack(">I", zlib.crc32(b"caBX" + body) & 0xFFFFFFFF)
    return png[: start + 8] + bytes(body) + crc + png[start + 12 + length :]


def test_every_server_of_one_database_signs_as_one_instance(
    sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with unit_of_work(sqlite_engine) as session:
        identity = instance_identity(session)
    assert identity.chain_pem.count("BEGIN CERTIFICATE") == 2  # the leaf, then its CA
    assert identity.chain_pem.endswith(identity.ca_pem)
    picture = stored(sqlite_engine, png_bytes(), Provenance(model="offline-painter-1"))
    url = get_settings().url

    # A second server: the same database, a data folder of its own.
    monkeypatch.setenv("PLAZA_DATA_DIR", str(tmp_path / "server-two"))
    get_settings.cache_clear()
    other_server = make_engine(url)
    try:
        with other_server.connect() as connection:
            assert instance_identity(connection) == identity
        anchors = instance_ca_pem(other_server)
    finally:
        other_server.dispose()
    assert read_credentials(picture, trust_anchors=anchors).validation == "Trusted"
    assert not (tmp_path / "server-two" / LEGACY_FOLDER).exists()


def test_an_instance_keeps_the_identity_it_had_made_in_its_data_folder(data_dir: Path) -> None:
    # Before the database kept it, an instance made its identity in `<data dir>/credentials/`;
    # readers may trust that CA already, and its pictures are signed by it.
    earlier = issue_identity("Earlier instance")
    write_to_folder(earlier, data_dir / LEGACY_FOLDER)
    engine = make_engine(get_settings().url)
    try:
        migrate.upgrade(engine)
        with engine.connect() as connection:
            assert instance_identity(connection) == earlier
    finally:
        engine.dispose()


def test_generated_image_is_signed_valid_and_trusted_with_the_instance_ca(
    sqlite_engine: Engine,
) -> None:
    sha256 = stored_sha256(sqlite_engine, png_bytes(), Provenance(model="offline-painter-1"))
    png = read_image(sha256)

    summary = read_credentials(png)
    assert summary.present and summary.validation == "Valid"
    assert summary.ai_generated and summary.digital_source_type == AI_GENERATED
    assert summary.model == "offline-painter-1" and summary.generator.startswith("Plaza")
    assert summary.date is not None and summary.edits == () and summary.ingredients == ()
    anchors = instance_ca_pem(sqlite_engine)
    assert read_credentials(png, trust_anchors=anchors).validation == "Trusted"
    # Plaza's own text fields are still there, inside what the signature covers.
    assert read_provenance(sha256)["plaza:model"] == "offline-painter-1"


def test_one_flipped_byte_makes_the_credentials_invalid(sqlite_engine: Engine) -> None:
    png = stored(sqlite_engine, png_bytes(), Provenance(model="offline-painter-1"))
    assert read_credentials(flip_one_pixel_byte(png)).validation == "Invalid"


def test_the_prompt_is_not_in_the_manifest(sqlite_engine: Engine) -> None:
    png = stored(sqlite_engine, png_bytes(), Provenance(model="m", prompt="my secret prompt"))
    with c2pa.Reader("image/png", io.BytesIO(png)) as reader:
        assert "my secret prompt" not in reader.json()


def test_a_persons_photo_carries_no_ai_claim(engine: Engine) -> None:
    png = stored(engine, png_bytes("orange"), Provenance(ai_generated=False))
    summary = read_credentials(png)
    assert not summary.present and not summary.ai_generated


def test_an_edit_lists_its_parent_as_ingredient(sqlite_engine: Engine) -> None:
    with unit_of_work(sqlite_engine) as session:
        parent = store_image(session, png_bytes("navy"), provenance=Provenance(model="m1"))
        edit = store_image(
            session,
            png_bytes("white"),
            provenance=Provenance(model="m2", edits=("wider",), parent_sha256=parent.sha256),
        )
    summary = read_credentials(read_image(edit.sha256))
    assert summary.validation == "Valid" and summary.ai_generated
    assert summary.digital_source_type == AI_GENERATED and summary.model == "m2"
    assert summary.edits == ("edited with m2",)
    [ingredient] = summary.ingredients
    assert ingredient.relationship == "parentOf"
    assert ingredient.title == f"Plaza image {parent.sha256[:12]}"
    assert ingredient.generator.startswith("Plaza")


def test_an_ai_edit_of_a_photo_is_a_composite(sqlite_engine: Engine) -> None:
    with unit_of_work(sqlite_engine) as session:
        photo = store_image(session, png_bytes("red"), provenance=Provenance(ai_generated=False))
        edit = store_image(
            session,
            png_bytes("pink"),
            provenance=Provenance(model="m2", parent_sha256=photo.sha256),
        )
    summary = read_credentials(read_image(edit.sha256))
    assert summary.ai_generated and summary.digital_source_type == AI_COMPOSITE
    assert [i.generator for i in summary.ingredients] == [""]  # the photo had no manifest


def test_a_services_manifest_is_kept_as_an_ingredient(sqlite_engine: Engine) -> None:
    from_service = sign_as_service(png_bytes("gold"))
    assert read_credentials(from_service, trust_anchors=service_ca_pem()).validation == "Trusted"

    png = stored(sqlite_engine, from_service, Provenance(model=SERVICE_MODEL))

    summary = read_credentials(png)
    assert summary.validation == "Valid" and summary.generator.startswith("Plaza")
    # Plaza only re-encoded it: no edit, and the service's claim and model carry through.
    assert summary.edits == () and summary.ai_generated and summary.model == SERVICE_MODEL
    [ingredient] = summary.ingredients
    assert ingredient.generator == "Image service test 1.0"
    assert ingredient.relationship == "parentOf"


def test_signing_chains_parents_and_components() -> None:
    first = sign_image(png_bytes("black"), identity=IDENTITY, model="m1")
    second = sign_image(
        png_bytes("gray"),
        identity=IDENTITY,
        model="m2",
        parents=[Parent(first, "first")],
        edited=True,
    )
    third = sign_image(
        png_bytes("silver"),
        identity=IDENTITY,
        model="m3",
        parents=[Parent(second, "second"), Parent(png_bytes("white"), "a photo")],
        edited=True,
    )
    summary = read_credentials(third)
    assert summary.edits == ("edited with m2", "edited with m3")
    assert [(i.title, i.relationship) for i in summary.ingredients] == [
        ("second", "parentOf"),
        ("a photo", "componentOf"),
    ]
    assert summary.digital_source_type == AI_COMPOSITE


def test_storing_the_same_generated_image_twice_is_one_image(sqlite_engine: Engine) -> None:
    provenance = Provenance(model="m", prompt="same")
    with unit_of_work(sqlite_engine) as session:
        first = store_image(session, png_bytes(), provenance=provenance)
        second = store_image(session, png_bytes(), provenance=provenance)
    assert first.id == second.id


def test_damaged_or_foreign_files_read_without_errors() -> None:
    assert not read_credentials(png_bytes()).present
    signed = sign_image(png_bytes(), identity=IDENTITY, model="m")
    assert read_credentials(damaged_manifest(signed)).validation == "Invalid"


def test_signing_and_reading_from_many_threads_at_once() -> None:
    # Streamlit serves every session from its own thread; the signer is shared by all.
    colours = ["red", "green", "blue", "gold", "pink", "navy", "teal", "plum"] * 2

    def sign_and_read(colour: str) -> str:
        signed = sign_image(png_bytes(colour), identity=IDENTITY, model="m")
        return read_credentials(signed).validation

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert set(pool.map(sign_and_read, colours)) == {"Valid"}


def test_a_model_output_with_a_damaged_manifest_is_stored_signed_without_it(
    sqlite_engine: Engine,
) -> None:
    damaged = damaged_manifest(sign_as_service(png_bytes("olive")))
    assert read_credentials(damaged).validation == "Invalid"
    summary = read_credentials(stored(sqlite_engine, damaged, Provenance(model="m")))
    assert summary.validation == "Valid" and summary.ingredients == ()
