"""`python -m social.search reindex` rebuilds the search index; `sync` catches it up."""

from __future__ import annotations

import argparse

from sqlalchemy import Engine, func, select
from tqdm import tqdm

from social import migrate
from social.db import default_engine, unit_of_work
from social.models import Post
from social.search.sync import reindex, sync_index


def main(argv: list[str] | None = None, *, engine: Engine | None = None) -> None:
    """Run the command named on the command line (on `engine`, default the configured one)."""
    parser = argparse.ArgumentParser(prog="python -m social.search")
    parser.add_argument("command", choices=["reindex", "sync"])
    command = parser.parse_args(argv).command
    engine = engine or default_engine()
    migrate.upgrade(engine)
    with unit_of_work(engine) as session:
        if command == "sync":
            result = sync_index(session)
            print(f"Indexed {result.indexed} posts, removed {result.removed}.")
            return
        total = session.scalar(select(func.count()).select_from(Post)) or 0
        with tqdm(total=total, unit="post", desc="Indexing") as bar:
            result = reindex(session, progress=bar.update)
        print(f"Rebuilt the search index: {result.indexed} posts.")


if __name__ == "__main__":
    main()
