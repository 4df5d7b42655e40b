"""Where image files live: one interface, two places.

A local folder is the default (one server, files under the data folder); an S3-compatible
object store, named by `PLAZA_STORAGE_URL`, lets several servers share one set of images so
that none depends on its own disk. Keys are content-addressed (`ab/<sha256>.png`, or `.jpg`
for a JPEG), so an object never changes once written and readers may cache it by key.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from social.settings import get_settings
from social.storage.base import ObjectStore, StoredObject
from social.storage.local import LocalFolderStore

__all__ = ["LocalFolderStore", "ObjectStore", "StoredObject", "get_store", "open_store"]


def open_store(url: str | None, media_dir: Path) -> ObjectStore:
    """The store `url` names (s3://bucket/prefix?endpoint_url=...), or the folder `media_dir`."""
    if not url:
        return LocalFolderStore(media_dir)
    from social.storage.s3 import S3Store  # the S3 client loads only when it is used

    return S3Store.from_url(url)


@lru_cache(maxsize=4)
def _store_for(url: str | None, media_dir: Path) -> ObjectStore:
    return open_store(url, media_dir)


def get_store() -> ObjectStore:
    """The image store the settings name; one per place, shared by all threads."""
    settings = get_settings()
    if settings.plaza_storage_url:
        return _store_for(settings.plaza_storage_url, settings.plaza_data_dir)
    return _store_for(None, settings.media_dir)
