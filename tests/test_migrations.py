"""Migrations build the schema from empty, and agree with the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from social.models import Base


def test_upgrade_from_empty_creates_tables(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert {"users", "images", "posts", "alembic_version"} <= tables


def test_models_and_migrations_agree(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        diff = compare_metadata(context, Base.metadata)
    assert diff == []
