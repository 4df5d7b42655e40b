"""An operator sets a new password for an account, without the old one (`plaza passwd`)."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from social.accounts import check_new_password, hash_password
from social.db import settings_of
from social.errors import NotFound
from social.models import SignInSession, utcnow
from social.users import clean_name, find_user


def reset_password(session: Session, *, name: str, new_password: str) -> str:
    """Give account `name` a new password and end its sign-ins; returns the account's name."""
    user = find_user(session, clean_name(name))
    if user is None or user.password_hash is None:
        raise NotFound(f"There is no account called {name!r}.")
    user.password_hash = hash_password(check_new_password(new_password), settings_of(session))
    # Whoever knew the old password may be signed in with it: those sessions end now.
    session.execute(
        update(SignInSession)
        .where(SignInSession.user_id == user.id, SignInSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    session.flush()
    return user.name
