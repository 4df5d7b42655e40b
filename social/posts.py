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
from dataclasses import replace
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import bindparam, delete, select, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from social import timelines
from social.accounts import account_user
from social.cards import (
    AFTER_AT,
    AFTER_ID,
    PAGE_LIMIT,
    VIEWER_ID,
    CardQuery,
    FeedPage,
    PostCard,
    card_from_row,
    cards,
    decorated,
    feed_page,
)
from social.counters import adjust_counts
from social.db import settings_of
from social.errors import Forbidden, Invalid, NotFound
from social.hashtags import record_hashtags
from social.ids import checked_id, is_id
from social.media import Provenance, image_lineage, read_image, store_image
from social.models import Image, Post, User, as_utc, utcnow
from social.moderation import moderate_post
from social.notifications import notify
from social.rate_limits import check_rate
from social.relations import ensure_may_interact
from social.search.pending import mark_for_indexing
from social.text import clean_text
from social.trending import Engagement, hot_score
from social.users import lookup_key
from social.viewers import viewer_key
from social.visibility import visible_posts

MAX_CAPTION_LENGTH = 2200  # Instagram's limit, the longest of the platforms people cross-post to
MAX_MODEL_LENGTH = 80
MAX_FEED_PAGE = 100
MAX_EDIT_STEPS = 50
MAX_CURSOR_LENGTH = 200
POST_GONE = "That post does not exist (any more)."
_IMAGE_SHA256 = re.compile(r"[0-9a-f]{64}")
_DRAFT_KEY = _IMAGE_SHA256  # a draft key is a sha256 too (`draft_key_of`)


def viewer_id(viewer: str) -> Any:
    """The id of user `viewer` as a scalar subquery, so a feed page stays one statement."""
    # An alias, or SQLAlchemy would correlate this to the author's `users` of the outer query.
    someone = aliased(User)
    return select(someone.id).where(someone.name_key == lookup_key(viewer)).scalar_subquery()


def page_size(limit: int) -> int:
    """`limit` if it is a reasonable page size; Invalid if not."""
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_FEED_PAGE:
        raise Invalid(f"A feed page holds 1 to {MAX_FEED_PAGE} posts.")
    return limit


@cache
def _latest_statement(after: bool) -> CardQuery:
    picker = select(Post.id, Post.created_at).where(visible_posts(VIEWER_ID))
    if after:
        picker = picker.where(tuple_(Post.created_at, Post.id) < tuple_(AFTER_AT, AFTER_ID))
    page = (
        picker.order_by(Post.created_at.desc(), Post.id.desc()).limit(PAGE_LIMIT).subquery("page")
    )
    return decorated(page, page.c.created_at.desc(), page.c.id.desc())


def chronological_params(cursor: str | None) -> dict[str, Any]:
    """The cursor parameters of a newest-first page (none for the first page)."""
    if cursor is None:
        return {}
    after_at, after_id = decode_cursor(cursor)
    return {"after_at": after_at, "after_id": after_id}


def chronological_cursor(card: PostCard, _rank: Any) -> str:
    """The cursor after the last card of a newest-first page."""
    return encode_cursor(card.created_at, card.id)


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


def _without_prompt(session: Session, image: Image) -> Image:
    """`image`, or a copy of it whose file names no prompt or edits, for a hidden-prompt post.

    The copy keeps the same pixels and Content Credentials (the original as its ingredient)."""
    lineage = image_lineage(image.sha256)
    if not lineage.prompt and not lineage.edits:
        return image
    private = replace(lineage, prompt="", edits=(), parent_sha256="")
    return store_image(session, read_image(image.sha256), provenance=private)


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
    prompt_public: bool = True,
) -> PostCard:
    """Publish a post by the signed-in account `author` in the caller's transaction.

    New image bytes count as AI-made if `model`. SignInRequired for a guest, RateLimited past
    the posting limit. `draft_key` names the chat draft shared (see `draft_key_of`): a draft
    already shared gives back its post instead of a second one, which the database's unique
    index guarantees. With `prompt_public` False only the author sees the prompt. Refused,
    naming the rule, when a moderation check refuses it."""
    user = account_user(session, author)
    if not isinstance(prompt_public, bool):
        raise Invalid("Whether the prompt is shown must be yes or no.")
    moderate_post(
        caption=caption,
        prompt=prompt,
        alt_text=alt_text,
        edit_steps=edit_steps,
        image_sha256=image_sha256,
        image_bytes=image_bytes,
    )
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
    check_rate("post", user.name_key, settings_of(session))
    # A hidden prompt stays out of the image file too: anyone may download a post's image.
    provenance = Provenance(
        ai_generated=bool(model), model=model, prompt=prompt if prompt_public else ""
    )
    image = _find_image(session, image_sha256, image_bytes, provenance)
    if not prompt_public:
        image = _without_prompt(session, image)
    created_at = utcnow()
    post = Post(
        author_id=user.id,
        created_at=created_at,
        hot_score=hot_score(Engagement(), created_at, settings_of(session)),
        image_id=image.id,
        caption=caption,
        prompt=prompt,
        alt_text=alt_text,
        model=model,
        remix_of_id=remix_of_id,
        edit_steps=[step for step in steps if step][:MAX_EDIT_STEPS],
        draft_key=draft_key,
        prompt_public=prompt_public,
    )
    try:
        with session.begin_nested():  # losing a race for the draft leaves the caller usable
            session.add(post)
            session.flush()
    except IntegrityError:
        if draft_key is not None and (existing := _post_of_draft(session, draft_key)):
            return existing
        raise
    record_hashtags(session, post.id, caption, created_at)
    timelines.fan_out(session, post_id=post.id, author_id=user.id, created_at=created_at)
    mark_for_indexing(session, post.id)
    if original is not None:
        adjust_counts(session, original.id, remixes=1)
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
        author_avatar_sha256=post.author.avatar.sha256 if post.author.avatar else None,
        edit_steps=tuple(post.edit_steps or ()),
        prompt_public=post.prompt_public,
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
    page_size(limit)
    return feed_page(
        session,
        _latest_statement(cursor is not None),
        chronological_params(cursor),
        viewer_key=viewer_key(viewer),
        limit=limit,
        cursor_after=chronological_cursor,
    )


def get_post(session: Session, post_id: int, *, viewer: str | None = None) -> PostCard:
    """The post `post_id` as a card; NotFound if there is none."""
    post_id = checked_id(post_id, POST_GONE)
    rows = cards(session, _one_post_statement(), {"post_id": post_id}, viewer_key(viewer))
    if not rows:
        raise NotFound("That post does not exist (any more).")
    return card_from_row(rows[0])


@cache
def _one_post_statement() -> CardQuery:
    picker = select(Post.id).where(Post.id == bindparam("post_id"))
    return decorated(picker.where(visible_posts(VIEWER_ID)).subquery("page"))


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
    if post.remix_of_id is not None:
        adjust_counts(session, post.remix_of_id, remixes=-1)
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
