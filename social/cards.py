"""Post cards and feed pages: pick the page, then decorate it, in one cached statement.

A feed statement has two parts. The *picker* (a subquery) walks one index to the `limit + 1`
post ids of the page that the viewer may see (`social.visibility`); the *decoration* then
joins those few ids to author, image, original post and avatar, and reads the counts kept on
the post row (see `social.counters`) and whether the viewer liked it. Nothing is computed for
rows that do not make the page.

Every statement is built once per shape (`functools.cache`) with bound parameters (the viewer's
lookup key, the cursor, the page size), so a page costs SQLAlchemy one cache lookup, not a
rebuild and a recompile.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    DateTime,
    Float,
    Integer,
    Row,
    Select,
    String,
    Subquery,
    bindparam,
    exists,
    select,
)
from sqlalchemy.orm import Session, aliased

from social.hashtags import extract_hashtags
from social.models import Image, Like, Post, User, as_utc
from social.visibility import visible_posts

# A select of card columns; column types vary by feed, so they stay open.
CardQuery = Select[*tuple[Any, ...]]

# Bound parameters shared by the statements (values are passed at execution).
PAGE_LIMIT = bindparam("page_limit", type_=Integer)
AFTER_AT = bindparam("after_at", type_=DateTime(timezone=True))
AFTER_ID = bindparam("after_id", type_=Integer)
AFTER_SCORE = bindparam("after_score", type_=Float)
SINCE = bindparam("since", type_=DateTime(timezone=True))


@dataclass(frozen=True)
class PostCard:
    """A post as the feed shows it: plain data, safe to keep after the session closes."""

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


def viewer_param_id() -> Any:
    """The signed-in viewer's user id as a scalar subquery of the `viewer_key` parameter (NULL
    for a guest), so a page stays one statement."""
    # An alias, or SQLAlchemy would correlate this to the author's `users` of the outer query.
    someone = aliased(User)
    viewer_key = bindparam("viewer_key", type_=String)
    return select(someone.id).where(someone.name_key == viewer_key).scalar_subquery()


def decorated(page: Subquery, *order: Any) -> CardQuery:
    """The cards of the post ids in `page` (its `id` column), in `order` (page columns)."""
    original, original_author, avatar = aliased(Post), aliased(User), aliased(Image)
    liked = exists().where(Like.post_id == Post.id, Like.user_id == viewer_param_id())
    mine = Post.author_id == viewer_param_id()
    return (
        select(  # card_from_row reads these by position
            Post.id,
            User.name,
            Post.caption,
            Post.prompt,
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
            Post.edit_steps,
            Post.prompt_public,
            mine.label("viewer_is_author"),
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
        .order_by(*order)
    )


def card_from_row(row: Sequence[Any]) -> PostCard:
    """A PostCard from a row of a decorated statement; a hidden prompt (and its edits) shows
    to its author only: everyone else gets "" and no edits."""
    # By position, in `decorated`'s order: three times faster than by name, on every card.
    (post_id, author, caption, prompt, alt_text, model, created_at, sha256, width, height,
     remix_of_id, likes, comments, remixes, liked, remix_of_author, avatar, edit_steps,
     prompt_public, viewer_is_author, hidden_reason, *_page_columns) = row  # fmt: skip
    shown = bool(prompt_public or viewer_is_author)
    return PostCard(
        id=post_id,
        author=author,
        caption=caption,
        prompt=prompt if shown else "",
        alt_text=alt_text,
        model=model,
        created_at=as_utc(created_at),
        image_sha256=sha256,
        width=width,
        height=height,
        remix_of_id=remix_of_id,
        like_count=likes,
        comment_count=comments,
        remix_count=remixes,
        liked_by_viewer=bool(liked),
        remix_of_author=remix_of_author,
        author_avatar_sha256=avatar,
        # The edit instructions are the rest of the prompt: hidden with it.
        edit_steps=tuple(edit_steps or ()) if shown else (),
        prompt_public=bool(prompt_public),
        hidden_reason=hidden_reason,
    )


def cards(
    session: Session, statement: CardQuery, params: Mapping[str, Any], viewer_key: str | None
) -> list[Row[Any]]:
    """The rows of a decorated statement for this viewer (None: a guest)."""
    # Straight on the connection: the rows are plain columns, with nothing for the ORM to load.
    connection = session.connection()
    return list(connection.execute(statement, {**params, "viewer_key": viewer_key}).all())


def feed_page(
    session: Session,
    statement: CardQuery,
    params: Mapping[str, Any],
    *,
    viewer_key: str | None,
    limit: int,
    cursor_after: Callable[[Row[Any]], str],
) -> FeedPage:
    """Run a page statement for `limit` cards; the next cursor comes from the last row shown."""
    # One row more than asked tells whether there is a next page, without a COUNT.
    rows = cards(session, statement, {**params, "page_limit": limit + 1}, viewer_key)
    next_cursor = cursor_after(rows[limit - 1]) if len(rows) > limit else None
    return FeedPage(posts=[card_from_row(row) for row in rows[:limit]], next_cursor=next_cursor)


@cache
def _by_id_statement() -> CardQuery:
    ids = bindparam("ids", type_=Integer, expanding=True)
    picker = select(Post.id).where(Post.id.in_(ids), visible_posts(viewer_param_id()))
    return decorated(picker.subquery("page"))


def cards_by_id(
    session: Session, post_ids: Sequence[int], viewer_key: str | None
) -> dict[int, PostCard]:
    """The cards of these posts (those that still exist), by id."""
    if not post_ids:
        return {}
    rows = cards(session, _by_id_statement(), {"ids": list(post_ids)}, viewer_key)
    return {card.id: card for card in map(card_from_row, rows)}
