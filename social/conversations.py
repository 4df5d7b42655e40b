"""Saved conversations: the assistant's messages as opaque JSON, owned by an account or, for a
guest, by whoever holds the conversation's token (its permalink)."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from social.errors import Forbidden, NotFound
from social.models import ChatMessage, Conversation, User, as_utc, utcnow
from social.users import find_user

MAX_TITLE_LENGTH = 120
MAX_LISTED = 50
_TOKEN = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class ConversationInfo:
    """What the chat list shows of a conversation."""

    token: str
    title: str
    owner: str | None
    created_at: datetime
    updated_at: datetime


def _info(conversation: Conversation, owner: str | None) -> ConversationInfo:
    return ConversationInfo(
        token=conversation.token,
        title=conversation.title,
        owner=owner,
        created_at=as_utc(conversation.created_at),
        updated_at=as_utc(conversation.updated_at),
    )


def _user(session: Session, name: str) -> User:
    user = find_user(session, name)
    if user is None:
        raise NotFound(f"There is no user called {name!r}.")
    return user


def _open(session: Session, token: str, user: str | None) -> Conversation:
    """The conversation of `token`, if `user` may see it (its owner; anyone for a guest chat)."""
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        raise NotFound("That conversation does not exist (any more).")
    conversation = session.scalars(
        select(Conversation).where(Conversation.token == token)
    ).one_or_none()
    if conversation is None:
        raise NotFound("That conversation does not exist (any more).")
    if conversation.owner_id is not None:
        if user is None or _user(session, user).id != conversation.owner_id:
            raise Forbidden("That conversation belongs to someone else.")
    return conversation


def _title(title: str) -> str:
    # A title is made from the first message, so it is tidied rather than refused.
    text = " ".join("".join(ch for ch in title if ch.isprintable() or ch.isspace()).split())
    if len(text) > MAX_TITLE_LENGTH:
        text = text[: MAX_TITLE_LENGTH - 1].rstrip() + "…"
    return text or "New chat"


def start_conversation(session: Session, *, owner: str | None, title: str) -> ConversationInfo:
    """A new, empty conversation of `owner` (an account name) or of a guest (None)."""
    conversation = Conversation(
        token=secrets.token_hex(16),
        owner_id=_user(session, owner).id if owner else None,
        title=_title(title),
    )
    session.add(conversation)
    session.flush()
    return _info(conversation, owner)


def append_messages(
    session: Session, token: str, payloads: list[dict[str, Any]], *, user: str | None
) -> None:
    """Add messages to the end of a conversation the user may see."""
    conversation = _open(session, token, user)
    session.add_all(ChatMessage(conversation_id=conversation.id, payload=p) for p in payloads)
    conversation.updated_at = utcnow()
    session.flush()


def load_messages(session: Session, token: str, *, user: str | None) -> list[dict[str, Any]]:
    """Every message of the conversation, oldest first."""
    conversation = _open(session, token, user)
    return list(
        session.scalars(
            select(ChatMessage.payload)
            .where(ChatMessage.conversation_id == conversation.id)
            .order_by(ChatMessage.id)
        )
    )


def drop_last_messages(session: Session, token: str, count: int, *, user: str | None) -> None:
    """Remove the newest `count` messages (a failed turn about to be retried)."""
    conversation = _open(session, token, user)
    newest = (
        select(ChatMessage.id)
        .where(ChatMessage.conversation_id == conversation.id)
        .order_by(ChatMessage.id.desc())
        .limit(count)
    )
    session.execute(delete(ChatMessage).where(ChatMessage.id.in_(newest.scalar_subquery())))


def list_conversations(session: Session, *, owner: str, limit: int = 20) -> list[ConversationInfo]:
    """The owner's conversations, most recently active first."""
    user = _user(session, owner)
    rows = session.scalars(
        select(Conversation)
        .where(Conversation.owner_id == user.id)
        .order_by(Conversation.updated_at.desc(), Conversation.id.desc())
        .limit(max(1, min(limit, MAX_LISTED)))
    )
    return [_info(row, user.name) for row in rows]


def delete_conversation(session: Session, token: str, *, user: str | None) -> None:
    """Delete a conversation and its messages (images stay: posts may use them)."""
    conversation = _open(session, token, user)
    session.execute(delete(ChatMessage).where(ChatMessage.conversation_id == conversation.id))
    session.delete(conversation)


def adopt_conversation(session: Session, token: str, *, user: str) -> None:
    """Make a guest's conversation the account's own (the guest just signed up or in)."""
    conversation = _open(session, token, user)
    if conversation.owner_id is None:
        conversation.owner_id = _user(session, user).id
        session.flush()
