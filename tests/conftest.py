"""Shared fixtures: every test gets its own data folder and, where asked, a migrated database
on SQLite and on the machine's PostgreSQL server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from assistant.settings import get_assistant_settings
from social import migrate
from social.db import make_engine
from social.moderation import install_checks
from social.search.index import forget_clients
from social.settings import get_settings
from tests.openai_server import OpenAITestServer

pytest_plugins = ["tests.object_store"]  # the S3 server fixtures

POSTGRES_URL = os.environ.get(
    "PLAZA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)

# Cheap password hashing and limits no test reaches by accident; the tests of those features
# set their own values.
FAST_SETTINGS = {
    "PLAZA_PASSWORD_TIME_COST": "1",
    "PLAZA_PASSWORD_MEMORY_KIB": "64",
    **{
        f"PLAZA_RATE_{action}": "100000 per hour"
        for action in (
            "SIGN_IN_PER_NAME",
            "SIGN_IN_PER_CLIENT",
            "SIGN_UP_PER_CLIENT",
            "POSTS",
            "COMMENTS",
            "GENERATIONS",
        )
    },
}


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point Plaza at a fresh data folder and keep the tests away from any real key."""
    folder = tmp_path / "data"
    monkeypatch.setenv("PLAZA_DATA_DIR", str(folder))
    for name in ("DATABASE_URL", "PLAZA_STORAGE_URL", "OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in FAST_SETTINGS.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    get_assistant_settings.cache_clear()
    forget_clients()  # a Chroma client belongs to one data folder (or server)
    install_checks(None)  # the offline default, whatever a previous test installed
    yield folder
    get_settings.cache_clear()
    get_assistant_settings.cache_clear()
    forget_clients()
    install_checks(None)


@pytest.fixture
def sqlite_engine(data_dir: Path) -> Iterator[Engine]:
    """A migrated SQLite database in the test's data folder."""
    engine = make_engine(get_settings().url)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@contextmanager
def postgres_schema() -> Iterator[Engine]:
    """An empty PostgreSQL database: a schema of its own on the local server, dropped after."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def postgres_engine() -> Iterator[Engine]:
    """A migrated PostgreSQL database in a schema of its own."""
    with postgres_schema() as engine:
        migrate.upgrade(engine)
        yield engine


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> Engine:
    """The same test on SQLite and on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_engine")


@pytest.fixture
def openai_server(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenAITestServer]:
    """A local OpenAI-compatible server, with OPENAI_BASE_URL and OPENAI_API_KEY pointing at it."""
    server = OpenAITestServer().start()
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    get_assistant_settings.cache_clear()
    try:
        yield server
    finally:
        server.stop()
        get_assistant_settings.cache_clear()
