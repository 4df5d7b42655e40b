"""Engines and units of work. One session per unit of work; SQLite runs in WAL mode."""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from social.settings import get_settings

SQLITE_BUSY_TIMEOUT_MS = 5000


def make_engine(url: str) -> Engine:
    """Create an engine for `url`; SQLite gets WAL, foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        )

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

        return engine
    return create_engine(url, pool_pre_ping=True)


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """The shared engine of a URL (engines are thread-safe and pooled)."""
    return make_engine(url)


def default_engine() -> Engine:
    """The engine of the configured `DATABASE_URL`."""
    return engine_for(get_settings().url)


@contextmanager
def unit_of_work(engine: Engine | None = None) -> Iterator[Session]:
    """A session that commits when the block succeeds and rolls back when it raises."""
    factory = sessionmaker(bind=engine or default_engine(), expire_on_commit=False)
    with factory() as session, session.begin():
        yield session
