"""People who post, identified for now by a display name."""

from __future__ import annotations

import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from social.errors import Invalid
from social.models import User

MAX_NAME_LENGTH = 40
# Control characters and line/paragraph separators would break a one-line display name.
_REFUSED_CATEGORIES = {"Cc", "Cs", "Zl", "Zp"}


def clean_name(name: str) -> str:
    """The display name as stored (stripped, NFC); raise Invalid if it is not acceptable."""
    name = unicodedata.normalize("NFC", name.strip())
    if not name:
        raise Invalid("Please choose a name.")
    if len(name) > MAX_NAME_LENGTH:
        raise Invalid(f"A name can be at most {MAX_NAME_LENGTH} characters long.")
    if any(unicodedata.category(char) in _REFUSED_CATEGORIES for char in name):
        raise Invalid("A name cannot contain control characters or line breaks.")
    return name


def name_key(name: str) -> str:
    """The case-insensitive form two names are compared by ("Émile" and "émile" match)."""
    # Done in Python, not SQL: SQLite's lower() only folds ASCII.
    return unicodedata.normalize("NFKC", name).casefold()


def find_user(session: Session, name: str) -> User | None:
    """The user called `name` in any letter case, or None."""
    return session.scalars(select(User).where(User.name_key == name_key(name))).one_or_none()


def get_or_create_user(session: Session, name: str) -> User:
    """The user called `name` (any letter case), created if new; Invalid for a bad name."""
    name = clean_name(name)
    user = find_user(session, name)
    if user is None:
        user = User(name=name, name_key=name_key(name))
        session.add(user)
        session.flush()
    return user
