"""Search quality on the labelled set: recall@5 of search by meaning against keyword LIKE search.

`python -m tests.search_quality` prints both figures (they are in the README).
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, Integer, case, func, literal, select
from sqlalchemy.orm import Session

from social.db import make_engine, unit_of_work
from social.models import Post
from social.posts import publish_post
from social.search.queries import search_posts
from social.search.sync import sync_index
from tests.accounts import ensure_account
from tests.openai_server import make_png
from tests.search_quality_set import AUTHORS, QUERIES, TOPICS

K = 5
STOP_WORDS = {"and", "the", "with", "for", "of", "in", "on", "at", "by", "under", "people"}


@dataclass(frozen=True)
class Quality:
    """Mean recall@5 of both searches over the queries."""

    semantic: float
    keyword: float
    queries: int
    queries_sharing_no_word: int


def seed(engine: Engine) -> dict[str, list[int]]:
    """Publish the labelled posts; the post ids of each topic."""
    ids: dict[str, list[int]] = {}
    with unit_of_work(engine) as session:
        for number, (topic, posts) in enumerate(TOPICS.items()):
            for index, (caption, prompt) in enumerate(posts):
                author = AUTHORS[(number + index) % len(AUTHORS)]
                ensure_account(session, author)
                post = publish_post(
                    session,
                    author=author,
                    caption=caption,
                    prompt=prompt,
                    image_bytes=make_png(4, 4, f"{topic}{index}"),
                )
                ids.setdefault(topic, []).append(post.id)
        sync_index(session)
    return ids


def query_words(query: str) -> list[str]:
    """The words of `query` a keyword search looks for."""
    return [w for w in re.findall(r"[\w'-]+", query.lower()) if len(w) > 2 and w not in STOP_WORDS]


def keyword_search(session: Session, query: str, limit: int = K) -> list[int]:
    """The baseline: posts whose caption, prompt or alt text contain the most query words."""
    text = func.lower(Post.caption + literal(" ") + Post.prompt + literal(" ") + Post.alt_text)
    hits = [case((text.like(f"%{word}%"), 1), else_=0) for word in query_words(query)]
    if not hits:
        return []
    score = sum(hits[1:], hits[0]).cast(Integer)
    rows = session.scalars(
        select(Post.id).where(score > 0).order_by(score.desc(), Post.id).limit(limit)
    )
    return list(rows)


def semantic_search(session: Session, query: str, limit: int = K) -> list[int]:
    """Search by meaning (Plaza's)."""
    return [result.post.id for result in search_posts(session, query, limit=limit)]


def shares_no_word(query: str, posts: list[tuple[str, str]]) -> bool:
    """True if no word of `query` occurs in the posts' text (keywords cannot find them)."""
    text = " ".join(f"{caption} {prompt}" for caption, prompt in posts).lower()
    return not any(word in text for word in query_words(query))


def measure(engine: Engine) -> Quality:
    """Seed the set into the (migrated, empty) database of `engine` and measure recall@5."""
    ids = seed(engine)
    semantic = keyword = 0.0
    with unit_of_work(engine) as session:
        for query, topic in QUERIES:
            relevant = set(ids[topic])
            semantic += len(relevant & set(semantic_search(session, query))) / len(relevant)
            keyword += len(relevant & set(keyword_search(session, query))) / len(relevant)
    return Quality(
        semantic=semantic / len(QUERIES),
        keyword=keyword / len(QUERIES),
        queries=len(QUERIES),
        queries_sharing_no_word=sum(shares_no_word(q, TOPICS[t]) for q, t in QUERIES),
    )


if __name__ == "__main__":
    import os

    from social import migrate

    with tempfile.TemporaryDirectory() as folder:
        os.environ["PLAZA_DATA_DIR"] = folder
        database = make_engine(f"sqlite:///{Path(folder) / 'quality.db'}")
        migrate.upgrade(database)
        quality = measure(database)
    print(
        f"{sum(len(p) for p in TOPICS.values())} posts, {quality.queries} queries "
        f"({quality.queries_sharing_no_word} share no word with their posts): recall@5 "
        f"by meaning {quality.semantic:.2f}, keyword LIKE {quality.keyword:.2f}"
    )
