"""Search at scale: top-20 by meaning through Plaza (pending check, embedding, Chroma query,
cards from the database) against a raw Chroma query with the same vector plus one embedding.

Posts go into SQLite with bulk inserts and into Chroma with precomputed vectors (each a
labelled-set post's vector with a little noise), since embedding 100k texts would take an hour.
"""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import insert

from bench.report import Figure
from bench.timing import timed, timed_pair
from social import migrate
from social.db import make_engine, unit_of_work
from social.hashtags import extract_hashtags
from social.models import Image, Post, User
from social.search.embedder import shared_model
from social.search.index import forget_clients, posts_collection
from social.search.queries import search_posts
from social.search.sync import PostDocument, document_text
from social.settings import get_settings
from tests.search_quality_set import AUTHORS, TOPICS

RESULTS = 20
CHROMA_BATCH = 5000
QUERIES = ("cozy rainy cafés", "feathered wildlife", "fast automobiles", "medieval fortresses")


def _texts() -> list[tuple[str, str]]:
    return [post for posts in TOPICS.values() for post in posts]


def seed(engine_url: str, posts: int) -> None:
    """`posts` posts in the database and in the search index."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    texts = _texts()
    base = shared_model().embed([document_text(c, p, "", ()) for c, p in texts])
    rng = np.random.default_rng(7)
    engine = make_engine(engine_url)
    migrate.upgrade(engine)
    rows = [
        {
            "author_id": i % len(AUTHORS) + 1,
            "image_id": 1,
            "caption": texts[i % len(texts)][0],
            "prompt": texts[i % len(texts)][1],
            "alt_text": "",
            "model": "",
            "created_at": start + timedelta(seconds=i),
        }
        for i in range(posts)
    ]
    with unit_of_work(engine) as session:
        session.execute(
            insert(User),
            [{"name": name, "name_key": name, "created_at": start} for name in AUTHORS],
        )
        session.execute(
            insert(Image),
            [
                {
                    "sha256": "0" * 64,
                    "mime": "image/png",
                    "width": 1,
                    "height": 1,
                    "size_bytes": 1,
                    "created_at": start,
                }
            ],
        )
        session.execute(insert(Post), rows)
    engine.dispose()
    collection = posts_collection()
    for first in range(0, posts, CHROMA_BATCH):
        batch = range(first, min(first + CHROMA_BATCH, posts))
        vectors = base[[i % len(texts) for i in batch]] + rng.normal(
            0, 0.02, (len(batch), base.shape[1])
        ).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        documents = [
            PostDocument(
                post_id=i + 1,
                text=document_text(rows[i]["caption"], rows[i]["prompt"], "", ()),
                author_key=AUTHORS[i % len(AUTHORS)],
                created_at=rows[i]["created_at"],
                hashtags=extract_hashtags(rows[i]["caption"]),
            )
            for i in batch
        ]
        collection.add(
            ids=[str(d.post_id) for d in documents],
            embeddings=vectors,
            documents=[d.text for d in documents],
            metadatas=[d.metadata() for d in documents],
        )


def run(*, smoke: bool = False, postgres_url: str | None = None) -> list[Figure]:
    """Top-20 search at 100k posts (300 for a smoke run) against a raw Chroma query plus one
    embedding (the embedding alone is reported too)."""
    posts, repeat = (300, 1) if smoke else (100_000, 31)
    previous = os.environ.get("PLAZA_DATA_DIR")
    with tempfile.TemporaryDirectory() as folder:
        os.environ["PLAZA_DATA_DIR"] = folder
        get_settings.cache_clear()
        forget_clients()
        try:
            url = f"sqlite:///{Path(folder) / 'bench.db'}"
            seed(url, posts)
            engine = make_engine(url)
            collection, model = posts_collection(), shared_model()
            queries = iter(QUERIES * 100)

            with unit_of_work(engine) as session:

                def plaza() -> object:
                    return search_posts(session, next(queries), limit=RESULTS)

                def raw() -> object:
                    vector = model.embed([next(queries)])
                    return collection.query(query_embeddings=vector, n_results=RESULTS)

                plaza_s, raw_s = timed_pair(plaza, raw, repeat)
            embed_s = timed(lambda: model.embed([next(queries)]), repeat)
            engine.dispose()
        finally:
            forget_clients()
            if previous is None:
                os.environ.pop("PLAZA_DATA_DIR", None)
            else:
                os.environ["PLAZA_DATA_DIR"] = previous
            get_settings.cache_clear()
    return [
        Figure(
            f"search top-{RESULTS} of {posts:,} posts",
            "raw Chroma query + embedding",
            plaza_s,
            raw_s,
        ),
        Figure("  of which one query embedding", "", embed_s, None),
    ]
