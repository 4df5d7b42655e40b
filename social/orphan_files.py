"""Image files no image row points at. Publishing writes the file before the row (see
`social.media`), so a crash in between leaves such a file by design; a sweep removes them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from social.models import Image, utcnow

# <sha256>.png, <sha256>.thumb.webp, and .tmp-* halves of writes cut short.
_STORED = re.compile(r"(?P<sha>[0-9a-f]{64})\.(png|thumb\.webp)")
_PARTIAL = re.compile(r"\.tmp-.+")
_BATCH = 500
# A file younger than this may belong to a publish still on its way to committing its row.
DEFAULT_MIN_AGE = timedelta(hours=1)


@dataclass(frozen=True)
class SweepResult:
    """The orphan files found (and deleted, if asked) and their total size."""

    files: list[Path]
    total_bytes: int
    deleted: bool


def sweep_orphan_files(
    session: Session,
    media_dir: Path,
    *,
    delete: bool = False,
    min_age: timedelta = DEFAULT_MIN_AGE,
) -> SweepResult:
    """Files under `media_dir` older than `min_age` that no image row references; removed
    only when `delete` is True. Files of other names are never touched."""
    cutoff = (utcnow() - min_age).timestamp()
    candidates = [path for path in _files(media_dir) if path.stat().st_mtime <= cutoff]
    orphans = [path for path in candidates if _PARTIAL.fullmatch(path.name)]
    stored = [path for path in candidates if not _PARTIAL.fullmatch(path.name)]
    for start in range(0, len(stored), _BATCH):
        batch = stored[start : start + _BATCH]
        hashes = {_sha(path) for path in batch}
        known = set(session.scalars(select(Image.sha256).where(Image.sha256.in_(hashes))))
        orphans += [path for path in batch if _sha(path) not in known]
    orphans.sort()
    total = sum(path.stat().st_size for path in orphans)
    if delete:
        for path in orphans:
            path.unlink(missing_ok=True)
    return SweepResult(files=orphans, total_bytes=total, deleted=delete)


def _files(media_dir: Path) -> Iterator[Path]:
    if not media_dir.is_dir():
        return
    for path in media_dir.rglob("*"):
        if path.is_file() and (_STORED.fullmatch(path.name) or _PARTIAL.fullmatch(path.name)):
            yield path


def _sha(path: Path) -> str:
    found = _STORED.fullmatch(path.name)
    assert found is not None  # _files only yields matching names
    return found["sha"]
