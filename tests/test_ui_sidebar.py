"""The sidebar through AppTest: its lists are read only while open, its badges are kept across
reruns and read again after the person's own changes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event
from streamlit.testing.v1 import AppTest

from social.likes import like_post
from social.moderators import set_moderator
from tests.test_ui_app import open_section
from tests.test_ui_social import click, page, run, seed
from ui import chat_history, personal_tokens, relations_sidebar

# The statements of the sidebar's reads: unread and open report counts, tokens, whom one
# blocks or mutes, saved chats.
SIDEBAR_READS = re.compile(
    r"count\(notifications\.id\)|count\(reports\.id\)|FROM personal_tokens|JOIN (blocks|mutes)"
    r"|FROM conversations"
)
SECTIONS = (personal_tokens.OPEN_KEY, relations_sidebar.OPEN_KEY, chat_history.OPEN_KEY)


@contextmanager
def sidebar_reads() -> Iterator[list[str]]:
    """The sidebar's statements that the database runs inside the block."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if SIDEBAR_READS.search(statement):
            seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def badge(at: AppTest) -> str:
    return at.button(key="open-notifications").label


def test_a_like_reads_nothing_for_the_sidebar_until_its_lists_are_opened() -> None:
    ids = seed()
    run(lambda s: set_moderator(s, name="ana"))
    with sidebar_reads() as first_draw:
        at = page("ana")
    assert first_draw  # the badges
    with sidebar_reads() as like:
        click(at, f"card-{ids['bo']}-like")
    assert like == []
    with sidebar_reads() as opened:
        for key in SECTIONS:
            open_section(at, key)
    assert opened
    assert "Create token" in [b.label for b in at.sidebar.button]


def test_the_badge_and_the_list_follow_the_persons_mute_and_unmute() -> None:
    ids = seed("ana", "bo", "cy")
    run(lambda s: like_post(s, user="bo", post_id=ids["ana"]))
    run(lambda s: like_post(s, user="cy", post_id=ids["ana"]))
    at = page("ana")
    assert badge(at) == "Notifications :red-badge[2 new]"
    open_section(at, relations_sidebar.OPEN_KEY)
    open_section(at, f"card-{ids['bo']}-more")
    click(at, f"card-{ids['bo']}-mute")  # hides bo's notifications too
    assert badge(at) == "Notifications :red-badge[1 new]"
    assert "unmute-bo" in [b.key for b in at.sidebar.button]
    click(at, "unmute-bo")
    assert badge(at) == "Notifications :red-badge[2 new]"
    assert "unmute-bo" not in [b.key for b in at.sidebar.button]
