"""SQL building blocks shared by Plaza's statements."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Exists, exists, literal_column, select


def any_row(*criteria: ColumnElement[bool]) -> Exists:
    """EXISTS (SELECT 1 FROM … WHERE `criteria`), correlated like SQLAlchemy's `exists()`.

    `exists().where(…)` asks for SELECT *, and SQLite then reads the table row after the index
    entry it found; with SELECT 1 the index alone answers. A feed page asks this four times per
    post (mutes, blocks both ways, reports) and once more for the viewer's like."""
    return exists(select(literal_column("1")).where(*criteria))
