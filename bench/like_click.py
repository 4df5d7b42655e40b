"""Like click → updated card, through Streamlit's AppTest on Plaza's real page (signed in, a
feed of 20 posts open), against a bare script with the same elements (bench/bare_feed.py: the
same images from the same files, captions, buttons, columns and containers) whose click only
adds one to a number in session_state. Both are clicked alternately in the same run; each
figure is the median of many clicks, each click timed until the card shows the new count.

Run with `python -m bench.like_click` (SQLite and the local PostgreSQL server); add `--profile`
to print where Plaza's clicks spend their time.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from unittest.mock import patch

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.local_script_runner import LocalScriptRunner

from bench.report import Figure, markdown
from bench.sandbox import POSTGRES_URL, plaza_sandbox, png_bytes
from bench.timing import timed_pair
from social import accounts, migrate
from social.db import default_engine, unit_of_work
from social.media import read_thumbnail
from social.posts import PostCard, latest_feed, publish_post
from social.sessions import open_session
from ui.format import relative_time
from ui.identity import SESSION_KEY, USER_KEY

ROOT = Path(__file__).resolve().parent.parent
PLAZA_PAGE = str(ROOT / "ui" / "app.py")
BARE_PAGE = str(ROOT / "bench" / "bare_feed.py")
POSTS = 20
CLICKS = 41
VIEWER = "viewer"
PASSWORD = "correct horse battery"


@dataclass(frozen=True)
class BareCard:
    """What the bare script shows of one post."""

    image: bytes  # the thumbnail, as Plaza's page gets it from its image store
    author: str
    age: str
    caption: str


def run(*, smoke: bool = False, postgres_url: str | None = None) -> list[Figure]:
    """The click on SQLite, and on PostgreSQL at `postgres_url` if given; smoke: 3 posts."""
    posts, clicks = (3, 2) if smoke else (POSTS, CLICKS)
    databases: list[tuple[str, str | None]] = [("SQLite", None)]
    if postgres_url:
        databases.append(("PostgreSQL", postgres_url))
    return [measure(posts, clicks, database, url) for database, url in databases]


def measure(posts: int, clicks: int, database: str, postgres_url: str | None) -> Figure:
    """Median seconds of a Like click on Plaza's page and on the bare one, `clicks` each."""
    with plaza_sandbox(postgres_url):
        cards = _seed(posts)
        plaza, bare = plaza_page(len(cards)), bare_page(cards)
        plaza_s, bare_s = timed_pair(_clicker(plaza, "card"), _clicker(bare, "bare"), clicks)
    return Figure(
        what=f"like click → updated card, {posts} posts (AppTest), {database}",
        baseline_name="bare script, same elements",
        ours=plaza_s,
        baseline=bare_s,
        target=1.3,
    )


def _seed(posts: int) -> list[PostCard]:
    """The viewer, two authors and `posts` posts, each its own 768² picture; the feed's cards."""
    engine = default_engine()
    migrate.upgrade(engine)
    with unit_of_work(engine) as session:
        for name in (VIEWER, "ana", "bo"):
            accounts.sign_up(session, name=name, password=PASSWORD)
        for i in range(posts):
            publish_post(session, author=("ana", "bo")[i % 2], caption=f"Post {i}: a walk #sea",
                         model="bench", image_bytes=png_bytes(i))  # fmt: skip
        return latest_feed(session, limit=posts, viewer=VIEWER).posts


def plaza_page(posts: int) -> AppTest:
    """Plaza's page, signed in as the viewer, with all `posts` cards open."""
    at = AppTest.from_file(PLAZA_PAGE, default_timeout=60)
    with unit_of_work(default_engine()) as session:
        opened = open_session(session, user=VIEWER)
    at.session_state[SESSION_KEY] = opened.session_id
    at.session_state[USER_KEY] = opened.user
    at.run()
    while more := [b for b in at.button if b.key == "latest-more"]:
        more[0].click().run()
    _check(at, posts)
    return at


def bare_page(cards: list[PostCard]) -> AppTest:
    """The bare script showing the same cards."""
    at = AppTest.from_file(BARE_PAGE, default_timeout=60)
    at.session_state["cards"] = [
        BareCard(read_thumbnail(c.image_sha256), c.author, relative_time(c.created_at), c.caption)
        for c in cards
    ]
    _check(at.run(), len(cards))
    return at


def _check(at: AppTest, images: int) -> None:
    if at.exception or len(at.image) != images:
        raise AssertionError(f"{len(at.image)} images, expected {images}: {at.exception}")


def _clicker(at: AppTest, prefix: str) -> Callable[[], None]:
    """A click on the Like of the page's first card that checks the card's count changed."""
    key = next(b.key for b in at.button if b.key and re.fullmatch(rf"{prefix}-\d+-like", b.key))

    def click() -> None:
        before = at.button(key=key).label
        at.button(key=key).click().run()
        after = at.button(key=key).label
        if at.exception or after[-1] == before[-1]:
            raise AssertionError(f"{key}: {before!r} → {after!r} {at.exception}")

    return click


def profile(postgres_url: str | None = None, clicks: int = 40) -> str:
    """Where Plaza's Like clicks spend their time (in the page's script thread, where Streamlit
    runs the page): the top functions by cumulative time."""
    profiler = cProfile.Profile()
    run_thread = LocalScriptRunner._run_script_thread

    def profiled(runner: LocalScriptRunner) -> None:
        profiler.enable()
        try:
            run_thread(runner)
        finally:
            profiler.disable()

    with plaza_sandbox(postgres_url):
        cards = _seed(POSTS)
        click = _clicker(plaza_page(len(cards)), "card")
        with patch.object(LocalScriptRunner, "_run_script_thread", profiled):
            for _ in range(clicks):
                click()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(80)
    return out.getvalue()


if __name__ == "__main__":
    if "--profile" in sys.argv:
        print(profile())
    else:
        print(markdown(run(postgres_url=POSTGRES_URL)))
