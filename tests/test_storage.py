"""The image store contract, run against both stores: the local folder and an S3-compatible
server (moto's, see tests/object_store.py); then publishing and sweeping through S3."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image as PILImage
from sqlalchemy import Engine

from social.cli import main
from social.db import unit_of_work
from social.errors import NotFound
from social.image_formats import JPEG
from social.media import image_key, read_image, read_thumbnail, store_image, thumbnail_key
from social.orphan_files import sweep_orphan_files
from social.posts import get_post, publish_post
from social.settings import get_settings
from social.storage import LocalFolderStore, ObjectStore, get_store
from social.storage.s3 import S3Store
from tests.accounts import make_accounts
from ui.pictures import picture_bytes


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, data_dir: Path) -> ObjectStore:
    """The configured store of each kind, as Plaza opens it from its settings."""
    if request.param == "s3":
        request.getfixturevalue("s3_storage")
    return get_store()


def png(colour: str = "teal", size: tuple[int, int] = (64, 48)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def test_settings_choose_the_store(store: ObjectStore) -> None:
    expected = S3Store if get_settings().plaza_storage_url else LocalFolderStore
    assert isinstance(store, expected)


def test_put_then_get_exists_list_delete(store: ObjectStore) -> None:
    assert not store.exists("ab/one.png")
    store.put("ab/one.png", b"first")
    store.put("cd/two.png", b"second!")
    store.put("ab/one.png", b"replaced")
    assert store.get("ab/one.png") == b"replaced"
    assert store.exists("ab/one.png") and store.exists("cd/two.png")
    listed = {item.key: item.size for item in store.list()}
    assert listed == {"ab/one.png": 8, "cd/two.png": 7}
    assert all(item.modified.tzinfo is not None for item in store.list())
    store.delete("ab/one.png")
    store.delete("ab/one.png")  # deleting what is gone is fine
    assert not store.exists("ab/one.png")
    assert [item.key for item in store.list()] == ["cd/two.png"]


def test_missing_object_is_not_found(store: ObjectStore) -> None:
    with pytest.raises(NotFound):
        store.get("ef/never.png")


def test_where_names_the_object(store: ObjectStore) -> None:
    place = store.where("ab/one.png")
    assert place.endswith("ab/one.png")
    assert place.startswith("s3://") == isinstance(store, S3Store)


def test_store_image_writes_image_and_thumbnail(store: ObjectStore, sqlite_engine: Engine) -> None:
    with unit_of_work(sqlite_engine) as session:
        sha256 = store_image(session, png()).sha256
    assert {item.key for item in store.list()} == {image_key(sha256), thumbnail_key(sha256)}
    with PILImage.open(io.BytesIO(read_image(sha256))) as stored:
        assert stored.size == (64, 48)
    with PILImage.open(io.BytesIO(read_thumbnail(sha256))) as thumbnail:
        assert thumbnail.format == "WEBP"


def test_a_jpeg_is_stored_read_and_swept_under_its_own_key(
    store: ObjectStore, sqlite_engine: Engine
) -> None:
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), "teal").save(buffer, format="JPEG")
    with unit_of_work(sqlite_engine) as session:
        sha256 = store_image(session, buffer.getvalue()).sha256
    assert image_key(sha256, JPEG).endswith(".jpg")
    assert {item.key for item in store.list()} == {image_key(sha256, JPEG), thumbnail_key(sha256)}
    with PILImage.open(io.BytesIO(read_image(sha256))) as stored:
        assert (stored.format, stored.size) == ("JPEG", (64, 48))
    store.put(image_key("ab" * 32, JPEG), b"a photo whose row never came")
    with unit_of_work(sqlite_engine) as session:
        swept = sweep_orphan_files(session, store, delete=True, min_age=timedelta(0))
    assert [item.key for item in swept.objects] == [image_key("ab" * 32, JPEG)]
    assert store.exists(image_key(sha256, JPEG))


def test_sweep_removes_old_orphans(store: ObjectStore, sqlite_engine: Engine) -> None:
    with unit_of_work(sqlite_engine) as session:
        kept = store_image(session, png("red")).sha256
    store.put(image_key("ab" * 32), b"an image whose row never came")
    store.put("notes/readme.txt", b"not Plaza's")

    with unit_of_work(sqlite_engine) as session:
        young = sweep_orphan_files(session, store, delete=True)  # default: older than an hour
        found = sweep_orphan_files(session, store, min_age=timedelta(0))
    assert young.objects == []
    assert [item.key for item in found.objects] == [image_key("ab" * 32)]
    assert not found.deleted and store.exists(image_key("ab" * 32))

    with unit_of_work(sqlite_engine) as session:
        swept = sweep_orphan_files(session, store, delete=True, min_age=timedelta(0))
    assert swept.total_bytes == len(b"an image whose row never came")
    assert not store.exists(image_key("ab" * 32))
    assert store.exists(image_key(kept)) and store.exists("notes/readme.txt")


def test_publish_reads_back_through_s3(s3_storage: str, engine: Engine) -> None:
    make_accounts(engine, "ana")
    with unit_of_work(engine) as session:
        post_id = publish_post(session, author="ana", caption="Sea", image_bytes=png("navy")).id
    with unit_of_work(engine) as session:
        sha256 = get_post(session, post_id).image_sha256
    assert isinstance(get_store(), S3Store)
    assert not (get_settings().plaza_data_dir / "media").exists()  # nothing on local disk
    with PILImage.open(io.BytesIO(read_image(sha256))) as stored:
        assert stored.convert("RGB").getpixel((0, 0)) == (0, 0, 128)


def test_storage_url_must_name_a_bucket() -> None:
    with pytest.raises(ValueError, match="s3://bucket"):
        S3Store.from_url("http://example.invalid/images")
    with pytest.raises(ValueError, match="unknown options: colour"):
        S3Store.from_url("s3://bucket/prefix?colour=blue")


def test_pages_read_pictures_through_the_store(store: ObjectStore, sqlite_engine: Engine) -> None:
    with unit_of_work(sqlite_engine) as session:
        sha256 = store_image(session, png("plum")).sha256
    assert picture_bytes(sha256) == read_thumbnail(sha256)
    assert picture_bytes(sha256, full_size=True) == read_image(sha256)
    assert picture_bytes("ef" * 32) is None  # a missing picture is a note on the page


def test_plaza_sweep_lists_objects_in_the_bucket(
    s3_storage: str, sqlite_engine: Engine, capsys: pytest.CaptureFixture
) -> None:
    get_store().put(image_key("ab" * 32), b"an image whose row never came")
    assert main(["sweep", "--min-age-minutes", "0", "--delete"]) == 0
    out = capsys.readouterr().out
    bucket = s3_storage.removeprefix("s3://").split("?")[0]
    assert f"s3://{bucket}/{image_key('ab' * 32)}" in out
    assert "Deleted 1 orphan files" in out
    assert not get_store().exists(image_key("ab" * 32))


def test_pages_fetch_each_picture_from_the_store_once(
    s3_storage: str, sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with unit_of_work(sqlite_engine) as session:
        sha256 = store_image(session, png("gold", (70, 30))).sha256
    store, fetched = get_store(), []
    original_get = store.get
    monkeypatch.setattr(store, "get", lambda key: (fetched.append(key), original_get(key))[1])
    first, again = picture_bytes(sha256), picture_bytes(sha256)
    assert fetched == [thumbnail_key(sha256)]  # the second page view is served from memory
    assert first == again == original_get(thumbnail_key(sha256))
