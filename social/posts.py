"""Publishing and deleting posts, reading one post and the latest feed (one query per page).

`publish_post` takes a signed-in account as author (`SignInRequired` for anyone else) and counts
against the account's post rate limit. A remix notifies the original's author; the caption's
#hashtags are stored for `feeds.hashtag_feed`. Ids and cursors from links are checked here:
anything no row can have is NotFound or Invalid, never a database error.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    delete,
    exists,
    false,
    func,
    select,
    tuple_,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from social.accounts import account_user
from social.errors import Forbidden, Invalid, NotFound
from social.hashtags import extract_hashtags, record_hashtags
from social.ids import checked_id, is_id
from social.media import Provenance, store_image
from social.models import Comment, Image, Like, Post, User, as_utc
from social.notifications import notify
from social.rate_limits import check_rate
from social.relations import ensure_may_interact
from social.search.pending import mark_for_indexing
from social.text import clean_text
from social.users import lookup_key
from social.visibility import visible_posts

# A select of post-card columns; its column types vary by feed, so they stay open.
CardQuery = Select[*tuple[Any, ...]]

MAX_CAPTION_LENGTH = 2200  # Instagram's limit, the longest of the platforms people cross-post to
MAX_MODEL_LENGTH = 80
MAX_FEED_PAGE = 100
MAX_EDIT_STEPS = 50
MAX_CURSOR_LENGTH = 200
POST_GONE = "That post does not exist (any more)."
_IMAGE_SHA256 = re.compile(r"[0-9a-f]{64}")
_DRAFT_KEY = _IMAGE_SHA256  # a draft key is a sha256 too (`draft_key_of`)


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
    hashtags: tuple[str, ...] = ()
    author_avatar_sha256: str | None = None
    # The edits between the prompt and this image, oldest first ("wider", "black and white").
    edit_steps: tuple[str, ...] = ()
    # Why a moderator hid this post; only its author is ever shown a hidden post.
    hidden_reason: str | None = None

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


def viewer_id(viewer: str) -> Any:
    """The id of user `viewer` as a scalar subquery, so a feed page stays one statement."""
    # An alias, or SQLAlchemy would correlate this to the author's `users` of the outer query.
    someone = aliased(User)
    return select(someone.id).where(someone.name_key == lookup_key(viewer)).scalar_subquery()


def engagement_counts() -> tuple[Any, Any, Any]:
    """Correlated subqueries counting a post's likes, comments and remixes (each indexed)."""
    remix = aliased(Post)
    likes = select(func.count(Like.id)).where(Like.post_id == Post.id).scalar_subquery()
    comments = select(func.count(Comment.id)).where(Comment.post_id == Post.id).scalar_subquery()
    remixes = select(func.count(remix.id)).where(remix.remix_of_id == Post.id).scalar_subquery()
    return likes, comments, remixes


def card_query(viewer: str | None = None) -> CardQuery:
    """The query of post cards: author, image, counts and the viewer's like in one statement."""
    original, original_author, avatar = aliased(Post), aliased(User), aliased(Image)
    likes, comments, remixes = engagement_counts()
    liked: ColumnElement[bool]
    if viewer is None:
        liked = false()
    else:
        liked = exists().where(Like.post_id == Post.id, Like.user_id == viewer_id(viewer))
    return (
        select(
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
            likes.label("like_count"),
            comments.label("comment_count"),
            remixes.label("remix_count"),
            liked.label("liked_by_viewer"),
            original_author.name.label("remix_of_author"),
            avatar.sha256.label("avatar_sha256"),
            Post.edit_steps,
            Post.hidden_reason,
        )
        .join(User, Post.author_id == User.id)
        .join(Image, Post.image_id == Image.id)
        .outerjoin(original, Post.remix_of_id == original.id)
        .outerjoin(original_author, original.author_id == original_author.id)
        .outerjoin(avatar, User.avatar_image_id == avatar.id)
        .where(visible_posts(None if viewer is None else viewer_id(viewer)))
    )


def card_from_row(row: Row[Any]) -> PostCard:
    """A PostCard from a row of `card_query`."""
    return PostCard(
        id=row.id,
        author=row.name,
        caption=row.caption,
        prompt=row.prompt,
        alt_text=row.alt_text,
        model=row.model,
        created_at=as_utc(row.created_at),
        image_sha256=row.sha256,
        width=row.width,
        height=row.height,
        remix_of_id=row.remix_of_id,
        like_count=row.like_count,
        comment_count=row.comment_count,
        remix_count=row.remix_count,
        liked_by_viewer=bool(row.liked_by_viewer),
        remix_of_author=row.remix_of_author,
        # Captions never change after publishing, so the tags read from one are the stored ones.
        hashtags=extract_hashtags(row.caption),
        author_avatar_sha256=row.avatar_sha256,
        edit_steps=tuple(row.edit_steps or ()),
        hidden_reason=row.hidden_reason,
    )


def page_size(limit: int) -> int:
    """`limit` if it is a reasonable page size; Invalid if not."""
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_FEED_PAGE:
        raise Invalid(f"A feed page holds 1 to {MAX_FEED_PAGE} posts.")
    return limit


def chronological_page(
    session: Session, query: Select[Any], *, cursor: str | None, limit: int
) -> FeedPage:
    """Run a card query newest first, keyset-paginated on (created_at, id): one statement."""
    page_size(limit)
    query = query.order_by(Post.created_at.desc(), Post.id.desc())
    if cursor is not None:
        moment, post_id = decode_cursor(cursor)
        # Keyset, not OFFSET: the row comparison lets the (created_at, id) index seek straight
        # to the page on PostgreSQL and SQLite alike.
        query = query.where(tuple_(Post.created_at, Post.id) < tuple_(moment, post_id))
    # One row more than asked tells whether there is an older page, without a COUNT.
    rows = session.execute(query.limit(limit + 1)).all()
    cards = [card_from_row(row) for row in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        last = cards[-1]
        next_cursor = encode_cursor(last.created_at, last.id)
    return FeedPage(posts=cards, next_cursor=next_cursor)


def _find_image(
    session: Session, image_sha256: str | None, image_bytes: bytes | None, provenance: Provenance
) -> Image:
    if (image_sha256 is None) == (image_bytes is None):
        raise Invalid("A post needs exactly one image: a stored one or a new file.")
    if image_bytes is not None:
        return store_image(session, image_bytes, provenance=provenance)
    if not isinstance(image_sha256, str) or not _IMAGE_SHA256.fullmatch(image_sha256):
        raise NotFound("That image is not stored in Plaza (any more); please generate it again.")
    image = session.scalars(select(Image).where(Image.sha256 == image_sha256)).one_or_none()
    if image is None:
        raise NotFound("That image is not stored in Plaza (any more); please generate it again.")
    return image


def publish_post(
    session: Session,
    *,
    author: str,
    caption: str,
    prompt: str = "",
    alt_text: str = "",
    model: str = "",
    image_sha256: str | None = None,
    image_bytes: bytes | None = None,
    remix_of_id: int | None = None,
    edit_steps: Sequence[str] = (),
    draft_key: str | None = None,
) -> PostCard:
    """Publish a post by the signed-in account `author` in the caller's transaction.

    New image bytes count as AI-made if `model`. SignInRequired for a guest, RateLimited past
    the posting limit. `draft_key` names the chat draft shared (see `draft_key_of`): a draft
    already shared gives back its post instead of a second one, which the database's unique
    index guarantees."""
    user = account_user(session, author)
    if draft_key is not None:
        if not isinstance(draft_key, str) or not _DRAFT_KEY.fullmatch(draft_key):
            raise Invalid("That draft cannot be shared; please make it again.")
        if existing := _post_of_draft(session, draft_key):
            return existing
    caption = clean_text(caption, "caption", max_length=MAX_CAPTION_LENGTH, required=True)
    steps = [clean_text(step, "edit step", max_length=MAX_CAPTION_LENGTH) for step in edit_steps]
    prompt = clean_text(prompt, "prompt", max_length=MAX_CAPTION_LENGTH * 4)
    alt_text = clean_text(alt_text, "alt text", max_length=MAX_CAPTION_LENGTH)
    model = clean_text(model, "model name", max_length=MAX_MODEL_LENGTH)
    # Checked before the image is stored, so a bad remix leaves no unreferenced file.
    original = None
    if remix_of_id is not None:
        gone = "The post this remixes does not exist (any more)."
        original = session.get(Post, checked_id(remix_of_id, gone))
        if original is None:
            raise NotFound(gone)
        ensure_may_interact(session, user, original, "remix")
    check_rate("post", user.name_key)
    provenance = Provenance(ai_generated=bool(model), model=model, prompt=prompt)
    image = _find_image(session, image_sha256, image_bytes, provenance)
    post = Post(
        author_id=user.id,
        image_id=image.id,
        caption=caption,
        prompt=prompt,
        alt_text=alt_text,
        model=model,
        remix_of_id=remix_of_id,
        edit_steps=[step for step in steps if step][:MAX_EDIT_STEPS],
        draft_key=draft_key,
    )
    try:
        with session.begin_nested():  # losing a race for the draft leaves the caller usable
            session.add(post)
            session.flush()
    except IntegrityError:
        if draft_key is not None and (existing := _post_of_draft(session, draft_key)):
            return existing
        raise
    record_hashtags(session, post.id, caption)
    mark_for_indexing(session, post.id)
    if original is not None:
        notify(
            session,
            recipient_id=original.author_id,
            actor_id=user.id,
            kind="remix",
            post_id=post.id,
        )
    session.flush()
    return _card_from_post(post)


def draft_key_of(conversation: str, image_sha256: str) -> str:
    """The key of one image of one chat as a draft: the same draft always has the same key."""
    return hashlib.sha256(f"{conversation}|{image_sha256}".encode()).hexdigest()


def _post_of_draft(session: Session, draft_key: str) -> PostCard | None:
    post_id = session.scalar(select(Post.id).where(Post.draft_key == draft_key))
    return get_post(session, post_id) if post_id is not None else None


def shared_drafts(session: Session, draft_keys: Sequence[str]) -> dict[str, int]:
    """Which of these drafts were shared already: draft key -> post id."""
    if not draft_keys:
        return {}
    rows = session.execute(
        select(Post.draft_key, Post.id).where(Post.draft_key.in_(list(draft_keys)))
    )
    return {key: post_id for key, post_id in rows if key is not None}


def _card_from_post(post: Post) -> PostCard:
    return PostCard(
        id=post.id,
        author=post.author.name,
        caption=post.caption,
        prompt=post.prompt,
        alt_text=post.alt_text,
        model=post.model,
        created_at=as_utc(post.created_at),
        image_sha256=post.image.sha256,
        width=post.image.width,
        height=post.image.height,
        remix_of_id=post.remix_of_id,
        remix_of_author=post.remix_of.author.name if post.remix_of else None,
        hashtags=extract_hashtags(post.caption),
        author_avatar_sha256=post.author.avatar.sha256 if post.author.avatar else None,
        edit_steps=tuple(post.edit_steps or ()),
    )


def encode_cursor(created_at: datetime, post_id: int) -> str:
    """The opaque cursor that continues a feed after the post (`created_at`, `post_id`)."""
    raw = f"{as_utc(created_at).isoformat()}|{post_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """The (created_at, post id) inside a cursor; Invalid if it is not one of ours."""
    broken = Invalid("This feed link is broken; please reload the feed.")
    if not isinstance(cursor, str) or len(cursor) > MAX_CURSOR_LENGTH:
        raise broken
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment_text, id_text = raw.split("|")
        moment, post_id = datetime.fromisoformat(moment_text), int(id_text)
        if moment.tzinfo is None or not is_id(post_id):
            raise ValueError(raw)
        return moment.astimezone(UTC), post_id
    except (binascii.Error, UnicodeError, ValueError, OverflowError) as error:
        raise broken from error


def latest_feed(
    session: Session, *, cursor: str | None = None, limit: int = 20, viewer: str | None = None
) -> FeedPage:
    """Newest posts first, `limit` at a time; pass the page's next_cursor to get older ones."""
    return chronological_page(session, card_query(viewer), cursor=cursor, limit=limit)


def get_post(session: Session, post_id: int, *, viewer: str | None = None) -> PostCard:
    """The post `post_id` as a card; NotFound if there is none."""
    post_id = checked_id(post_id, POST_GONE)
    row = session.execute(card_query(viewer).where(Post.id == post_id)).one_or_none()
    if row is None:
        raise NotFound("That post does not exist (any more).")
    return card_from_row(row)


def find_post(session: Session, post_id: int) -> Post:
    """The row of post `post_id` (for `social`'s own modules); NotFound if there is none."""
    post = session.get(Post, checked_id(post_id, POST_GONE))
    if post is None:
        raise NotFound("That post does not exist (any more).")
    return post


def delete_post(session: Session, *, user: str, post_id: int) -> None:
    """Delete `user`'s own post with its likes, comments, tags and notifications."""
    me = account_user(session, user)
    post = find_post(session, post_id)
    if post.author_id != me.id:
        raise Forbidden("You can only delete your own posts.")
    # Remixes stay, no longer linked: the original is gone, the remix is someone else's work.
    session.execute(
        update(Post)
        .where(Post.remix_of_id == post_id)
        .values(remix_of_id=None)
        .execution_options(synchronize_session=False)
    )
    # Likes, comments, hashtags, reports and notifications go by ON DELETE CASCADE.
    session.execute(delete(Post).where(Post.id == post_id))
    mark_for_indexing(session, post_id)
