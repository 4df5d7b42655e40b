"""Personal tokens: a user lets an outside assistant (an MCP client, a script) act as them.

Each token has a name the user chose, is shown once when made, and can be revoked at any time;
the database keeps only its SHA-256, so a leaked database holds no usable token.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from social.accounts import account_user
from social.errors import Invalid, NotFound
from social.models import PersonalToken, User, as_utc, utcnow
from social.secret_tokens import MAX_TOKEN_LENGTH, token_digest
from social.text import clean_text

PREFIX = "plaza_"
MAX_NAME_LENGTH = 60
MAX_ACTIVE_TOKENS = 20


@dataclass(frozen=True)
class PersonalTokenView:
    """A token as its owner sees it in their list: never the token itself."""

    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None


@dataclass(frozen=True)
class NewPersonalToken:
    """A token just made: `token` is shown to its owner this once and never again."""

    id: int
    name: str
    token: str


def create_personal_token(session: Session, *, user: str, name: str) -> NewPersonalToken:
    """Make a token named `name` that acts as account `user`; its text is returned once."""
    owner = account_user(session, user)
    name = clean_text(name, "token name", max_length=MAX_NAME_LENGTH, required=True)
    active = session.scalar(
        select(func.count())
        .select_from(PersonalToken)
        .where(PersonalToken.user_id == owner.id, PersonalToken.revoked_at.is_(None))
    )
    if (active or 0) >= MAX_ACTIVE_TOKENS:
        raise Invalid(
            f"You have {MAX_ACTIVE_TOKENS} personal tokens already; revoke one you no longer use."
        )
    token = PREFIX + secrets.token_urlsafe(32)
    row = PersonalToken(user_id=owner.id, name=name, token_hash=token_digest(token))
    session.add(row)
    session.flush()
    return NewPersonalToken(id=row.id, name=name, token=token)


def list_personal_tokens(session: Session, *, user: str) -> list[PersonalTokenView]:
    """The tokens of `user` still in force, newest first."""
    owner = account_user(session, user)
    rows = session.scalars(
        select(PersonalToken)
        .where(PersonalToken.user_id == owner.id, PersonalToken.revoked_at.is_(None))
        .order_by(PersonalToken.id.desc())
    )
    return [
        PersonalTokenView(
            id=row.id,
            name=row.name,
            created_at=as_utc(row.created_at),
            last_used_at=as_utc(row.last_used_at) if row.last_used_at else None,
        )
        for row in rows
    ]


def revoke_personal_token(session: Session, *, user: str, token_id: int) -> None:
    """Revoke `user`'s token `token_id`: it is refused everywhere from now on."""
    owner = account_user(session, user)
    row = session.get(PersonalToken, token_id)
    # Someone else's token id gets the same answer as a missing one: ids reveal nothing.
    if row is None or row.user_id != owner.id or row.revoked_at is not None:
        raise NotFound("There is no such personal token (it may be revoked already).")
    row.revoked_at = utcnow()
    session.flush()


def user_of_personal_token(session: Session, token: str) -> str | None:
    """The account name a token acts as, or None if it is unknown, revoked or malformed."""
    if not isinstance(token, str) or not token.startswith(PREFIX):
        return None
    if len(token) > MAX_TOKEN_LENGTH:
        return None
    row = session.scalars(
        select(PersonalToken).where(PersonalToken.token_hash == token_digest(token))
    ).one_or_none()
    if row is None or row.revoked_at is not None:
        return None
    user = session.get(User, row.user_id)
    if user is None or user.password_hash is None:
        return None
    row.last_used_at = utcnow()
    session.flush()
    return user.name
