"""Searching the feed by meaning: post ids with scores from Chroma, then cards from the database.

The database decides what may be shown: hits are read back through the feed's own card query,
so a post deleted since it was indexed never appears. Each search first indexes a few pending
posts, so what was just published is findable without a separate worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from social.cards import PostCard, cards_by_id
from social.errors import Invalid
from social.hashtags import normalize_tag
from social.models import as_utc
from social.search.index import ids_of, posts_collection, unavailable
from social.search.sync import sync_index
from social.users import name_key
from social.viewers import viewer_key

MAX_RESULTS = 100
MAX_QUERY_LENGTH = 500
SYNC_BEFORE_SEARCH = 64


@dataclass(frozen=True)
class SearchFilters:
    """Narrow a search: by author, by hashtag, by creation time (since inclusive, until not)."""

    author: str | None = None
    hashtag: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def where(self) -> dict[str, Any] | None:
        """The Chroma `where` clause of these filters (None when there are none)."""
        clauses: list[dict[str, Any]] = []
        if self.author:
            clauses.append({"author": name_key(self.author.lstrip("@"))})
        if self.hashtag:
            clauses.append({"hashtags": {"$contains": normalize_tag(self.hashtag)}})
        if self.since is not None:
            clauses.append({"created": {"$gte": int(as_utc(self.since).timestamp())}})
        if self.until is not None:
            clauses.append({"created": {"$lt": int(as_utc(self.until).timestamp())}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


@dataclass(frozen=True)
class SearchHit:
    """One post the index found, with its similarity to the query (1 = same meaning)."""

    post_id: int
    score: float


@dataclass(frozen=True)
class SearchResult:
    """A found post as the feed shows it, with its score."""

    post: PostCard
    score: float


def find_post_ids(
    query: str, *, filters: SearchFilters | None = None, limit: int = 20
) -> list[SearchHit]:
    """The ids of the posts closest in meaning to `query`, best first (index only)."""
    text = _clean_query(query)
    _check_limit(limit)
    return _query({"query_texts": [text]}, filters or SearchFilters(), limit, exclude=None)


def search_posts(
    session: Session,
    query: str,
    *,
    filters: SearchFilters | None = None,
    limit: int = 20,
    viewer: str | None = None,
) -> list[SearchResult]:
    """Posts closest in meaning to `query` as cards, best first, within `filters`."""
    text = _clean_query(query)
    _check_limit(limit)
    sync_index(session, limit=SYNC_BEFORE_SEARCH)
    hits = _query({"query_texts": [text]}, filters or SearchFilters(), limit, exclude=None)
    return results_for(session, hits, viewer=viewer)


def more_like_this(
    session: Session, post_id: int, *, limit: int = 6, viewer: str | None = None
) -> list[SearchResult]:
    """Posts closest in meaning to post `post_id` (itself left out), best first."""
    _check_limit(limit)
    sync_index(session, limit=SYNC_BEFORE_SEARCH)
    try:
        stored = posts_collection().get(ids=ids_of([post_id]), include=["embeddings"])
    except Exception as error:
        raise unavailable(error) from error
    embeddings = stored.get("embeddings")
    if embeddings is None or len(embeddings) == 0:
        return []  # not indexed (yet, or deleted)
    hits = _query({"query_embeddings": [embeddings[0]]}, SearchFilters(), limit, exclude=post_id)
    return results_for(session, hits, viewer=viewer)


def results_for(
    session: Session, hits: list[SearchHit], *, viewer: str | None = None
) -> list[SearchResult]:
    """Cards of `hits` in their order, through the feed's card query (one statement)."""
    if not hits:
        return []
    cards = cards_by_id(session, [h.post_id for h in hits], viewer_key(viewer))
    return [SearchResult(cards[h.post_id], h.score) for h in hits if h.post_id in cards]


def _query(
    how: dict[str, Any], filters: SearchFilters, limit: int, *, exclude: int | None
) -> list[SearchHit]:
    wanted = limit + (1 if exclude is not None else 0)
    try:
        found = posts_collection().query(
            **how, n_results=wanted, where=filters.where(), include=["distances"]
        )
    except Exception as error:
        raise unavailable(error) from error
    ids, distances = found["ids"][0], (found["distances"] or [[]])[0]
    hits = [
        SearchHit(int(doc_id), 1.0 - float(distance))
        for doc_id, distance in zip(ids, distances, strict=True)
        if int(doc_id) != exclude
    ]
    return hits[:limit]


def _clean_query(query: str) -> str:
    text = " ".join(query.split())
    if not text:
        raise Invalid("Type something to search for.")
    if len(text) > MAX_QUERY_LENGTH:
        raise Invalid(f"A search is at most {MAX_QUERY_LENGTH} characters.")
    return text


def _check_limit(limit: int) -> None:
    if not 1 <= limit <= MAX_RESULTS:
        raise Invalid(f"A search returns 1 to {MAX_RESULTS} posts.")
