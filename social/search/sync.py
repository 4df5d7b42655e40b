"""Keeping the index in step with the database, which is the source of truth.

Publishing and deleting mark a post in `search_pending` in the same transaction; `sync_index`
sends the marked posts to Chroma (or drops them from it) and clears the marks it handled. When
Chroma is down the marks stay, and a later sync catches up: nothing is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, tuple_
from sqlalchemy.orm import Session

from social.hashtags import extract_hashtags
from social.models import Post, SearchPending, User, as_utc, utcnow
from social.search.index import ids_of, posts_collection, reset_collection, unavailable

BATCH = 256


@dataclass(frozen=True)
class PostDocument:
    """What the index keeps of a post: its words, and the fields search filters on."""

    post_id: int
    text: str
    author_key: str
    created_at: datetime
    hashtags: tuple[str, ...]

    def metadata(self) -> dict[str, Any]:
        """Chroma metadata: author key, creation time (epoch seconds) and hashtags."""
        meta: dict[str, Any] = {
            "author": self.author_key,
            "created": int(as_utc(self.created_at).timestamp()),
        }
        if self.hashtags:  # Chroma refuses empty lists
            meta["hashtags"] = list(self.hashtags)
        return meta


@dataclass(frozen=True)
class SyncResult:
    """What one sync did."""

    indexed: int
    removed: int


def document_text(caption: str, prompt: str, alt_text: str, hashtags: Sequence[str]) -> str:
    """The text embedded for a post: caption, prompt, alt text and hashtags as words."""
    words = " ".join(tag.replace("_", " ") for tag in hashtags)
    return "\n".join(part for part in (caption, prompt, alt_text, words) if part)


def post_documents(session: Session, post_ids: Sequence[int]) -> list[PostDocument]:
    """The documents of those of `post_ids` that still exist, in one query."""
    rows = session.execute(
        select(
            Post.id,
            Post.caption,
            Post.prompt,
            Post.prompt_public,
            Post.alt_text,
            Post.created_at,
            User.name_key,
        )
        .join(User, Post.author_id == User.id)
        .where(Post.id.in_(post_ids))
    ).all()
    return [_document(row) for row in rows]


def _document(row: Any) -> PostDocument:
    tags = extract_hashtags(row.caption)
    return PostDocument(
        post_id=row.id,
        # A hidden prompt is not indexed: a search must not find a post by words it hides.
        text=document_text(
            row.caption, row.prompt if row.prompt_public else "", row.alt_text, tags
        ),
        author_key=row.name_key,
        created_at=row.created_at,
        hashtags=tags,
    )


def _store(documents: list[PostDocument], removed: list[int]) -> None:
    collection = posts_collection()
    try:
        if documents:
            collection.upsert(
                ids=ids_of([d.post_id for d in documents]),
                documents=[d.text for d in documents],
                metadatas=[d.metadata() for d in documents],
            )
        if removed:
            collection.delete(ids=ids_of(removed))
    except Exception as error:
        raise unavailable(error) from error


def sync_index(session: Session, *, limit: int | None = None) -> SyncResult:
    """Index the posts marked in `search_pending` (at most `limit`), drop deleted ones, and
    clear their marks in the caller's transaction. SearchUnavailable if Chroma is down."""
    indexed = removed = 0
    last_id = 0
    while limit is None or indexed + removed < limit:
        size = BATCH if limit is None else min(BATCH, limit - indexed - removed)
        marks = session.execute(
            select(SearchPending.post_id, SearchPending.marked_at)
            .where(SearchPending.post_id > last_id)
            .order_by(SearchPending.post_id)
            .limit(size)
        ).all()
        if not marks:
            break
        ids = [mark.post_id for mark in marks]
        documents = post_documents(session, ids)
        present = {d.post_id for d in documents}
        gone = [post_id for post_id in ids if post_id not in present]
        _store(documents, gone)
        # Only the marks handled: a post marked again meanwhile keeps its newer mark.
        session.execute(
            delete(SearchPending).where(
                tuple_(SearchPending.post_id, SearchPending.marked_at).in_(
                    [(mark.post_id, mark.marked_at) for mark in marks]
                )
            )
        )
        indexed, removed, last_id = indexed + len(documents), removed + len(gone), ids[-1]
    return SyncResult(indexed=indexed, removed=removed)


def reindex(session: Session, *, progress: Callable[[int], None] | None = None) -> SyncResult:
    """Rebuild the index from scratch from every post; `progress` hears of each batch."""
    started = utcnow()
    reset_collection()
    count, last_id = 0, 0
    while True:
        ids = session.scalars(
            select(Post.id).where(Post.id > last_id).order_by(Post.id).limit(BATCH)
        ).all()
        if not ids:
            break
        documents = post_documents(session, ids)
        _store(documents, [])
        count, last_id = count + len(documents), ids[-1]
        if progress is not None:
            progress(len(documents))
    session.execute(delete(SearchPending).where(SearchPending.marked_at <= started))
    return SyncResult(indexed=count, removed=0)
