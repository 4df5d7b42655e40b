"""Migrations 0002, 0005, 0009 and 0011 upgrade a database that already has rows, and 0013
keeps the signing identity through a downgrade (both databases)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, text

from social import migrate
from social.db import make_engine, unit_of_work
from social.feeds import following_feed, hashtag_feed
from social.models import Comment, Report
from social.posts import get_post
from social.profiles import get_profile
from social.reports import list_reports
from social.settings import get_settings
from social.signing_keys import LEGACY_FOLDER, identity_in_folder, instance_identity
from tests.conftest import postgres_schema

OLD_ROWS = [
    "INSERT INTO users (id, name, name_key, created_at)"
    " VALUES (1, 'Ada', 'ada', '2025-05-01 12:00:00')",
    "INSERT INTO images (id, sha256, mime, width, height, size_bytes, created_at)"
    f" VALUES (1, '{'a' * 64}', 'image/png', 4, 3, 10, '2025-05-01 12:00:00')",
    "INSERT INTO posts (id, author_id, image_id, caption, prompt, alt_text, model, created_at)"
    " VALUES (1, 1, 1, 'old #tag', '', '', '', '2025-05-01 12:00:00')",
]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def blank_engine(request: pytest.FixtureRequest, data_dir: Path) -> Iterator[Engine]:
    """An empty database, not migrated."""
    if request.param == "sqlite":
        engine = make_engine(get_settings().url)
        yield engine
        engine.dispose()
        return
    with postgres_schema() as engine:
        yield engine


def test_upgrade_keeps_existing_posts(blank_engine: Engine) -> None:
    migrate.upgrade(blank_engine, "0001")
    with blank_engine.begin() as connection:
        for statement in OLD_ROWS:
            connection.execute(text(statement))
    migrate.upgrade(blank_engine)
    with unit_of_work(blank_engine) as session:
        card = get_post(session, 1)
        profile = get_profile(session, "ada")
        tagged = hashtag_feed(session, tag="tag")
    assert (card.author, card.like_count, card.hashtags) == ("Ada", 0, ("tag",))
    assert [c.id for c in tagged.posts] == [1]  # tags of old captions are backfilled
    assert (profile.bio, profile.has_account, profile.post_count) == ("", False, 1)


def test_downgrade_and_upgrade_again(blank_engine: Engine) -> None:
    migrate.upgrade(blank_engine, "0001")
    with blank_engine.begin() as connection:
        for statement in OLD_ROWS:
            connection.execute(text(statement))
    migrate.upgrade(blank_engine)
    config = migrate.alembic_config()
    with blank_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")
    # Outside a transaction: SQLite honours 0002's foreign-key pragma only there.
    with blank_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    assert "likes" not in inspect(blank_engine).get_table_names()
    assert "bio" not in {c["name"] for c in inspect(blank_engine).get_columns("users")}
    migrate.upgrade(blank_engine)
    with unit_of_work(blank_engine) as session:
        assert get_post(session, 1).author == "Ada"


def test_0005_backfills_skeletons_and_keeps_existing_look_alikes(blank_engine: Engine) -> None:
    migrate.upgrade(blank_engine, "0004")
    with blank_engine.begin() as connection:
        for user_id, name in ((1, "alice"), (2, "\u0430lice"), (3, "Bob")):
            connection.execute(
                text(
                    "INSERT INTO users (id, name, name_key, created_at)"
                    " VALUES (:id, :name, :key, '2025-05-01 12:00:00')"
                ),
                {"id": user_id, "name": name, "key": name.casefold()},
            )
    migrate.upgrade(blank_engine)
    with blank_engine.connect() as connection:
        rows = connection.execute(text("SELECT id, name_skeleton FROM users ORDER BY id")).all()
    # The older alice keeps the skeleton; the look-alike stays, but blocks nobody new.
    assert [tuple(row) for row in rows] == [(1, "alice"), (2, None), (3, "bob")]
    with unit_of_work(blank_engine) as session:
        assert get_profile(session, "\u0430lice").name == "\u0430lice"


def test_0009_keeps_reports_and_downgrades_without_comment_reports(blank_engine: Engine) -> None:
    migrate.upgrade(blank_engine, "0007")
    with blank_engine.begin() as connection:
        for statement in OLD_ROWS:
            connection.execute(text(statement))
        connection.execute(
            text(
                "INSERT INTO reports (id, post_id, reporter_id, reason, created_at)"
                " VALUES (50, 1, 1, 'old spam', '2025-05-01 12:00:00')"
            )
        )
    migrate.upgrade(blank_engine)
    with unit_of_work(blank_engine) as session:
        [old] = list_reports(session)
        assert (old.post_id, old.comment_id, old.reason, old.resolution) == (
            1,
            None,
            "old spam",
            None,
        )
        comment = Comment(post_id=1, author_id=1, body="hi")
        session.add(comment)
        session.flush()
        session.add(Report(comment_id=comment.id, reporter_id=1, reason="rude"))
    config = migrate.alembic_config()
    with blank_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0007")
    with blank_engine.connect() as connection:
        rows = connection.execute(text("SELECT post_id, reason FROM reports")).all()
    assert [tuple(row) for row in rows] == [(1, "old spam")]
    assert "blocks" not in inspect(blank_engine).get_table_names()
    migrate.upgrade(blank_engine)


def test_0011_fills_the_timelines_of_existing_follows(blank_engine: Engine) -> None:
    migrate.upgrade(blank_engine, "0010")
    with blank_engine.begin() as connection:
        for statement in OLD_ROWS:
            connection.execute(text(statement))
        for user_id, name in ((2, "Bo"), (3, "Cy")):
            connection.execute(
                text(
                    "INSERT INTO users (id, name, name_key, created_at)"
                    " VALUES (:id, :name, :key, '2025-05-01 12:00:00')"
                ),
                {"id": user_id, "name": name, "key": name.casefold()},
            )
        connection.execute(
            text(
                "INSERT INTO follows (id, follower_id, followee_id, created_at)"
                " VALUES (1, 2, 1, '2025-05-01 12:00:00')"
            )
        )
    migrate.upgrade(blank_engine)
    with unit_of_work(blank_engine) as session:
        assert [c.id for c in following_feed(session, viewer="bo").posts] == [1]
        assert following_feed(session, viewer="cy").posts == []


def test_0013_downgrade_keeps_the_signing_identity_for_the_next_upgrade(
    blank_engine: Engine, data_dir: Path
) -> None:
    migrate.upgrade(blank_engine)
    with blank_engine.connect() as connection:
        identity = instance_identity(connection)
    config = migrate.alembic_config()
    with blank_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0012")
    assert "signing_identity" not in inspect(blank_engine).get_table_names()
    folder = data_dir / LEGACY_FOLDER
    assert identity_in_folder(folder) == identity  # where the code before 0013 reads it
    assert (folder / "signer-key.pem").stat().st_mode & 0o077 == 0
    migrate.upgrade(blank_engine)
    with blank_engine.connect() as connection:
        assert instance_identity(connection) == identity
