"""Row ids as they arrive from links and callers: checked before they reach SQL."""

from __future__ import annotations

from social.errors import NotFound

# Every id column is a 32-bit INTEGER on PostgreSQL; a larger number would be a DataError.
MAX_ID = 2**31 - 1


def is_id(value: object) -> bool:
    """Whether `value` is an int (not a bool) that an id column can hold."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


def checked_id(value: object, missing: str) -> int:
    """`value` as an id; NotFound(`missing`) for anything no row can have (0, 2**31, "12", ...)."""
    if not is_id(value):
        raise NotFound(missing)
    assert isinstance(value, int)
    return value
