"""Personal tokens: made once, only a hash kept, listed, revoked, never another user's."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from social.accounts import sign_up
from social.db import unit_of_work
from social.errors import Invalid, NotFound, SignInRequired
from social.models import PersonalToken
from social.personal_tokens import (
    MAX_ACTIVE_TOKENS,
    create_personal_token,
    list_personal_tokens,
    revoke_personal_token,
    user_of_personal_token,
)
from social.users import clean_name, new_user

PASSWORD = "correct horse battery"


@pytest.fixture
def ana(engine: Engine) -> str:
    with unit_of_work(engine) as session:
        sign_up(session, name="Bo", password=PASSWORD)
        return sign_up(session, name="Ana", password=PASSWORD).name


def test_a_token_acts_as_its_owner_and_only_its_hash_is_stored(engine: Engine, ana: str) -> None:
    with unit_of_work(engine) as session:
        made = create_personal_token(session, user=ana, name="Desktop assistant")
    with unit_of_work(engine) as session:
        assert user_of_personal_token(session, made.token) == "Ana"
        stored = session.scalars(select(PersonalToken.token_hash)).all()
        listed = list_personal_tokens(session, user=ana)
    assert made.token not in stored and len(stored) == 1
    assert [(t.id, t.name) for t in listed] == [(made.id, "Desktop assistant")]
    assert listed[0].last_used_at is not None


def test_a_revoked_token_is_refused(engine: Engine, ana: str) -> None:
    with unit_of_work(engine) as session:
        made = create_personal_token(session, user=ana, name="laptop")
    with unit_of_work(engine) as session:
        revoke_personal_token(session, user=ana, token_id=made.id)
    with unit_of_work(engine) as session:
        assert user_of_personal_token(session, made.token) is None
        assert list_personal_tokens(session, user=ana) == []
        with pytest.raises(NotFound):
            revoke_personal_token(session, user=ana, token_id=made.id)


def test_nobody_revokes_or_lists_another_users_token(engine: Engine, ana: str) -> None:
    with unit_of_work(engine) as session:
        made = create_personal_token(session, user=ana, name="laptop")
    with unit_of_work(engine) as session, pytest.raises(NotFound):
        revoke_personal_token(session, user="Bo", token_id=made.id)
    with unit_of_work(engine) as session:
        assert list_personal_tokens(session, user="Bo") == []
        assert user_of_personal_token(session, made.token) == "Ana"


@pytest.mark.parametrize("token", ["", "plaza_", "plaza_wrong", "x" * 10_000, "plaza_" * 1000])
def test_forged_tokens_are_refused(engine: Engine, ana: str, token: str) -> None:
    with unit_of_work(engine) as session:
        create_personal_token(session, user=ana, name="laptop")
    with unit_of_work(engine) as session:
        assert user_of_personal_token(session, token) is None


def test_guests_bad_names_and_too_many_tokens_are_refused(engine: Engine, ana: str) -> None:
    with unit_of_work(engine) as session:
        session.add(new_user(clean_name("Guest")))  # a display name from before accounts
    with unit_of_work(engine) as session, pytest.raises(SignInRequired):
        create_personal_token(session, user="Guest", name="x")
    for name in ["", "  ", "a" * 61, "bad\x00name"]:
        with unit_of_work(engine) as session, pytest.raises(Invalid):
            create_personal_token(session, user=ana, name=name)
    with unit_of_work(engine) as session:
        for number in range(MAX_ACTIVE_TOKENS):
            create_personal_token(session, user=ana, name=f"t{number}")
    with unit_of_work(engine) as session, pytest.raises(Invalid, match="revoke one"):
        create_personal_token(session, user=ana, name="one more")
    with unit_of_work(engine) as session:
        assert len(list_personal_tokens(session, user=ana)) == MAX_ACTIVE_TOKENS
