"""Server-side sign-in sessions: the browser holds an opaque token, the database its hash.

Signing in happens on the page (a websocket, which cannot set cookies), so it makes a session
with a one-time *handoff code*; the page hands the code to the server's cookie route, which
claims it and answers with the session token in an HttpOnly cookie. Signing out revokes the row,
so a copied cookie stops working everywhere at once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from social.accounts import account_user
from social.db import settings_of
from social.errors import Invalid
from social.models import SignInSession, User, as_utc, utcnow
from social.secret_tokens import MAX_TOKEN_LENGTH, token_digest

HANDOFF_SECONDS = 120
# Writing "last seen" on every page view would make each read a write: once a minute is enough.
SEEN_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class NewSignIn:
    """A session just opened on the page: its id, and the code that fetches its cookie."""

    session_id: int
    user: str
    handoff_code: str


def open_session(session: Session, *, user: str) -> NewSignIn:
    """Start a session for account `user`; its cookie is fetched with the handoff code."""
    account = account_user(session, user)
    now = utcnow()
    code = secrets.token_urlsafe(32)
    row = SignInSession(
        # A placeholder nobody knows: the real token is made when the code is claimed.
        token_hash=token_digest(secrets.token_urlsafe(32)),
        user_id=account.id,
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(days=settings_of(session).plaza_session_days),
        handoff_hash=token_digest(code),
        handoff_expires_at=now + timedelta(seconds=HANDOFF_SECONDS),
    )
    session.add(row)
    session.flush()
    return NewSignIn(session_id=row.id, user=account.name, handoff_code=code)


def claim_handoff(session: Session, code: str) -> tuple[str, datetime]:
    """The session token (and its expiry) for a handoff code; each code works once, briefly."""
    row = _by(session, SignInSession.handoff_hash, code)
    now = utcnow()
    if row is None or row.handoff_expires_at is None or as_utc(row.handoff_expires_at) < now:
        raise Invalid("That sign-in link has expired; please sign in again.")
    if not _active(row, now):
        raise Invalid("That sign-in has ended; please sign in again.")
    token = secrets.token_urlsafe(32)
    row.token_hash = token_digest(token)
    row.handoff_hash = None
    row.handoff_expires_at = None
    session.flush()
    return token, as_utc(row.expires_at)


def user_of_token(session: Session, token: str) -> tuple[int, str] | None:
    """(session id, account name) of a cookie's token, or None if forged, expired or revoked."""
    row = _by(session, SignInSession.token_hash, token)
    return _seen(session, row)


def user_of_session(session: Session, session_id: int) -> str | None:
    """The account of session `session_id` while it is active, else None."""
    found = _seen(session, session.get(SignInSession, session_id))
    return found[1] if found else None


def end_session(
    session: Session, *, session_id: int | None = None, token: str | None = None
) -> None:
    """Revoke a session (by id or by its token); its cookie is refused from now on."""
    row = session.get(SignInSession, session_id) if session_id is not None else None
    if row is None and token:
        row = _by(session, SignInSession.token_hash, token)
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        session.flush()


def _by(session: Session, column: InstrumentedAttribute[Any], secret: str) -> SignInSession | None:
    if not secret or len(secret) > MAX_TOKEN_LENGTH:
        return None
    return session.scalars(
        select(SignInSession).where(column == token_digest(secret))
    ).one_or_none()


def _active(row: SignInSession, now: datetime) -> bool:
    return row.revoked_at is None and as_utc(row.expires_at) > now


def _seen(session: Session, row: SignInSession | None) -> tuple[int, str] | None:
    now = utcnow()
    if row is None or not _active(row, now):
        return None
    user = session.get(User, row.user_id)
    if user is None or user.password_hash is None:
        return None
    if now - as_utc(row.last_seen_at) > SEEN_RESOLUTION:
        row.last_seen_at = now
        session.flush()
    return row.id, user.name
