"""The interface every image store implements."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

MISSING = "That image is not in Plaza's image store."


@dataclass(frozen=True)
class StoredObject:
    """One object in a store: its key, size in bytes and when it was last written (UTC)."""

    key: str
    size: int
    modified: datetime


class ObjectStore(Protocol):
    """Bytes under `/`-separated keys; a write is all or nothing, never half an object."""

    def put(self, key: str, data: bytes) -> None:
        """Store `data` under `key`, durably, replacing what was there."""

    def get(self, key: str) -> bytes:
        """The bytes under `key`; social.errors.NotFound when there are none."""

    def exists(self, key: str) -> bool:
        """Whether an object is stored under `key`."""

    def delete(self, key: str) -> None:
        """Remove the object under `key`, if there is one."""

    def list(self) -> Iterator[StoredObject]:
        """Every object in the store, leftovers of interrupted writes included."""

    def where(self, key: str) -> str:
        """Where the object under `key` lives, for people (a path or a URL)."""
