"""Search by meaning: the index follows the database, finds posts without shared words, filters,
survives Chroma being down, rebuilds from the command line, and runs embedded or on a server."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Engine, select, update

from social.db import unit_of_work
from social.errors import Invalid
from social.models import Post, SearchPending
from social.posts import delete_post, latest_feed, publish_post
from social.search.embedder import shared_model
from social.search.index import SearchUnavailable, forget_clients, posts_collection
from social.search.pending import pending_count
from social.search.queries import SearchFilters, find_post_ids, more_like_this, search_posts
from social.search.steering import FeedSteering, parse_steering, steer_posts
from social.search.sync import sync_index
from social.settings import get_settings
from tests.accounts import ensure_account
from tests.chroma_server import ChromaServer, free_port
from tests.openai_server import make_png

POSTS = [
    ("ana", "Rain streaking the window of my favourite coffee shop, latte in hand #cozy"),
    ("bo", "Red sports car tearing down an empty highway at sunset #cars"),
    ("ana", "A watercolor fox curled up asleep in fresh snow #fox"),
    ("cy", "Espresso, an old paperback and a downpour outside the glass"),
    ("bo", "Vintage pickup truck parked by a barn #cars"),
]


def publish(engine: Engine, posts: list[tuple[str, str]] = POSTS) -> list[int]:
    """Publish `posts` (author, caption), one image each; their ids in order."""
    with unit_of_work(engine) as session:
        for author in {author for author, _ in posts}:
            ensure_account(session, author)
        return [
            publish_post(
                session, author=author, caption=caption, image_bytes=make_png(8, 8, caption)
            ).id
            for author, caption in posts
        ]


def search(engine: Engine, query: str, **filters: object) -> list[int]:
    with unit_of_work(engine) as session:
        found = search_posts(session, query, filters=SearchFilters(**filters))  # type: ignore[arg-type]
        return [result.post.id for result in found]


def test_embedder_reproduces_sentence_transformers() -> None:
    # sentence-transformers' all-MiniLM-L6-v2 encode("This is an example sentence")[:8]
    expected = [0.0676569, 0.0634960, 0.0487132, 0.0793050, 0.0374481, 0.0026528, 0.0393750]
    vector = shared_model().embed(["This is an example sentence"])[0]
    assert vector.shape == (384,)
    assert np.allclose(vector[:7], expected, atol=2e-6)
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-5


def test_publishing_marks_the_post_in_the_same_transaction(engine: Engine) -> None:
    with pytest.raises(RuntimeError), unit_of_work(engine) as session:
        ensure_account(session, "ana")
        publish_post(session, author="ana", caption="never kept", image_bytes=make_png(8, 8))
        assert pending_count(session) == 1
        raise RuntimeError("the unit of work fails")
    with unit_of_work(engine) as session:
        assert pending_count(session) == 0
    [post_id] = publish(engine, POSTS[:1])
    with unit_of_work(engine) as session:
        assert session.scalars(select(SearchPending.post_id)).all() == [post_id]


def test_finds_by_meaning_without_shared_words(engine: Engine) -> None:
    ids = publish(engine)
    found = search(engine, "cozy rainy cafés")
    assert found[:2] == [ids[0], ids[3]]  # the coffee shop in the rain, then the espresso
    assert set(search(engine, "automobiles")[:2]) == {ids[1], ids[4]}
    with unit_of_work(engine) as session:
        assert pending_count(session) == 0


def test_filters_by_author_hashtag_and_date(engine: Engine) -> None:
    ids = publish(engine)
    old = datetime(2025, 1, 1, tzinfo=UTC)
    with unit_of_work(engine) as session:
        session.execute(update(Post).where(Post.id == ids[4]).values(created_at=old))
        session.execute(update(SearchPending).values(marked_at=datetime.now(UTC)))
    assert set(search(engine, "weather", author="ANA")) == {ids[0], ids[2]}
    assert set(search(engine, "vehicles", hashtag="#Cars")) == {ids[1], ids[4]}
    assert search(engine, "vehicles", until=old + timedelta(days=1)) == [ids[4]]
    assert ids[4] not in search(engine, "vehicles", since=old + timedelta(days=1))
    assert search(engine, "vehicles", author="nobody") == []


def test_deleted_posts_leave_the_index(engine: Engine) -> None:
    ids = publish(engine)
    assert search(engine, "coffee shop rain")[0] == ids[0]
    with unit_of_work(engine) as session:
        delete_post(session, user="ana", post_id=ids[0])
    assert ids[0] not in search(engine, "coffee shop rain")
    assert posts_collection().get(ids=[str(ids[0])])["ids"] == []
    assert posts_collection().count() == len(ids) - 1


def test_post_ids_come_with_scores_best_first(sqlite_engine: Engine) -> None:
    ids = publish(sqlite_engine)
    with unit_of_work(sqlite_engine) as session:
        sync_index(session)
    hits = find_post_ids("a sleeping fox in the snow", limit=3)
    assert [hit.post_id for hit in hits][0] == ids[2] and len(hits) == 3
    assert hits[0].score > hits[1].score >= hits[2].score and hits[0].score <= 1.0
    assert find_post_ids("fox", filters=SearchFilters(author="cy")) == [
        hit for hit in find_post_ids("fox", limit=5) if hit.post_id == ids[3]
    ]


def test_more_like_this_leaves_the_post_out(engine: Engine) -> None:
    ids = publish(engine)
    with unit_of_work(engine) as session:
        similar = [r.post.id for r in more_like_this(session, ids[1], limit=3)]
    assert ids[1] not in similar and similar[0] == ids[4]  # a car is most like a truck


def test_refuses_empty_and_oversized_queries(sqlite_engine: Engine) -> None:
    with unit_of_work(sqlite_engine) as session:
        with pytest.raises(Invalid):
            search_posts(session, "   ")
        with pytest.raises(Invalid):
            search_posts(session, "fox", limit=0)


def test_embedded_index_lives_in_the_data_folder_and_reopens_in_a_new_process(
    sqlite_engine: Engine, data_dir: Path
) -> None:
    ids = publish(sqlite_engine)
    assert search(sqlite_engine, "a sleeping fox")[0] == ids[2]
    assert (data_dir / "chroma").is_dir()
    # A new process opens the stored collection by name through Chroma alone: that works only
    # because importing Plaza's module registers its embedding function with Chroma.
    script = (
        "import sys, chromadb, social.search.chroma_embeddings\n"
        "client = chromadb.PersistentClient(path=sys.argv[1])\n"
        "collection = client.get_collection('plaza-posts-plaza-minilm-l6-v2')\n"
        "print(collection.query(query_texts=['a sleeping fox'], n_results=1)['ids'][0][0])\n"
    )
    reopened = subprocess.run(
        [sys.executable, "-c", script, str(data_dir / "chroma")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert reopened.stdout.strip() == str(ids[2])


def test_reindex_rebuilds_from_scratch_and_sync_catches_up(
    sqlite_engine: Engine, data_dir: Path
) -> None:
    ids = publish(sqlite_engine)
    with unit_of_work(sqlite_engine) as session:
        sync_index(session)
    posts_collection().delete(ids=[str(i) for i in ids[:3]])  # the index lost some posts
    forget_clients()
    run = subprocess.run(
        [sys.executable, "-m", "social.search", "reindex"],
        env={**os.environ, "PLAZA_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert f"Rebuilt the search index: {len(ids)} posts." in run.stdout
    assert "Indexing" in run.stderr and "100%" in run.stderr
    assert posts_collection().count() == len(ids)
    publish(sqlite_engine, [("eve", "One more post")])
    forget_clients()
    run = subprocess.run(
        [sys.executable, "-m", "social.search", "sync"],
        env={**os.environ, "PLAZA_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Indexed 1 posts, removed 0." in run.stdout
    assert posts_collection().count() == len(ids) + 1


def test_server_mode_and_a_post_published_while_the_index_is_down(
    sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    port = free_port()
    monkeypatch.setenv("CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("CHROMA_PORT", str(port))
    get_settings.cache_clear()
    [fox] = publish(sqlite_engine, POSTS[2:3])  # the server is not running: publishing works
    with unit_of_work(sqlite_engine) as session, pytest.raises(SearchUnavailable):
        search_posts(session, "a sleeping fox")
    with unit_of_work(sqlite_engine) as session:
        assert pending_count(session) == 1  # still marked: not lost
    server = ChromaServer(tmp_path / "chroma-server", port=port).start()
    try:
        forget_clients()
        assert search(sqlite_engine, "a sleeping fox") == [fox]
        with unit_of_work(sqlite_engine) as session:
            assert pending_count(session) == 0
        assert posts_collection().count() == 1
    finally:
        server.stop()
    assert not (data_dir / "chroma").exists()  # nothing embedded in server mode


@pytest.mark.parametrize(
    ("text", "boost", "hide"),
    [
        ("more watercolor, fewer cars", ("watercolor",), ("cars",)),
        ("Show me more cats and no more food posts", ("cats",), ("food",)),
        ("less neon; hide the cars please", (), ("neon", "cars")),
        ("pixel art", ("pixel art",), ()),
    ],
)
def test_parses_steering_in_plain_words(text: str, boost: tuple, hide: tuple) -> None:
    steering = parse_steering(text)
    assert (steering.boost, steering.hide) == (boost, hide)


def test_steering_that_says_nothing_is_refused() -> None:
    with pytest.raises(Invalid):
        parse_steering("more, fewer")


def test_steering_hides_by_meaning_and_boosts_to_the_top(sqlite_engine: Engine) -> None:
    publish(sqlite_engine)
    with unit_of_work(sqlite_engine) as session:
        page = latest_feed(session, limit=10).posts
    steering = parse_steering("more watercolor, fewer cars")
    assert steering.describe() == "boosting: watercolor · hiding: cars"
    steered = [post.caption for post in steer_posts(page, steering)]
    # "cars" hides the sports car and the pickup truck (a #cars post, close in meaning too).
    assert not [caption for caption in steered if "car" in caption or "truck" in caption]
    assert steered[0].startswith("A watercolor fox")
    assert steer_posts(page, FeedSteering()) == page
