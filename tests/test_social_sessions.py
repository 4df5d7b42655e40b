"""Server-side sign-in sessions: a token survives reloads, expires, and is revoked on sign-out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select, update

from social.accounts import sign_up
from social.db import unit_of_work
from social.errors import Invalid, SignInRequired
from social.models import SignInSession, utcnow
from social.sessions import (
    claim_handoff,
    end_session,
    open_session,
    user_of_session,
    user_of_token,
)

PASSWORD = "correct horse battery"


@pytest.fixture
def ana(engine: Engine) -> str:
    with unit_of_work(engine) as session:
        return sign_up(session, name="Ana", password=PASSWORD).name


def _signed_in(engine: Engine, user: str) -> tuple[int, str]:
    """Open a session and claim its cookie token, as the page and the cookie route do."""
    with unit_of_work(engine) as session:
        opened = open_session(session, user=user)
    with unit_of_work(engine) as session:
        token, _expires = claim_handoff(session, opened.handoff_code)
    return opened.session_id, token


def test_a_token_signs_in_again_after_a_reload(engine: Engine, ana: str) -> None:
    session_id, token = _signed_in(engine, ana)
    for _reload in range(3):  # a reload, a new tab, tomorrow: the same cookie
        with unit_of_work(engine) as session:
            assert user_of_token(session, token) == (session_id, "Ana")
    with unit_of_work(engine) as session:
        assert user_of_session(session, session_id) == "Ana"
        stored = session.scalars(select(SignInSession.token_hash)).one()
    assert token not in stored  # only a hash is kept


def test_a_handoff_code_works_once(engine: Engine, ana: str) -> None:
    with unit_of_work(engine) as session:
        opened = open_session(session, user=ana)
    with unit_of_work(engine) as session:
        claim_handoff(session, opened.handoff_code)
    with pytest.raises(Invalid), unit_of_work(engine) as session:
        claim_handoff(session, opened.handoff_code)


def test_an_old_handoff_code_is_refused(engine: Engine, ana: str) -> None:
    with unit_of_work(engine) as session:
        opened = open_session(session, user=ana)
        row = session.get(SignInSession, opened.session_id)
        assert row is not None and row.handoff_expires_at is not None
        row.handoff_expires_at -= timedelta(minutes=5)
    with pytest.raises(Invalid), unit_of_work(engine) as session:
        claim_handoff(session, opened.handoff_code)


def test_sign_out_revokes_the_token_everywhere(engine: Engine, ana: str) -> None:
    session_id, token = _signed_in(engine, ana)
    other_tab_id, other_token = _signed_in(engine, ana)
    with unit_of_work(engine) as session:
        end_session(session, token=token)
    with unit_of_work(engine) as session:
        assert user_of_token(session, token) is None
        assert user_of_session(session, session_id) is None
        # Another browser's own sign-in is a session of its own and stays.
        assert user_of_token(session, other_token) == (other_tab_id, "Ana")


def test_an_expired_session_is_refused(engine: Engine, ana: str) -> None:
    session_id, token = _signed_in(engine, ana)
    with unit_of_work(engine) as session:
        session.execute(
            update(SignInSession)
            .where(SignInSession.id == session_id)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    with unit_of_work(engine) as session:
        assert user_of_token(session, token) is None
        assert user_of_session(session, session_id) is None


@pytest.mark.parametrize("forged", ["", "x", "A" * 43, "A" * 10_000, "\x00", "\ud800"])
def test_a_forged_token_is_refused(engine: Engine, ana: str, forged: str) -> None:
    _signed_in(engine, ana)
    with unit_of_work(engine) as session:
        assert user_of_token(session, forged) is None


def test_only_accounts_get_sessions(engine: Engine) -> None:
    with pytest.raises(SignInRequired), unit_of_work(engine) as session:
        open_session(session, user="nobody")
