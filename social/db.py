"""Engines and units of work. One session per unit of work; SQLite runs in WAL mode.

On SQLite the driver's own transaction handling is switched off and every transaction starts
with an explicit BEGIN IMMEDIATE (SQLAlchemy's documented pysqlite recipe), so that
`begin_nested()` is a real SAVEPOINT inside it and writers queue on the busy timeout instead of
failing when a read-then-write transaction finds its snapshot stale.
"""

from __future__ import annotations

import math
import sqlite3
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from social.settings import SocialSettings, get_settings

# Writers queue for the one write lock; under a burst of writers a wait of seconds is normal.
SQLITE_BUSY_TIMEOUT_MS = 15000
# Connections per engine, all kept: with fewer than the threads that write at once, a thread
# that hands one back usually takes it again before a waiting one wakes, and some starve
# (32 writers on 15 connections: one managed 1 write in 30 s while another did 579).
POOL_SIZE = 40


class _WriteTurns:
    """First come, first served: this process's writers take SQLite's write lock in turn.

    SQLite's busy handler retries at random, so under a burst one writer can wait past the busy
    timeout while others write again and again. A writer that waits here longer than that
    timeout goes on without its turn and leaves the wait to SQLite: nothing waits forever."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: deque[threading.Event] = deque()
        self._held = False

    def take(self, timeout: float) -> bool:
        """Wait for this thread's turn; False if it did not come within `timeout` seconds."""
        with self._lock:
            if not self._held and not self._waiting:
                self._held = True
                return True
            turn = threading.Event()
            self._waiting.append(turn)
        if turn.wait(timeout):
            return True
        with self._lock:
            if turn.is_set():  # handed over just as the wait ended
                return True
            self._waiting.remove(turn)
            return False

    def give_back(self) -> None:
        """End this turn: the longest waiting writer's begins."""
        with self._lock:
            if self._waiting:
                self._waiting.popleft().set()
            else:
                self._held = False


_TURN = "plaza_write_turn"  # set on a connection while it holds this process's write turn


def make_engine(url: str) -> Engine:
    """Create an engine for `url`; SQLite gets WAL, foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            pool_size=POOL_SIZE,
            max_overflow=0,
        )
        turns = _WriteTurns()

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            try:
                cursor.execute("SELECT power(2.0, 1.5)")
            except sqlite3.OperationalError:
                # SQLite built without its math functions; Trending needs power().
                dbapi_connection.create_function("power", 2, math.pow, deterministic=True)
            cursor.close()
            # SQLAlchemy emits BEGIN itself (below); the driver must not begin or commit on its own.
            dbapi_connection.isolation_level = None

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection: Connection) -> None:
            if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
                return
            if turns.take(SQLITE_BUSY_TIMEOUT_MS / 1000):
                connection.info[_TURN] = True
            try:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            except BaseException:
                _end_turn(connection)
                raise

        def _end_turn(connection: Connection) -> None:
            if connection.info.pop(_TURN, False):
                turns.give_back()

        event.listen(engine, "commit", _end_turn)
        event.listen(engine, "rollback", _end_turn)
        return engine
    engine = create_engine(url, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=0)

    @event.listens_for(engine, "connect")
    def _postgres_plans(dbapi_connection: Any, _record: Any) -> None:
        # psycopg prepares a statement after a few runs, and PostgreSQL then switches to a
        # generic plan, blind to the values: one for every hashtag, however rare or common
        # (8 ms became 69 ms for a big hashtag's page). Plan each run for its own values.
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET plan_cache_mode = force_custom_plan")
        dbapi_connection.commit()

    return engine


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """The shared engine of a URL (engines are thread-safe and pooled)."""
    return make_engine(url)


def default_engine() -> Engine:
    """The engine of the configured `DATABASE_URL`."""
    return engine_for(get_settings().url)


@contextmanager
def unit_of_work(
    engine: Engine | None = None, settings: SocialSettings | None = None
) -> Iterator[Session]:
    """A session that commits when the block succeeds and rolls back when it raises.

    It carries `settings` (the process's own by default) to every `social` function it is
    handed: they read them with `settings_of`, never from the environment themselves."""
    chosen = settings or get_settings()
    factory = sessionmaker(
        bind=engine or engine_for(chosen.url), expire_on_commit=False, info={"settings": chosen}
    )
    with factory() as session, session.begin():
        yield session


def settings_of(session: Session) -> SocialSettings:
    """The settings a unit of work was opened with (see `unit_of_work`)."""
    settings = session.info.get("settings")
    if not isinstance(settings, SocialSettings):
        raise TypeError("This session was not opened by social.db.unit_of_work.")
    return settings
