"""Images as files in a local folder: Plaza's default store."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from social.errors import NotFound
from social.storage.base import MISSING, StoredObject

PARTIAL_PREFIX = ".tmp-"  # a write in progress, or one a crash cut short


class LocalFolderStore:
    """Objects as files under one folder; a key is a relative path."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        path = self.root / key
        # Keys are made by Plaza, never typed by people; this guards against a bad one anyway.
        if ".." in Path(key).parts or Path(key).is_absolute():
            raise ValueError(f"Not a key of this store: {key!r}")
        return path

    def put(self, key: str, data: bytes) -> None:
        """Write `data` so that readers see either nothing or the whole file."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=PARTIAL_PREFIX)
        try:
            with os.fdopen(handle, "wb") as temp:
                temp.write(data)
                temp.flush()
                # On disk before the row that points at it can be committed.
                os.fsync(temp.fileno())
            os.replace(temp_name, path)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        """The file's bytes; NotFound when there is no such file."""
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError as error:
            raise NotFound(MISSING) from error

    def exists(self, key: str) -> bool:
        """Whether the file is there."""
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        """Remove the file, if it is there."""
        self._path(key).unlink(missing_ok=True)

    def list(self) -> Iterator[StoredObject]:
        """Every file under the folder, partial writes (PARTIAL_PREFIX) included."""
        if not self.root.is_dir():
            return
        for path in self.root.rglob("*"):
            if path.is_file():
                stat = path.stat()
                yield StoredObject(
                    key=path.relative_to(self.root).as_posix(),
                    size=stat.st_size,
                    modified=datetime.fromtimestamp(stat.st_mtime, UTC),
                )

    def where(self, key: str) -> str:
        """The file's path."""
        return str(self._path(key))
