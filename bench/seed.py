"""A community of any size, written in bulk: users, posts, likes, comments, follows, hashtags.

The shape follows what was measured: 20k people; per post about 5 likes and 1 comment; 50
follows per person; a few very active authors (author ids drawn from a skewed distribution);
5% of posts are remixes; #daily is on 15% of posts and one of 50 other tags on 30%. Posts are
spread over the 29 days before the seed was built, so every one of them is a Trending
candidate (the hard case). Counts and Trending scores are written as Plaza keeps them.

Rows go straight through the driver (`executemany` on SQLite, COPY on PostgreSQL) into a
schema made by Plaza's own migrations. A seeded database is kept and reused: a SQLite file
under bench/results/, a PostgreSQL schema named after the size.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text
from tqdm import tqdm

from social import migrate, recommendations
from social.counters import rescore_posts
from social.db import make_engine, unit_of_work
from social.settings import get_settings
from social.trending import Engagement, hot_score

SEED_VERSION = "feeds-6"  # bump when the shape of the data changes
USERS = 20_000
FOLLOWS_PER_USER = 50
SPAN = timedelta(days=29)
BIG_TAG = "daily"
TAGS = [f"topic{i}" for i in range(50)]
RESULTS = Path(__file__).resolve().parent / "results"
SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores a datetime in SQLite


@dataclass(frozen=True)
class Community:
    """A seeded database: its engine, size, and who to look at it as."""

    engine: Engine
    posts: int
    built_at: datetime
    viewer: str  # a person with follows and likes
    top_author: str  # the person with the most posts


def community(
    posts: int,
    *,
    users: int = USERS,
    postgres_url: str | None = None,
    folder: Path = RESULTS,
    progress: bool = True,
) -> Community:
    """The seeded community of `posts` posts by `users` people on SQLite (a file in `folder`)
    or PostgreSQL (a schema of its own), built once and then reused."""
    if postgres_url is None:
        folder.mkdir(exist_ok=True)
        path = folder / f"community-{posts}-{users}.db"
        engine = make_engine(f"sqlite:///{path}")
        if _seeded_at(engine) is None:  # start from an empty file
            engine.dispose()
            for leftover in folder.glob(f"{path.name}*"):
                leftover.unlink()
    else:
        schema = f"bench_community_{posts}_{users}"
        engine = make_engine(_with_search_path(postgres_url, schema))
        if _seeded_at(engine) is None:  # start from an empty schema
            engine.dispose()
            with make_engine(postgres_url).begin() as connection:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
                connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    built_at = _seeded_at(engine)
    if built_at is None:
        built_at = _build(engine, posts, users, progress)
    return Community(engine, posts, built_at, viewer=_name(1), top_author=_name(0))


def _with_search_path(url: str, schema: str) -> str:
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-csearch_path%3D{schema}"


def _name(index: int) -> str:
    return f"user{index}"


def _seed_version() -> str:
    """The seed's shape and the schema it is at."""
    head = ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()
    return f"{SEED_VERSION}@{head}"


def _seeded_at(engine: Engine) -> datetime | None:
    """When the seed in `engine` was built; None if there is none of this shape. A seed of
    this shape from an older schema is migrated, as Plaza's own databases are."""
    with engine.connect() as connection:
        try:
            row = connection.execute(text("SELECT version, built_at FROM bench_seed")).first()
        except Exception:  # no such table: not seeded yet
            return None
    if row is None or row[0].split("@")[0] != SEED_VERSION:
        return None
    if row[0] != _seed_version():
        migrate.upgrade(engine)
        with engine.begin() as connection:
            connection.execute(text("UPDATE bench_seed SET version = :v"), {"v": _seed_version()})
        _settle(engine)
    return datetime.fromisoformat(str(row[1]))


def _build(engine: Engine, posts: int, users: int, progress: bool) -> datetime:
    migrate.upgrade(engine)
    built_at = datetime.now(UTC)
    rows = _Rows(posts, users, built_at, random.Random(posts), postgres=_is_pg(engine))
    raw = engine.raw_connection()
    try:
        # Indexes are dropped for the bulk write and built again at the end: sorting once is
        # many times faster than keeping them up to date row by row.
        if not _is_pg(engine):
            raw.cursor().execute("BEGIN")  # Plaza's SQLite connections leave this to the caller
        indexes = _secondary_indexes(raw, postgres=_is_pg(engine))
        for name in indexes:
            raw.cursor().execute(f"DROP INDEX {name}")
        write = _copy if engine.dialect.name == "postgresql" else _insert
        bar = tqdm(total=rows.total, unit="row", disable=not progress, desc=f"seed {posts:,}")
        for table, columns, batch in rows.tables():
            write(raw, table, columns, batch)
            bar.update(len(batch))
        bar.close()
        cursor = raw.cursor()
        # Every follower's timeline, as publishing and following would have written it (on
        # PostgreSQL without a foreign key check per row: the rows come from the tables they
        # point at).
        if _is_pg(engine):
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "INSERT INTO timeline_entries (post_id, user_id, created_at) "
            "SELECT p.id, f.follower_id, p.created_at FROM posts p "
            "JOIN follows f ON f.followee_id = p.author_id ORDER BY p.id, f.follower_id"
        )
        for definition in indexes.values():
            cursor.execute(definition)
        cursor.execute("CREATE TABLE bench_seed (version TEXT, built_at TEXT)")
        cursor.execute(
            "INSERT INTO bench_seed VALUES (" + ("%s, %s" if _is_pg(engine) else "?, ?") + ")",
            (_seed_version(), built_at.isoformat()),
        )
        if _is_pg(engine):
            for table in ("users", "images", "posts", "likes", "comments", "follows"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
        raw.commit()
    finally:
        raw.close()
    _count_remixes(engine, sorted(rows.remixed))
    _recommend(engine, users, progress)
    _settle(engine)
    return built_at


def _recommend(engine: Engine, users: int, progress: bool) -> None:
    """The For you entries of one person in ten, as their visits would have left them (so the
    planner sees how few of the entries belong to one person)."""
    since = datetime(2000, 1, 1, tzinfo=UTC)
    everyone = list(range(1, users + 1, 10))
    batches = range(0, len(everyone), 100)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("ANALYZE")  # bulk-loaded tables have no statistics yet
    with engine.begin() as connection:
        for first in tqdm(batches, disable=not progress, desc="For you", unit="100 people"):
            recommendations.fill(connection, everyone[first : first + 100], since=since)


def _settle(engine: Engine) -> None:
    """Statistics for the planner and, on PostgreSQL, the visibility map a live database keeps
    (autovacuum would set it within minutes; without it index-only scans read the table)."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE" if _is_pg(engine) else "ANALYZE")


def _secondary_indexes(raw: Any, *, postgres: bool) -> dict[str, str]:
    """Name -> CREATE statement of the indexes that no constraint owns."""
    cursor = raw.cursor()
    if postgres:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes i WHERE schemaname = current_schema() "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = "
            "(quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)"
        )
    else:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        )
    return dict(cursor.fetchall())


def _count_remixes(engine: Engine, originals: list[int]) -> None:
    """Set the remix counts (and so the scores) of the posts that were remixed."""
    count = text(
        "UPDATE posts SET remix_count = (SELECT count(*) FROM posts AS r WHERE r.remix_of_id = "
        "posts.id) WHERE id = :id"
    )
    for first in range(0, len(originals), 10_000):
        chunk = originals[first : first + 10_000]
        with unit_of_work(engine) as session:
            session.execute(count, [{"id": post_id} for post_id in chunk])
            rescore_posts(session, chunk)


def _is_pg(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def _insert(raw: Any, table: str, columns: Sequence[str], batch: list[tuple]) -> None:
    marks = ", ".join("?" for _ in columns)
    raw.cursor().executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", batch)


def _copy(raw: Any, table: str, columns: Sequence[str], batch: list[tuple]) -> None:
    with raw.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in batch:
            copy.write_row(row)


IMAGE_COLUMNS = ("id", "sha256", "mime", "width", "height", "size_bytes", "created_at")


class _Rows:
    """The rows of every table, generated in batches (deterministic for a size)."""

    BATCH = 50_000

    def __init__(
        self, posts: int, users: int, built_at: datetime, rng: random.Random, *, postgres: bool
    ) -> None:
        self.posts, self.users, self.rng, self.postgres = posts, users, rng, postgres
        self.follows = min(FOLLOWS_PER_USER, users - 1)
        self.start = built_at - SPAN
        self.step = SPAN / posts
        self.total = self.users + posts * 9 + self.users * self.follows
        self.remixed: set[int] = set()  # posts that have remixes (their counts come after)

    def _stamp(self, moment: datetime) -> Any:
        # psycopg takes an aware datetime; SQLite gets the text SQLAlchemy would write.
        return moment if self.postgres else moment.astimezone(UTC).strftime(SQLITE_TIME)

    def tables(self) -> Iterator[tuple[str, Sequence[str], list[tuple]]]:
        """(table, columns, rows) batches, in an order the foreign keys accept."""
        start = self._stamp(self.start)
        yield (
            "users",
            ("id", "name", "name_key", "name_skeleton", "created_at", "bio"),
            [(i + 1, _name(i), _name(i), _name(i), start, "") for i in range(self.users)],
        )
        yield from self._follows()
        yield from self._posts()

    def _author(self) -> int:
        # Skewed: user0 writes ~4% of all posts, most people a handful.
        return int(self.users * self.rng.random() ** 3) + 1

    def _follows(self) -> Iterator[tuple[str, Sequence[str], list[tuple]]]:
        columns = ("id", "follower_id", "followee_id", "created_at")
        start = self._stamp(self.start)
        rows: list[tuple] = []
        for follower in range(1, self.users + 1):
            followees = self.rng.sample(range(1, self.users + 1), self.follows + 1)
            followees = [f for f in followees if f != follower][: self.follows]
            rows += [(follower, followee) for followee in followees]
        rows = [(i + 1, *pair, start) for i, pair in enumerate(rows)]
        for first in range(0, len(rows), self.BATCH):
            yield "follows", columns, rows[first : first + self.BATCH]

    def _posts(self) -> Iterator[tuple[str, Sequence[str], list[tuple]]]:
        settings = get_settings()
        rng = self.rng
        like_id = comment_id = 1
        post_columns = (
            "id",
            "author_id",
            "image_id",
            "caption",
            "prompt",
            "alt_text",
            "model",
            "remix_of_id",
            "created_at",
            "edit_steps",
            "like_count",
            "comment_count",
            "remix_count",
            "hot_score",
        )
        for first in range(1, self.posts + 1, self.BATCH):
            images, posts, likes, comments, tags = [], [], [], [], []
            for post_id in range(first, min(first + self.BATCH, self.posts + 1)):
                created = self.start + self.step * post_id
                stamp = self._stamp(created)
                remix_of = (
                    rng.randrange(1, post_id) if post_id > 1 and rng.random() < 0.05 else None
                )
                if remix_of is not None:
                    self.remixed.add(remix_of)
                likers = set(rng.choices(range(1, self.users + 1), k=rng.randint(0, 10)))
                for liker in likers:
                    likes.append((like_id, post_id, liker, stamp))
                    like_id += 1
                comments.append(
                    (comment_id, post_id, rng.randint(1, self.users), "Lovely colours!", stamp)
                )
                comment_id += 1
                images.append((post_id, f"{post_id:064x}", "image/png", 1024, 1024, 1, stamp))
                post_tags = [BIG_TAG] if rng.random() < 0.15 else []
                if rng.random() < 0.3:
                    post_tags.append(rng.choice(TAGS))
                tags += [(post_id, tag, stamp) for tag in post_tags]
                caption = f"Post {post_id}: a walk by the sea " + " ".join(
                    f"#{t}" for t in post_tags
                )
                # Remix counts are filled in after all posts are written (`_count_remixes`).
                engagement = Engagement(likes=len(likers), comments=1)
                posts.append(
                    (
                        post_id,
                        self._author(),
                        post_id,  # each post its own image
                        caption,
                        "a walk by the sea",
                        "",
                        "offline-painter",
                        remix_of,
                        stamp,
                        json.dumps([]),
                        len(likers),
                        1,
                        0,
                        hot_score(engagement, created, settings),
                    )
                )
            yield "images", IMAGE_COLUMNS, images
            yield "posts", post_columns, posts
            yield "likes", ("id", "post_id", "user_id", "created_at"), likes
            yield "comments", ("id", "post_id", "author_id", "body", "created_at"), comments
            yield "post_hashtags", ("post_id", "tag", "created_at"), tags
