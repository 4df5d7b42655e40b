"""Post cards and feed pages: pick the page, then decorate it, in one cached statement.

A feed statement has two parts. The *picker* (a subquery) walks one index to the `limit + 1`
post ids of the page that the viewer may see (`social.visibility`); the *decoration* then
joins those few ids to author, image, original post and avatar, and reads the counts kept on
the post row (see `social.counters`) and whether the viewer liked it. Nothing is computed for
rows that do not make the page.

Every statement is built once per shape (`functools.cache`) with bound parameters (the viewer's
id, the cursor, the page size), and compiled once per kind of database. The viewer's id comes
from `social.viewers`, and each statement checks once that it still belongs to their name.

A page runs its SQL on the driver's own cursor and builds its cards from the plain rows: on
SQLite a page's query takes about 90 µs, and SQLAlchemy's per-execution and per-row result
processing cost more than that again, for columns that need nothing but a date parsed. The
engine's `before_cursor_execute` / `after_cursor_execute` listeners still see every statement.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache
from typing import Any, NamedTuple

from sqlalchemy import (
    DateTime,
    Float,
    Integer,
    Select,
    Subquery,
    bindparam,
    case,
    or_,
    select,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session, aliased

from social.hashtags import extract_hashtags
from social.models import Image, Like, Post, User, as_utc
from social.sql import any_row
from social.viewers import VIEWER_ID, VIEWER_ID_IS_CURRENT, kept_viewer_id
from social.visibility import visible_posts

# A select of card columns; column types vary by feed, so they stay open.
CardQuery = Select[*tuple[Any, ...]]

# Bound parameters shared by the statements (values are passed at execution).
PAGE_LIMIT = bindparam("page_limit", type_=Integer)
AFTER_AT = bindparam("after_at", type_=DateTime(timezone=True))
AFTER_ID = bindparam("after_id", type_=Integer)
AFTER_SCORE = bindparam("after_score", type_=Float)
SINCE = bindparam("since", type_=DateTime(timezone=True))


class PostCard(NamedTuple):
    """A post as the feed shows it: plain data, safe to keep after the session closes.

    A named tuple rather than a dataclass: a feed page builds 20 of them on every read, and a
    tuple is built an order of magnitude faster than a frozen dataclass."""

    id: int
    author: str
    caption: str
    prompt: str
    alt_text: str
    model: str
    created_at: datetime
    image_sha256: str
    width: int
    height: int
    remix_of_id: int | None
    like_count: int = 0
    comment_count: int = 0
    remix_count: int = 0
    liked_by_viewer: bool = False
    # Author of the post this remixes, for "remix of @ana's post"; None if not a remix.
    remix_of_author: str | None = None
    author_avatar_sha256: str | None = None
    # The edits between the prompt and this image, oldest first ("wider", "black and white").
    edit_steps: tuple[str, ...] = ()
    # Whether the author shows the prompt to others; when not, others get "" as `prompt`.
    prompt_public: bool = True
    # Why a moderator hid this post; only its author is ever shown a hidden post.
    hidden_reason: str | None = None

    @property
    def hashtags(self) -> tuple[str, ...]:
        """The caption's #hashtags (captions never change, so these are the stored ones)."""
        return extract_hashtags(self.caption)

    @property
    def ai_generated(self) -> bool:
        """Made by a model (a person's own photo has no model)."""
        return bool(self.model)

    @property
    def lineage(self) -> str:
        """The prompt and the edits since, e.g. "a neon city → wider → black and white"."""
        return " → ".join(step for step in (self.prompt, *self.edit_steps) if step)


@dataclass(frozen=True)
class FeedPage:
    """One page of a feed, and the cursor of the next (None when there is nothing older)."""

    posts: list[PostCard]
    next_cursor: str | None


def decorated(page: Subquery, *order: Any) -> CardQuery:
    """The cards of the post ids in `page` (its `id` column), in `order` (page columns)."""
    original, original_author, avatar = aliased(Post), aliased(User), aliased(Image)
    liked = any_row(Like.post_id == Post.id, Like.user_id == VIEWER_ID)
    # A hidden prompt (and its edits, the rest of the prompt) shows to its author only.
    prompt_shown = or_(Post.prompt_public, Post.author_id == VIEWER_ID)
    return (
        select(  # cards_from_rows reads these by position
            Post.id,
            User.name,
            Post.caption,
            case((prompt_shown, Post.prompt), else_=""),
            Post.alt_text,
            Post.model,
            Post.created_at,
            Image.sha256,
            Image.width,
            Image.height,
            Post.remix_of_id,
            Post.like_count,
            Post.comment_count,
            Post.remix_count,
            liked.label("liked_by_viewer"),
            original_author.name.label("remix_of_author"),
            avatar.sha256.label("avatar_sha256"),
            case((prompt_shown, Post.edit_steps), else_=None),
            Post.prompt_public,
            Post.hidden_reason,
            *(column for column in page.c if column.name != "id"),
        )
        .select_from(page)
        .join(Post, Post.id == page.c.id)
        .join(User, Post.author_id == User.id)
        .join(Image, Post.image_id == Image.id)
        .outerjoin(original, Post.remix_of_id == original.id)
        .outerjoin(original_author, original.author_id == original_author.id)
        .outerjoin(avatar, User.avatar_image_id == avatar.id)
        .where(VIEWER_ID_IS_CURRENT)
        .order_by(*order)
    )


def cards_from_rows(rows: Sequence[Sequence[Any]]) -> list[PostCard]:
    """The PostCards of rows of a decorated statement."""
    # One comprehension, by position (the columns are PostCard's fields in order, then the
    # page's), calling nothing that need not be called: a page builds twenty cards on every
    # read, and a call or an unpacking per card costs a third more.
    return [
        _new_card(
            PostCard,
            (
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                r[5],
                # Aware UTC: SQLite's driver hands back the text SQLAlchemy wrote, in UTC.
                _from_iso(r[6] + "+00:00") if r[6].__class__ is str else as_utc(r[6]),
                r[7],
                r[8],
                r[9],
                r[10],
                r[11],
                r[12],
                r[13],
                r[14] == 1,  # a bool from SQLite's 1 and 0 as from PostgreSQL's bools
                r[15],
                r[16],
                () if r[17] in _NO_STEPS else _steps(r[17]),
                r[18] == 1,
                r[19],
            ),
        )
        for r in rows
    ]


def card_from_row(row: Sequence[Any]) -> PostCard:
    """The PostCard of one row of a decorated statement."""
    return cards_from_rows([row])[0]


# Straight to tuple.__new__ with every field in order, skipping the keyword handling.
_new_card = tuple.__new__
_from_iso = datetime.fromisoformat
_NO_STEPS = (None, "[]")  # no edits, or a hidden prompt's


def _steps(value: list[str] | str) -> tuple[str, ...]:
    """The edit steps of a post: SQLite's driver hands back the JSON text, PostgreSQL's a list."""
    return tuple(json.loads(value) if isinstance(value, str) else value)


@dataclass(frozen=True)
class _DriverStatement:
    """A card statement compiled for one kind of database, run on the driver's cursor."""

    sql: str
    names: tuple[str, ...] | None  # the order of positional ("?") parameters; None: by name
    fixed: Mapping[str, Any]  # values SQLAlchemy made parameters of (a LIMIT 1, a 0)
    converters: tuple[tuple[str, Callable[[Any], Any]], ...]  # e.g. a datetime as SQLite text

    @classmethod
    def compile(cls, statement: CardQuery, dialect: Dialect) -> _DriverStatement | None:
        """`statement` compiled for `dialect`; None if it needs SQLAlchemy at each execution
        (a list of values expanded into the SQL)."""
        compiled = statement.compile(dialect=dialect)
        if compiled.post_compile_params:
            return None
        converters = []
        for bind in compiled.binds.values():
            convert = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if convert is not None:  # kept: a page's window start recurs for a second
                converters.append((compiled.bind_names[bind], lru_cache(maxsize=256)(convert)))
        return cls(
            sql=str(compiled),
            names=tuple(compiled.positiontup) if compiled.positiontup is not None else None,
            fixed={
                compiled.bind_names[bind]: bind.effective_value
                for bind in compiled.binds.values()
                if not bind.required
            },  # fmt: skip
            converters=tuple(converters),
        )

    def parameters(self, given: Mapping[str, Any]) -> Sequence[Any] | Mapping[str, Any]:
        """The driver's parameters for the values `given` by name."""
        values = {**self.fixed, **given}
        for name, convert in self.converters:
            if values.get(name) is not None:
                values[name] = convert(values[name])
        return values if self.names is None else list(map(values.__getitem__, self.names))


_COMPILED: dict[tuple[int, str, str], tuple[CardQuery, _DriverStatement | None]] = {}


def _driver_statement(statement: CardQuery, dialect: Dialect) -> _DriverStatement | None:
    """`statement` compiled once per kind of database (kept beside it, so its id stays its)."""
    key = (id(statement), dialect.name, dialect.driver)
    if key not in _COMPILED:
        _COMPILED[key] = (statement, _DriverStatement.compile(statement, dialect))
    return _COMPILED[key][1]


def cards(
    session: Session, statement: CardQuery, params: Mapping[str, Any], viewer_key: str | None
) -> Sequence[Sequence[Any]]:
    """The rows of a decorated statement for this viewer (None: a guest)."""
    if viewer_key is None:
        return _rows(session, statement, {**params, "viewer_key": None, "viewer_id": None})
    values = {**params, "viewer_key": viewer_key, "viewer_id": kept_viewer_id(session, viewer_key)}
    rows = _rows(session, statement, values)
    if not rows and values["viewer_id"] is not None:  # perhaps not their id any more: ask again
        found = kept_viewer_id(session, viewer_key, afresh=True)
        if found != values["viewer_id"]:
            rows = _rows(session, statement, {**values, "viewer_id": found})
    return rows


def _rows(
    session: Session, statement: CardQuery, values: Mapping[str, Any]
) -> Sequence[Sequence[Any]]:
    """The rows of `statement` for these parameter values, on the driver's cursor if it can."""
    connection = session.connection()
    driver = _driver_statement(statement, connection.dialect)
    if driver is None:
        return list(connection.execute(statement, values).all())
    arguments = driver.parameters(values)
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        events = connection.dispatch
        if events.before_cursor_execute:
            events.before_cursor_execute(connection, cursor, driver.sql, arguments, None, False)
        cursor.execute(driver.sql, arguments)
        rows: Sequence[Sequence[Any]] = cursor.fetchall()
        if events.after_cursor_execute:
            events.after_cursor_execute(connection, cursor, driver.sql, arguments, None, False)
    finally:
        cursor.close()
    return rows


def page_rows(
    session: Session,
    statement: CardQuery,
    params: Mapping[str, Any],
    *,
    viewer_key: str | None,
    limit: int,
) -> Sequence[Sequence[Any]]:
    """The rows of a page statement for `limit` cards, and one more if there is a next page."""
    # One row more than asked tells whether there is a next page, without a COUNT.
    return cards(session, statement, {**params, "page_limit": limit + 1}, viewer_key)


def page_from_rows(
    rows: Sequence[Sequence[Any]], limit: int, cursor_after: Callable[[PostCard, Any], str]
) -> FeedPage:
    """The page of `page_rows`; the next cursor comes from the last card shown and its rank
    (the statement's last column)."""
    posts = cards_from_rows(rows[:limit])
    next_cursor = cursor_after(posts[-1], rows[limit - 1][-1]) if len(rows) > limit else None
    return FeedPage(posts=posts, next_cursor=next_cursor)


def feed_page(
    session: Session,
    statement: CardQuery,
    params: Mapping[str, Any],
    *,
    viewer_key: str | None,
    limit: int,
    cursor_after: Callable[[PostCard, Any], str],
) -> FeedPage:
    """Run a page statement for `limit` cards (see `page_rows` and `page_from_rows`)."""
    rows = page_rows(session, statement, params, viewer_key=viewer_key, limit=limit)
    return page_from_rows(rows, limit, cursor_after)


@cache
def _by_id_statement() -> CardQuery:
    ids = bindparam("ids", type_=Integer, expanding=True)
    picker = select(Post.id).where(Post.id.in_(ids), visible_posts(VIEWER_ID))
    return decorated(picker.subquery("page"))


def cards_by_id(
    session: Session, post_ids: Sequence[int], viewer_key: str | None
) -> dict[int, PostCard]:
    """The cards of these posts (those that still exist), by id."""
    if not post_ids:
        return {}
    rows = cards(session, _by_id_statement(), {"ids": list(post_ids)}, viewer_key)
    return {card.id: card for card in cards_from_rows(rows)}
