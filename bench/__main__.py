"""Run every benchmark and print ratios against baselines measured in the same run.

- feed: reading a page deep in the latest feed with keyset pagination, against the same
  query paged with OFFSET (the scan keyset pagination avoids), on a seeded SQLite database.
- painter: one offline image, against encoding a blank PNG of the same size (the floor).
- offline turn: one chat turn through the agent with the offline engines (one image, three
  captions, the image stored), against the same blank-PNG baseline.
- credentials: signing a picture with Content Credentials and reading them back, against
  encoding the PNG (see bench/credentials.py).
- search: top-20 by meaning at 100k posts, against a raw Chroma query with the same vector
  plus one embedding (see bench/search.py).
"""

from __future__ import annotations

import io
import os
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PIL import Image as PILImage
from sqlalchemy import insert

from assistant.agent import TurnDone, build_agent, stream_turn
from assistant.offline.painter import OfflinePainter
from assistant.providers import load_providers
from assistant.requests import ChatRequest
from bench.credentials import bench_credentials
from bench.search import bench_search
from bench.timing import timed
from social import migrate
from social.db import make_engine, unit_of_work
from social.models import Image, Post, User
from social.posts import card_from_row, card_query, latest_feed
from social.settings import get_settings

POSTS = 20_000
PAGE = 20
DEPTH = 500  # pages deep


def seed(engine) -> None:  # type: ignore[no-untyped-def]
    """POSTS posts by 50 authors sharing one image row, one second apart."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with unit_of_work(engine) as session:
        session.execute(
            insert(User),
            [{"name": f"user{i}", "name_key": f"user{i}", "created_at": start} for i in range(50)],
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
        session.execute(
            insert(Post),
            [
                {
                    "author_id": i % 50 + 1,
                    "image_id": 1,
                    "caption": f"post {i}",
                    "prompt": "",
                    "alt_text": "",
                    "model": "",
                    "created_at": start + timedelta(seconds=i),
                }
                for i in range(POSTS)
            ],
        )


def bench_feed() -> str:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        migrate.upgrade(engine)
        seed(engine)
        with unit_of_work(engine) as session:
            cursor = None
            for _ in range(DEPTH):
                cursor = latest_feed(session, cursor=cursor, limit=PAGE).next_cursor

            def keyset() -> object:
                return latest_feed(session, cursor=cursor, limit=PAGE)

            def offset() -> object:
                query = (
                    card_query()
                    .order_by(Post.created_at.desc(), Post.id.desc())
                    .offset(DEPTH * PAGE)
                    .limit(PAGE + 1)
                )
                return [card_from_row(row) for row in session.execute(query).all()]

            keyset_s, offset_s = timed(keyset), timed(offset)
        engine.dispose()
    return (
        f"feed page {DEPTH} of {POSTS // PAGE}: keyset {keyset_s * 1e3:.2f} ms, "
        f"OFFSET baseline {offset_s * 1e3:.2f} ms → keyset takes "
        f"{keyset_s / offset_s:.2f}× the baseline"
    )


def blank_png() -> object:
    """The baseline: encoding a blank PNG of the painter's size."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (768, 768), "white").save(buffer, format="PNG")
    return buffer


SUBJECTS = ["a bowl of ramen", "a cat on a roof under the moon", "a robot in a library",
            "palm trees on a beach", "a lighthouse in a storm", "a cup of coffee, photo",
            "sunflowers in a field, watercolor"]  # fmt: skip


def bench_painter() -> str:
    painter = OfflinePainter()
    prompts = iter(f"{SUBJECTS[i % len(SUBJECTS)]} {i}" for i in range(1000))

    def paint() -> object:
        return painter.generate(next(prompts))

    paint_s, blank_s = timed(paint), timed(blank_png)
    return (
        f"offline painter: {paint_s * 1e3:.0f} ms per image, blank-PNG baseline "
        f"{blank_s * 1e3:.1f} ms → {paint_s / blank_s:.1f}× the baseline"
    )


def bench_offline_turn() -> str:
    with tempfile.TemporaryDirectory() as folder:
        os.environ["PLAZA_DATA_DIR"] = folder  # the turn stores its image here
        get_settings.cache_clear()
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        migrate.upgrade(engine)
        agent = build_agent(load_providers(), engine=engine)
        prompts = iter(f"{SUBJECTS[i % len(SUBJECTS)]} {i}" for i in range(1000))

        def turn() -> object:
            events = list(stream_turn(agent, [], ChatRequest(text=next(prompts))))
            assert any(isinstance(e, TurnDone) for e in events)
            return events

        turn_s, blank_s = timed(turn), timed(blank_png)
        engine.dispose()
    return (
        f"offline turn (1 image + 3 captions, stored): {turn_s * 1e3:.0f} ms, blank-PNG "
        f"baseline {blank_s * 1e3:.1f} ms → {turn_s / blank_s:.1f}× the baseline"
    )


if __name__ == "__main__":
    for bench in (bench_feed, bench_painter, bench_offline_turn, bench_credentials, bench_search):
        print(bench(), flush=True)
