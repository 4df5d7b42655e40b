"""Schema migrations: `python -m social.migrate` brings the database to the newest schema."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from social.db import default_engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    """Alembic's configuration for Plaza's migrations folder."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(engine: Engine | None = None, revision: str = "head") -> None:
    """Migrate the database of `engine` (default: the configured one) to `revision`."""
    config = alembic_config()
    with (engine or default_engine()).begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


if __name__ == "__main__":
    upgrade()
    print("Database is up to date.")
