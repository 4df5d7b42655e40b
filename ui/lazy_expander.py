"""Sidebar sections that read the database only while the person has them open."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st


@contextmanager
def lazy_expander(label: str, *, key: str, icon: str) -> Iterator[bool]:
    """An expander whose state the server tracks (opening or closing it reruns the page);
    yields whether it is open, so its content is made, and read, only then."""
    box = st.expander(label, icon=icon, key=key, on_change="rerun")
    with box:
        yield bool(box.open)
