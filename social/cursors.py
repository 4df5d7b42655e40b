"""Opaque feed cursors: a kind and the sort key of the last item, base64 so links stay clean.

A feed reads every open page again on each run of the page (so counts stay current), with the
same cursors each time: cursors are made and read through a small cache.
"""

from __future__ import annotations

import base64
import binascii
import math
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from social.errors import Invalid
from social.ids import MAX_ID

BROKEN = "This feed link is broken; please reload the feed."
MAX_LENGTH = 400
KEPT = 1024  # cursors made and read, kept


@lru_cache(maxsize=KEPT, typed=True)  # typed: 1 and 1.0 are equal keys but make other cursors
def encode(kind: str, *parts: int | float | datetime) -> str:
    """A cursor of `kind` carrying `parts` (ints, floats exactly, aware datetimes)."""
    texts = [kind]
    for part in parts:
        if isinstance(part, datetime):
            texts.append(part.astimezone(UTC).isoformat())
        else:
            texts.append(repr(part))  # repr round-trips a float exactly
    raw = "|".join(texts).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def kind_of(cursor: object) -> str:
    """The kind a cursor was made for ("" if it is not one of ours)."""
    if not isinstance(cursor, str) or len(cursor) > MAX_LENGTH:
        return ""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeError, ValueError):
        return ""
    return raw.split("|", 1)[0]


def decode(cursor: object, kind: str, *types: type) -> tuple[Any, ...]:
    """The parts of a cursor of `kind`, converted to `types`; Invalid if it is not such a one."""
    if not isinstance(cursor, str) or len(cursor) > MAX_LENGTH:
        raise Invalid(BROKEN)
    return _decoded(cursor, kind, types)


@lru_cache(maxsize=KEPT)  # a broken cursor raises, and so is not kept
def _decoded(cursor: str, kind: str, types: tuple[type, ...]) -> tuple[Any, ...]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        found_kind, *texts = raw.split("|")
        if found_kind != kind or len(texts) != len(types):
            raise ValueError(raw)
        parts = tuple(_parse(text, wanted) for text, wanted in zip(texts, types, strict=True))
    except (binascii.Error, UnicodeError, ValueError, OverflowError) as error:
        raise Invalid(BROKEN) from error
    return parts


def _parse(text: str, wanted: type) -> Any:
    if wanted is datetime:
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:
            raise ValueError(text)
        return moment.astimezone(UTC)
    if wanted is float:
        number = float(text)
        if not math.isfinite(number):
            raise ValueError(text)
        return number
    value = int(text)
    # Every integer in a cursor is an id or a count: it fits a 32-bit column.
    if not 0 <= value <= MAX_ID:
        raise ValueError(text)
    return value
