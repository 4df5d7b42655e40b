"""Pictures for the pages, read from the image store and kept in memory.

Keys are content hashes, so a kept picture can never go stale and every session shares it;
thumbnails are small and many, full-size pictures few."""

from __future__ import annotations

from typing import Any

import streamlit as st

from social.errors import NotFound, StoreUnavailable
from social.media import read_image, read_thumbnail

MISSING = ":material/broken_image: This picture is not in Plaza's image store."


@st.cache_resource(show_spinner=False, max_entries=1024)
def _thumbnail(sha256: str) -> bytes:
    return read_thumbnail(sha256)


@st.cache_resource(show_spinner=False, max_entries=32)
def _full_size(sha256: str) -> bytes:
    return read_image(sha256)


def picture_bytes(sha256: str, *, full_size: bool = False) -> bytes | None:
    """The stored thumbnail (or full-size PNG or JPEG) of image `sha256`; None when it cannot
    be read."""
    try:
        return _full_size(sha256) if full_size else _thumbnail(sha256)
    except (NotFound, StoreUnavailable):
        return None


def show_picture(sha256: str, *, full_size: bool = False, where: Any = st, **options: Any) -> None:
    """`st.image` of image `sha256` in `where`; a short note instead when it cannot be read."""
    data = picture_bytes(sha256, full_size=full_size)
    if data is None:
        where.caption(MISSING)
    else:
        where.image(data, **options)
