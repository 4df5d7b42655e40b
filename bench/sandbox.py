"""A throwaway Plaza for one benchmark: its own data folder and database, and the limits meant
for people (rate limits, slow password hashing) lifted so they are not what gets measured."""

from __future__ import annotations

import io
import os
import random
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image
from sqlalchemy import create_engine, text

from assistant.settings import get_assistant_settings
from social.db import engine_for
from social.search.index import forget_clients
from social.settings import get_settings

POSTGRES_URL = os.environ.get(
    "PLAZA_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
UNLIMITED = "1000000 per hour"
SETTINGS = {
    "PLAZA_PASSWORD_TIME_COST": "1",
    "PLAZA_PASSWORD_MEMORY_KIB": "64",
    **{
        f"PLAZA_RATE_{action}": UNLIMITED
        for action in (
            "SIGN_IN_PER_NAME",
            "SIGN_IN_PER_CLIENT",
            "SIGN_UP_PER_CLIENT",
            "POSTS",
            "COMMENTS",
            "GENERATIONS",
        )  # fmt: skip
    },
}


@contextmanager
def plaza_sandbox(postgres_url: str | None = None) -> Iterator[Path]:
    """Point Plaza (this process and servers started with its environment) at a fresh data
    folder and a fresh database, SQLite in that folder or a new schema on `postgres_url`;
    yields the folder. Everything is removed and the environment restored afterwards."""
    with tempfile.TemporaryDirectory() as folder, _database_url(postgres_url) as url:
        data = Path(folder) / "plaza"
        data.mkdir()
        overrides = {**SETTINGS, "PLAZA_DATA_DIR": str(data), "DATABASE_URL": url or ""}
        saved = {name: os.environ.get(name) for name in overrides}
        os.environ.update({name: value for name, value in overrides.items() if value})
        if not url:
            os.environ.pop("DATABASE_URL", None)
        _forget_settings()
        try:
            yield data
        finally:
            engine_for(get_settings().url).dispose()  # its connections, before the schema goes
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            _forget_settings()


def _forget_settings() -> None:
    get_settings.cache_clear()
    get_assistant_settings.cache_clear()
    forget_clients()  # a search client belongs to one data folder


@contextmanager
def _database_url(postgres_url: str | None) -> Iterator[str | None]:
    """None (SQLite in the data folder), or the URL of a new schema on `postgres_url`."""
    if postgres_url is None:
        yield None
        return
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    joiner = "&" if "?" in postgres_url else "?"
    try:
        yield f"{postgres_url}{joiner}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def png_bytes(seed: int, size: tuple[int, int] = (768, 768)) -> bytes:
    """A PNG with the texture of a picture (smooth gradients and grain, so it compresses like
    one, unlike a flat colour), different for each seed."""
    grain = Image.frombytes("L", size, random.Random(seed).randbytes(size[0] * size[1]))
    ramp = Image.linear_gradient("L").resize(size)
    picture = Image.merge("RGB", (ramp, ramp.rotate(90 + seed * 7), grain.point(lambda v: v // 4)))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()
