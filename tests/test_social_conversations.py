"""Saved conversations on SQLite and PostgreSQL: order, ownership, retry trimming."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from social.accounts import sign_up
from social.conversations import (
    append_messages,
    delete_conversation,
    drop_last_messages,
    list_conversations,
    load_messages,
    start_conversation,
)
from social.db import unit_of_work
from social.errors import Forbidden, NotFound


@pytest.fixture
def accounts(engine: Engine) -> Engine:
    with unit_of_work(engine) as session:
        sign_up(session, name="ana", password="correct horse 1")
        sign_up(session, name="bo", password="correct horse 2")
    return engine


def test_messages_come_back_in_order_with_their_json(accounts: Engine) -> None:
    with unit_of_work(accounts) as session:
        chat = start_conversation(session, owner="ana", title="A red fox\nat dawn")
        append_messages(session, chat.token, [{"type": "human", "n": 1}], user="ana")
        append_messages(
            session, chat.token, [{"type": "ai", "n": 2, "nested": {"ü": [1, 2]}}], user="ana"
        )
    with unit_of_work(accounts) as session:
        assert load_messages(session, chat.token, user="ANA") == [
            {"type": "human", "n": 1},
            {"type": "ai", "n": 2, "nested": {"ü": [1, 2]}},
        ]
    assert chat.title == "A red fox at dawn" and len(chat.token) == 32


def test_list_is_per_owner_and_most_recent_first(accounts: Engine) -> None:
    with unit_of_work(accounts) as session:
        first = start_conversation(session, owner="ana", title="first")
        second = start_conversation(session, owner="ana", title="second")
        start_conversation(session, owner="bo", title="bo's")
        start_conversation(session, owner=None, title="a guest's")
    with unit_of_work(accounts) as session:
        append_messages(session, first.token, [{"n": 1}], user="ana")  # first is now newest
    with unit_of_work(accounts) as session:
        titles = [c.title for c in list_conversations(session, owner="ana")]
    assert titles == ["first", "second"]
    assert second.token != first.token


def test_only_the_owner_reads_or_writes_an_account_chat(accounts: Engine) -> None:
    with unit_of_work(accounts) as session:
        chat = start_conversation(session, owner="ana", title="mine")
    for user in ("bo", None):
        with unit_of_work(accounts) as session, pytest.raises(Forbidden):
            load_messages(session, chat.token, user=user)
        with unit_of_work(accounts) as session, pytest.raises(Forbidden):
            append_messages(session, chat.token, [{"n": 1}], user=user)
        with unit_of_work(accounts) as session, pytest.raises(Forbidden):
            delete_conversation(session, chat.token, user=user)


def test_a_guest_chat_is_open_to_whoever_has_its_token(accounts: Engine) -> None:
    with unit_of_work(accounts) as session:
        chat = start_conversation(session, owner=None, title="guest")
        append_messages(session, chat.token, [{"n": 1}], user=None)
    with unit_of_work(accounts) as session:
        assert load_messages(session, chat.token, user=None) == [{"n": 1}]
        with pytest.raises(NotFound):
            load_messages(session, "0" * 32, user=None)


def test_drop_last_messages_removes_only_the_newest(accounts: Engine) -> None:
    with unit_of_work(accounts) as session:
        chat = start_conversation(session, owner="ana", title="retry")
        other = start_conversation(session, owner="ana", title="other")
        append_messages(session, chat.token, [{"n": i} for i in range(5)], user="ana")
        append_messages(session, other.token, [{"n": 9}], user="ana")
    with unit_of_work(accounts) as session:
        drop_last_messages(session, chat.token, 2, user="ana")
    with unit_of_work(accounts) as session:
        assert load_messages(session, chat.token, user="ana") == [{"n": 0}, {"n": 1}, {"n": 2}]
        assert load_messages(session, other.token, user="ana") == [{"n": 9}]


def test_delete_removes_conversation_and_messages(accounts: Engine) -> None:
    with unit_of_work(accounts) as session:
        chat = start_conversation(session, owner="ana", title="bye")
        append_messages(session, chat.token, [{"n": 1}], user="ana")
    with unit_of_work(accounts) as session:
        delete_conversation(session, chat.token, user="ana")
    with unit_of_work(accounts) as session:
        assert list_conversations(session, owner="ana") == []
        with pytest.raises(NotFound):
            load_messages(session, chat.token, user="ana")
