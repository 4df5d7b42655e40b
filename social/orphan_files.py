"""Image objects no image row points at. Publishing writes the object before the row (see
`social.media`), so a crash in between leaves such an object by design; a sweep removes them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from social.models import Image, utcnow
from social.storage import ObjectStore, StoredObject
from social.storage.local import PARTIAL_PREFIX

# <sha256>.png or .jpg, <sha256>.thumb.webp, and .tmp-* halves of local writes cut short.
_STORED = re.compile(r"(?P<sha>[0-9a-f]{64})\.(png|jpg|thumb\.webp)")
_PARTIAL = re.compile(re.escape(PARTIAL_PREFIX) + ".+")
_BATCH = 500
# An object younger than this may belong to a publish still on its way to committing its row.
DEFAULT_MIN_AGE = timedelta(hours=1)


@dataclass(frozen=True)
class SweepResult:
    """The orphan objects found (and deleted, if asked) and their total size."""

    objects: list[StoredObject]
    total_bytes: int
    deleted: bool


def sweep_orphan_files(
    session: Session,
    store: ObjectStore,
    *,
    delete: bool = False,
    min_age: timedelta = DEFAULT_MIN_AGE,
) -> SweepResult:
    """Objects in `store` older than `min_age` that no image row references; removed only
    when `delete` is True. Objects of other names are never touched."""
    cutoff = utcnow() - min_age
    candidates = [item for item in store.list() if _name(item) and item.modified <= cutoff]
    orphans = [item for item in candidates if _PARTIAL.fullmatch(_name(item))]
    stored = [item for item in candidates if not _PARTIAL.fullmatch(_name(item))]
    for start in range(0, len(stored), _BATCH):
        batch = stored[start : start + _BATCH]
        hashes = {_sha(item) for item in batch}
        known = set(session.scalars(select(Image.sha256).where(Image.sha256.in_(hashes))))
        orphans += [item for item in batch if _sha(item) not in known]
    orphans.sort(key=lambda item: item.key)
    if delete:
        for item in orphans:
            store.delete(item.key)
    return SweepResult(
        objects=orphans, total_bytes=sum(item.size for item in orphans), deleted=delete
    )


def _name(item: StoredObject) -> str:
    """The last part of the key when it is one Plaza writes, else ''."""
    name = item.key.rsplit("/", 1)[-1]
    return name if _STORED.fullmatch(name) or _PARTIAL.fullmatch(name) else ""


def _sha(item: StoredObject) -> str:
    found = _STORED.fullmatch(_name(item))
    assert found is not None  # only stored names reach here
    return found["sha"]
