"""The sidebar's personal tokens through AppTest: made and shown once, listed, revoked."""

from __future__ import annotations

from social.db import default_engine, unit_of_work
from social.personal_tokens import list_personal_tokens, user_of_personal_token
from tests.test_ui_app import button, open_section
from tests.test_ui_chat_history import fresh_app, signed_in_app
from ui.personal_tokens import OPEN_KEY


def _tokens(name: str) -> list[str]:
    with unit_of_work(default_engine()) as session:
        return [t.name for t in list_personal_tokens(session, user=name)]


def _owner(token: str) -> str | None:
    with unit_of_work(default_engine()) as session:
        return user_of_personal_token(session, token)


def test_guests_see_no_personal_tokens() -> None:
    at = fresh_app()
    assert "Personal tokens" not in [e.label for e in at.sidebar.expander]


def test_a_token_is_shown_once_listed_and_revoked() -> None:
    at = signed_in_app("ana")
    assert "Personal tokens" in [e.label for e in at.sidebar.expander]
    assert "Create token" not in [b.label for b in at.button]  # made only once opened
    open_section(at, OPEN_KEY)
    button(at, "Create token").click().run()
    assert at.sidebar.error and not at.sidebar.code  # a token needs a name
    assert _tokens("ana") == []

    at.sidebar.text_input(key="personal-token-name").set_value("Desktop assistant")
    button(at, "Create token").click().run()
    assert not at.exception, at.exception
    [shown] = at.sidebar.code
    assert _owner(shown.value) == "ana" and _tokens("ana") == ["Desktop assistant"]
    assert at.sidebar.text_input(key="personal-token-name").value == ""
    assert "Desktop assistant" in "\n".join(m.value for m in at.sidebar.markdown)

    at.run()
    assert not at.sidebar.code  # shown once only
    button(at, "Revoke").click().run()
    assert not at.exception, at.exception
    assert _owner(shown.value) is None and _tokens("ana") == []
    assert not [b for b in at.button if b.label == "Revoke"]
