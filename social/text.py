"""Checks of the text people type: captions, comments, bios, report reasons."""

from __future__ import annotations

import unicodedata

from social.errors import Invalid

_ALLOWED_CONTROLS = {"\n", "\t"}


def clean_text(value: object, what: str, *, max_length: int, required: bool = False) -> str:
    """`value` stripped; Invalid if not text, empty (when required), too long or with control
    characters or lone surrogates. HTML is not touched: it is stored as inert text and escaped
    by whoever renders it.
    """
    if not isinstance(value, str):
        raise Invalid(f"The {what} must be text.")
    # Length first, so a 10 MB paste is refused before anything walks through it.
    if len(value) > max_length * 2:
        raise Invalid(f"The {what} is far too long; the limit is {max_length} characters.")
    value = value.strip()
    if required and not value:
        raise Invalid(f"The {what} is empty.")
    if len(value) > max_length:
        raise Invalid(f"The {what} is {len(value)} characters long; the limit is {max_length}.")
    # Stray control characters (NUL, escape codes) render as garbage or break PostgreSQL text.
    if any(unicodedata.category(c) == "Cc" and c not in _ALLOWED_CONTROLS for c in value):
        raise Invalid(f"The {what} contains control characters; only line breaks and tabs.")
    # Half of a UTF-16 pair is not a character: no database or file can store it.
    if any(unicodedata.category(c) == "Cs" for c in value):
        raise Invalid(f"The {what} contains broken characters (lone surrogates).")
    return value
