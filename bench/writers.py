"""Many writers at once: 16 and 32 threads for 30 s, each operation one unit of work through
Plaza's own API (like, unlike, comment) on a shared set of posts, on SQLite and PostgreSQL.

The figure is operations per second. The run counts as correct only with no error of any kind
and exact counts afterwards: every post's like and comment counts equal its rows and what the
writers did, and its Trending score is the one those counts give. The note also gives the
slowest single operation: a writer kept waiting (for a pooled connection, for SQLite's write
lock) does not show in ops/s.

Run with `python -m bench.writers` (SQLite and the local PostgreSQL server).
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bench.report import Figure, markdown
from bench.sandbox import POSTGRES_URL, plaza_sandbox, png_bytes
from social import accounts, migrate
from social.comments import add_comment
from social.db import make_engine, unit_of_work
from social.likes import like_post, unlike_post
from social.models import Comment, Like, Post
from social.posts import publish_post
from social.settings import get_settings
from social.trending import Engagement, hot_score

POSTS = 20
AUTHORS = 4
WRITERS = (16, 32)
SECONDS = 30.0
COMMENT_SHARE = 0.2  # the rest of the operations like or unlike
PASSWORD = "correct horse battery"


@dataclass
class Writer:
    """One thread's account and what it has done: the posts it likes now, its comments."""

    name: str
    rng: random.Random
    liked: set[int] = field(default_factory=set)
    comments: Counter[int] = field(default_factory=Counter)
    ops: int = 0
    errors: list[str] = field(default_factory=list)
    slowest: float = 0.0  # seconds, the longest any one operation took (waits included)

    def step(self, engine: Engine, post_id: int) -> None:
        """Like, unlike or comment on `post_id` in a unit of work of its own."""
        if self.rng.random() < COMMENT_SHARE:
            with unit_of_work(engine) as session:
                add_comment(session, user=self.name, post_id=post_id, body=f"Nice! ({self.ops})")
            self.comments[post_id] += 1
        else:
            liking = post_id not in self.liked
            change = like_post if liking else unlike_post
            with unit_of_work(engine) as session:
                state = change(session, user=self.name, post_id=post_id)
            if state.liked != liking:
                raise AssertionError(f"post {post_id} liked={state.liked} after the change")
            (self.liked.add if liking else self.liked.discard)(post_id)
        self.ops += 1

    def work(self, engine: Engine, post_ids: list[int], start: threading.Barrier,
             seconds: float) -> None:  # fmt: skip
        """Operations until `seconds` after every writer is ready; any exception is an error."""
        start.wait()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            began = time.perf_counter()
            try:
                self.step(engine, self.rng.choice(post_ids))
            except Exception as error:  # every failure counts, whatever its kind
                message = str(error).splitlines()[0].split(" (Background on this error")[0]
                self.errors.append(f"{type(error).__name__}: {message}"[:200])
            self.slowest = max(self.slowest, time.perf_counter() - began)


def run(*, smoke: bool = False, postgres_url: str | None = None) -> list[Figure]:
    """Writers on SQLite, and on PostgreSQL at `postgres_url` if given; smoke: 4 writers, 1 s."""
    sizes, seconds = ((4,), 1.0) if smoke else (WRITERS, SECONDS)
    databases: list[tuple[str, str | None]] = [("SQLite", None)]
    if postgres_url:
        databases.append(("PostgreSQL", postgres_url))
    return [
        measure(writers, seconds, database, url) for database, url in databases for writers in sizes
    ]


def measure(writers: int, seconds: float, database: str, postgres_url: str | None) -> Figure:
    """`writers` threads for `seconds` on a fresh database; ops/s, errors and the count check."""
    with plaza_sandbox(postgres_url):
        engine = make_engine(get_settings().url)
        try:
            migrate.upgrade(engine)
            post_ids = _seed(engine, writers)
            crew = [Writer(f"writer{i}", random.Random(i)) for i in range(writers)]
            start = threading.Barrier(writers + 1)
            threads = [
                threading.Thread(target=w.work, args=(engine, post_ids, start, seconds))
                for w in crew
            ]
            for thread in threads:
                thread.start()
            start.wait()
            began = time.perf_counter()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - began
            with unit_of_work(engine) as session:
                mismatches = _mismatches(session, crew)
        finally:
            engine.dispose()
    errors = [error for w in crew for error in w.errors]
    return Figure(
        what=f"{writers} concurrent writers, {seconds:g} s, {database}",
        baseline_name="",
        ours=sum(w.ops for w in crew) / elapsed,
        baseline=None,
        unit="ops/s",
        note=f"{_verdict(errors, mismatches)}; slowest operation "
        f"{max(w.slowest for w in crew):.2f} s",
    )


def _seed(engine: Engine, writers: int) -> list[int]:
    """Accounts for the authors and writers, and POSTS posts (each its own image)."""
    with unit_of_work(engine) as session:
        for name in [f"author{i}" for i in range(AUTHORS)] + [f"writer{i}" for i in range(writers)]:
            accounts.sign_up(session, name=name, password=PASSWORD)
        posts = [
            publish_post(
                session,
                author=f"author{i % AUTHORS}",
                caption=f"Post {i} #walk",
                model="bench",
                image_bytes=png_bytes(i, (64, 64)),
            )  # fmt: skip
            for i in range(POSTS)
        ]
    return [post.id for post in posts]


def _mismatches(session: Session, crew: list[Writer]) -> list[str]:
    """Where a post's stored counts or score differ from its rows or from what was done."""
    likes = select(func.count()).where(Like.post_id == Post.id).scalar_subquery()
    comments = select(func.count()).where(Comment.post_id == Post.id).scalar_subquery()
    rows = session.execute(
        select(
            Post.id,
            Post.like_count,
            Post.comment_count,
            Post.remix_count,
            Post.hot_score,
            Post.created_at,
            likes,
            comments,
        )  # fmt: skip
    ).all()
    settings = get_settings()
    problems = []
    for row in rows:
        post_id, like_count, comment_count, remixes, score, created, like_rows, comment_rows = row
        done_likes = sum(post_id in w.liked for w in crew)
        done_comments = sum(w.comments[post_id] for w in crew)
        if not like_count == like_rows == done_likes:
            problems.append(f"post {post_id}: like_count {like_count}, {like_rows} like rows, "
                            f"{done_likes} liked by the writers")  # fmt: skip
        if not comment_count == comment_rows == done_comments:
            problems.append(f"post {post_id}: comment_count {comment_count}, {comment_rows} "
                            f"comment rows, {done_comments} written")  # fmt: skip
        expected = hot_score(Engagement(like_rows, comment_rows, remixes), created, settings)
        if abs(score - expected) > 1e-9 * max(1.0, abs(expected)):
            problems.append(f"post {post_id}: hot_score {score}, its counts give {expected}")
    return problems


def _verdict(errors: list[str], mismatches: list[str]) -> str:
    """'0 errors, counts exact', or how many errors of which kinds and the first mismatches."""
    if not errors and not mismatches:
        return "0 errors, counts exact"
    kinds = "; ".join(f"{n}× {kind}" for kind, n in Counter(errors).most_common(3))
    counts = "counts exact" if not mismatches else "; ".join(mismatches[:3])
    return f"{len(errors)} errors ({kinds}), {counts}" if errors else f"0 errors, {counts}"


if __name__ == "__main__":
    print(markdown(run(postgres_url=POSTGRES_URL)))
