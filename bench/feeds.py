"""Every feed page through Plaza against hand-written SQL on a raw DB-API connection that
returns the same rows from the same schema (the floor), at two sizes, on SQLite and PostgreSQL.

Each figure is a median over repeated runs; Plaza, its baseline and the same page at the other
sizes run alternately. The bench checks that Plaza and the floor return the same post ids, and
keeps the query plan of Plaza's own statement.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import event

from bench.seed import BIG_TAG, SQLITE_TIME, Community
from bench.timing import timed_alternately, timed_pair
from social import cursors, recommendations
from social.db import unit_of_work
from social.feeds import (
    following_feed,
    for_you_feed,
    hashtag_feed,
    trending_feed,
    user_posts,
)
from social.posts import FeedPage, decode_cursor, latest_feed
from social.recommendations import MY_LIKES, NEIGHBOURS, THEIR_LIKES
from social.users import lookup_key

PAGE = 20
DEEP = 25  # the deep page
WIDE_WINDOW = timedelta(days=3650)  # the bench opens the Trending and For you window wide
# Time given to each page's alternating runs: a page of 0.1 ms runs some 1,000 times, so that
# its median does not move with a few slow runs.
PAIR_SECONDS = 0.25

DECORATE = """
SELECT p.id, u.name, p.caption, p.prompt, p.alt_text, p.model, p.created_at, i.sha256, i.width,
  i.height, p.remix_of_id, p.like_count, p.comment_count, p.remix_count,
  EXISTS (SELECT 1 FROM likes l WHERE l.post_id = p.id AND l.user_id = :viewer) AS liked,
  ou.name, av.sha256, p.edit_steps, p.prompt_public, p.author_id = :viewer, p.hidden_reason
FROM ({picker}) AS page
JOIN posts p ON p.id = page.id
JOIN users u ON u.id = p.author_id
JOIN images i ON i.id = p.image_id
LEFT JOIN posts o ON o.id = p.remix_of_id
LEFT JOIN users ou ON ou.id = o.author_id
LEFT JOIN images av ON av.id = u.avatar_image_id
ORDER BY page.k DESC, page.id DESC
"""
# What the viewer may see (social.visibility), written by hand on the picked post `p`.
VISIBLE = """
  AND (p.hidden_at IS NULL OR p.author_id = :viewer)
  AND p.author_id NOT IN (SELECT id FROM users WHERE suspended_at IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM mutes WHERE muter_id = :viewer AND muted_id = p.author_id)
  AND NOT EXISTS (SELECT 1 FROM blocks WHERE blocker_id = :viewer AND blocked_id = p.author_id)
  AND NOT EXISTS (SELECT 1 FROM blocks WHERE blocker_id = p.author_id AND blocked_id = :viewer)
  AND NOT EXISTS (SELECT 1 FROM reports WHERE post_id = p.id AND reporter_id = :viewer)"""
AFTER_TIME = "AND (p.created_at, p.id) < (:after_k, :after_id)"
PICKERS = {
    "Latest": "SELECT p.id, p.created_at AS k FROM posts p WHERE 1 = 1 {visible} {after} "
    "ORDER BY p.created_at DESC, p.id DESC LIMIT 21",
    "Following": "SELECT t.post_id AS id, t.created_at AS k FROM timeline_entries t "
    "JOIN posts p ON p.id = t.post_id WHERE t.user_id = :viewer {visible} {after} "
    "ORDER BY t.created_at DESC, t.post_id DESC LIMIT 21",
    "profile": "SELECT p.id, p.created_at AS k FROM posts p WHERE p.author_id = :author "
    "{visible} {after} ORDER BY p.created_at DESC, p.id DESC LIMIT 21",
    "#tag": "SELECT t.post_id AS id, t.created_at AS k FROM post_hashtags t "
    "JOIN posts p ON p.id = t.post_id WHERE t.tag = :tag {visible} {after} "
    "ORDER BY t.created_at DESC, t.post_id DESC LIMIT 21",
    "Trending": "SELECT p.id, p.hot_score AS k FROM posts p WHERE p.created_at > :since "
    "{visible} {after} ORDER BY p.hot_score DESC, p.id DESC LIMIT 21",
    "For you": "SELECT e.post_id AS id, e.affinity AS k FROM for_you_entries e "
    "JOIN posts p ON p.id = e.post_id WHERE e.user_id = :viewer AND p.created_at > :since "
    "{visible} {after} ORDER BY e.affinity DESC, e.post_id DESC LIMIT 21",
}
# What computing one person's For you entries takes, by hand (`social.recommendations`).
FOR_YOU_FILL = f"""
WITH neighbours AS (
  SELECT user_id, count(*) AS weight FROM likes
  WHERE post_id IN (SELECT post_id FROM likes WHERE user_id = :viewer ORDER BY id DESC
                    LIMIT {MY_LIKES})
    AND user_id != :viewer
  GROUP BY user_id ORDER BY count(*) DESC, user_id LIMIT {NEIGHBOURS}),
scores AS (
  SELECT r.post_id, sum(n.weight) AS affinity
  FROM likes r JOIN neighbours n ON r.user_id = n.user_id
  WHERE r.id >= coalesce((SELECT x.id FROM likes x WHERE x.user_id = n.user_id
                          ORDER BY x.id DESC LIMIT 1 OFFSET {THEIR_LIKES - 1}), 0)
    AND NOT EXISTS (SELECT 1 FROM likes m WHERE m.post_id = r.post_id AND m.user_id = :viewer)
  GROUP BY r.post_id)
INSERT INTO for_you_entries (user_id, post_id, affinity)
SELECT :viewer, s.post_id, s.affinity FROM scores s JOIN posts p ON p.id = s.post_id
WHERE p.author_id != :viewer AND p.created_at > :since"""
FOR_YOU_CLEAR = "DELETE FROM for_you_entries WHERE user_id = :viewer"
RANKED_AFTER = {
    "Trending": "AND (p.hot_score, p.id) < (:after_k, :after_id)",
    "For you": "AND (e.affinity, e.post_id) < (:after_k, :after_id)",
}


@dataclass(frozen=True)
class FeedFigure:
    """One feed page on one database: Plaza and the floor, in seconds, and the query plan."""

    database: str
    posts: int
    feed: str
    page: int
    plaza: float
    floor: float
    plan: str

    @property
    def ratio(self) -> float:
        """Plaza's time as a multiple of the floor's."""
        return self.plaza / self.floor


def _plaza_reader(feed: str, c: Community) -> Callable[[Any, str | None], FeedPage]:
    readers: dict[str, Callable[[Any, str | None], FeedPage]] = {
        "Latest": lambda s, cur: latest_feed(s, cursor=cur, viewer=c.viewer),
        "Following": lambda s, cur: following_feed(s, viewer=c.viewer, cursor=cur),
        "Trending": lambda s, cur: trending_feed(s, cursor=cur, viewer=c.viewer),
        "For you": lambda s, cur: for_you_feed(s, viewer=c.viewer, cursor=cur),
        "profile": lambda s, cur: user_posts(s, name=c.top_author, cursor=cur, viewer=c.viewer),
        "#tag": lambda s, cur: hashtag_feed(s, tag=BIG_TAG, cursor=cur, viewer=c.viewer),
    }
    return readers[feed]


def _floor_sql(feed: str, after: bool, postgres: bool) -> str:
    after_sql = RANKED_AFTER.get(feed, AFTER_TIME) if after else ""
    if feed in ("#tag", "Following") and after:
        after_sql = "AND (t.created_at, t.post_id) < (:after_k, :after_id)"
    visible = VISIBLE
    if feed == "profile":
        # One author: whether the viewer may see them is asked once, not for each post (told
        # the author's share of all posts, PostgreSQL would otherwise sort all of them).
        visible = VISIBLE.replace("p.author_id", ":author")
    sql = DECORATE.format(picker=PICKERS[feed].format(visible=visible, after=after_sql))
    if postgres:
        return _for_driver(sql, postgres)
    # SQLite would pick the window's index and sort the whole window: a unary + keeps it off
    # that index, so that it walks the feed's own index as Plaza's statement does.
    return sql.replace("p.created_at > :since", "+p.created_at > :since")


def _for_driver(sql: str, postgres: bool) -> str:
    """`sql` with its :name parameters as the driver takes them (psycopg's %(name)s)."""
    return re.sub(r":(\w+)", r"%(\1)s", sql) if postgres else sql


def _user_id(raw: Any, postgres: bool, name_key: str) -> int:
    """The id of the seeded person `name_key`, read on the raw connection."""
    handle = raw.cursor()
    handle.execute(
        _for_driver("SELECT id FROM users WHERE name_key = :key", postgres), {"key": name_key}
    )
    return int(handle.fetchone()[0])


def _cursor_params(feed: str, cursor: str | None, postgres: bool) -> dict[str, Any]:
    if cursor is None:
        return {}
    if feed in RANKED_AFTER:
        kind = "t" if cursors.kind_of(cursor) == "t" else "f"
        score, post_id = cursors.decode(cursor, kind, float if kind == "t" else int, int)
        return {"after_k": score, "after_id": post_id}
    moment, post_id = decode_cursor(cursor)
    return {"after_k": _stamp(moment, postgres), "after_id": post_id}


def _stamp(moment: datetime, postgres: bool) -> Any:
    return moment if postgres else moment.astimezone(UTC).strftime(SQLITE_TIME)


@dataclass(frozen=True)
class _Page:
    """One feed page of one community, to read through Plaza and through its floor."""

    community: Community
    number: int
    plaza: Callable[[], FeedPage]
    floor: Callable[[], list[Any]]
    plan: Callable[[], str]


@dataclass(frozen=True)
class _Opened:
    """A community opened for reading: its session, the session's raw DB-API connection, and
    the floors' parameters that every page shares."""

    community: Community
    session: Any
    raw: Any
    postgres: bool
    base: dict[str, Any]


def _open(c: Community, session: Any) -> _Opened:
    postgres = c.engine.dialect.name == "postgresql"
    session.connection().exec_driver_sql("SELECT 1")
    raw = session.connection().connection.dbapi_connection
    base = {
        "viewer": _user_id(raw, postgres, c.viewer),
        "author": _user_id(raw, postgres, c.top_author),
        "tag": BIG_TAG,
        "since": _stamp(datetime.now(UTC) - WIDE_WINDOW, postgres),
    }
    return _Opened(community=c, session=session, raw=raw, postgres=postgres, base=base)


def measure(
    communities: Sequence[Community],
    feeds: list[str] | None = None,
    repeat: int = 15,
    seconds: float = PAIR_SECONDS,
) -> list[FeedFigure]:
    """Page 1 and page DEEP of every feed, Plaza against the floor, on `communities` (one
    database, several sizes). A page's runs at every size and their floors alternate, so that
    load from elsewhere falls on a 1M page and its 10k self alike: each `repeat` times or for
    about `seconds` a size."""
    figures = []
    with ExitStack() as stack:
        opened = [_open(c, stack.enter_context(unit_of_work(c.engine))) for c in communities]
        for feed in feeds or list(PICKERS):
            pages = [page for each in opened for page in _pages(feed, each)]
            for number in (1, DEEP):
                same = [page for page in pages if page.number == number]
                runs = [run for page in same for run in (page.plaza, page.floor)]
                times = timed_alternately(runs, repeat, seconds=seconds * len(same))
                figures += [
                    FeedFigure(
                        database=page.community.engine.dialect.name,
                        posts=page.community.posts,
                        feed=feed,
                        page=number,
                        plaza=plaza_s,
                        floor=floor_s,
                        plan=page.plan(),
                    )
                    for page, plaza_s, floor_s in zip(same, times[::2], times[1::2], strict=True)
                ]
    return figures


def _pages(feed: str, opened: _Opened) -> list[_Page]:
    """Page 1 and, when the feed has that many, page DEEP of `feed` on the opened community."""
    read = _plaza_reader(feed, opened.community)
    pages = []
    cursor = None
    for number in range(1, DEEP + 1):
        if number in (1, DEEP):
            pages.append(_page(opened, feed, read, cursor, number))
        cursor = read(opened.session, cursor).next_cursor
        if cursor is None:
            break
    return pages


def _page(
    opened: _Opened,
    feed: str,
    read: Callable[[Any, str | None], FeedPage],
    cursor: str | None,
    number: int,
) -> _Page:
    session, raw, postgres = opened.session, opened.raw, opened.postgres
    sql = _floor_sql(feed, cursor is not None, postgres)
    params = {**opened.base, **_cursor_params(feed, cursor, postgres)}

    def floor() -> list[Any]:
        handle = raw.cursor()
        handle.execute(sql, params)
        return handle.fetchall()

    def plaza() -> FeedPage:
        return read(session, cursor)

    plaza_ids = [card.id for card in plaza().posts]
    floor_ids = [row[0] for row in floor()][:PAGE]
    if plaza_ids != floor_ids:
        raise AssertionError(f"{feed} page {number}: Plaza {plaza_ids[:5]}… floor {floor_ids[:5]}…")
    return _Page(
        community=opened.community,
        number=number,
        plaza=plaza,
        floor=floor,
        plan=partial(_plan, session, raw, read, cursor, postgres),
    )


def _plan(
    session: Any,
    raw: Any,
    read: Callable[[Any, str | None], FeedPage],
    cursor: str | None,
    postgres: bool,
) -> str:
    """The query plan of the statement Plaza ran for this page."""
    captured: list[tuple[str, Any]] = []
    engine = session.get_bind()

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        captured.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        read(session, cursor)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    statement, parameters = captured[-1]
    handle = raw.cursor()
    if postgres:
        handle.execute(
            "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + statement, parameters
        )
        return "\n".join(row[0] for row in handle.fetchall())
    handle.execute("EXPLAIN QUERY PLAN " + statement, parameters)
    depth: dict[int, int] = {0: -1}
    lines = []
    for node, parent, _unused, detail in handle.fetchall():
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + detail)
    return "\n".join(lines)


def measure_refresh(c: Community, repeat: int = 15) -> tuple[float, float]:
    """Seconds to compute the viewer's For you entries again (`social.recommendations`),
    Plaza against the same DELETE and INSERT … SELECT by hand: (Plaza, floor)."""
    postgres = c.engine.dialect.name == "postgresql"
    since = datetime.now(UTC) - WIDE_WINDOW
    with unit_of_work(c.engine) as session:
        session.connection().exec_driver_sql("SELECT 1")
        raw = session.connection().connection.dbapi_connection
        params = {"viewer": _user_id(raw, postgres, c.viewer), "since": _stamp(since, postgres)}
        clear, fill = (_for_driver(sql, postgres) for sql in (FOR_YOU_CLEAR, FOR_YOU_FILL))
        key = lookup_key(c.viewer)

        def floor() -> None:
            handle = raw.cursor()
            handle.execute(clear, params)
            handle.execute(fill, params)

        def plaza() -> None:
            recommendations.refresh(session, key, since=since)

        return timed_pair(plaza, floor, repeat=repeat)
