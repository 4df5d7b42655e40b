"""Saved chats through AppTest: a reload finds the conversation, failures and all, and a
signed-in user reopens older chats from the sidebar."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from social import migrate
from social.accounts import sign_up
from social.db import default_engine, unit_of_work
from tests.test_ui_app import APP, ask, open_section, signed_in, turns
from tests.test_ui_social import labels
from ui.chat_history import OPEN_KEY


def fresh_app(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def signed_in_app(name: str) -> AppTest:
    """The page with `name` signed up and signed in (the account made directly in social)."""
    migrate.upgrade(default_engine())
    with unit_of_work(default_engine()) as session:
        sign_up(session, name=name, password="correct horse 1")
    at = AppTest.from_file(APP, default_timeout=60)
    return signed_in(at, name).run()


def test_reload_with_the_chat_link_restores_the_conversation() -> None:
    first = fresh_app()
    ask(first, "make me 2 square options of a red barn")
    ask(first, "write alt text")
    token = first.query_params["chat"]
    before = turns(first)

    reloaded = fresh_app(chat=token)

    after = turns(reloaded)
    assert [t.role for t in after] == ["user", "assistant", "user", "assistant"]
    assert [i.sha256 for i in after[1].images] == [i.sha256 for i in before[1].images]
    assert after[3].alt_text == before[3].alt_text and after[3].alt_text
    assert labels(reloaded).count("Share") == 2
    assert len(reloaded.image) == 2

    ask(reloaded, "make the first one black and white")  # the agent remembers the images
    calls = [m for m in reloaded.session_state["history"] if getattr(m, "tool_calls", None)]
    assert calls[-1].tool_calls[0]["args"]["image_ref"] == after[1].images[0].ref


def test_a_failed_turn_survives_a_reload_and_can_be_retried(openai_server, monkeypatch) -> None:
    monkeypatch.setenv("PLAZA_MAX_RETRIES", "0")
    openai_server.fail_next(status=500, route="chat")
    first = ask(fresh_app(), "a lighthouse at night")
    token = first.query_params["chat"]
    assert first.error

    reloaded = fresh_app(chat=token)
    assert turns(reloaded)[0].text == "a lighthouse at night"
    assert reloaded.error and "Retry" in labels(reloaded)

    openai_server.queue_chat_text("All good this time.")
    next(b for b in reloaded.button if b.label == "Retry").click().run()
    assert not reloaded.error
    again = fresh_app(chat=token)
    assert [t.role for t in turns(again)] == ["user", "assistant"]
    assert "All good this time." in turns(again)[1].text


def test_signed_in_user_reopens_older_chats_from_the_sidebar() -> None:
    at = signed_in_app("ana")
    ask(at, "a red fox at dawn")
    next(b for b in at.sidebar.button if b.label.startswith("New chat")).click().run()
    assert turns(at) == []
    ask(at, "a blue whale")
    assert not [b for b in at.sidebar.button if " · " in b.label]  # listed once opened

    open_section(at, OPEN_KEY)
    chats = [b.label for b in at.sidebar.button if " · " in b.label]
    assert [c.split(" · ")[0] for c in chats] == ["a blue whale", "a red fox at dawn"]
    next(b for b in at.sidebar.button if b.label.startswith("a red fox")).click().run()
    assert turns(at)[0].text == "a red fox at dawn"


def test_someone_elses_chat_link_is_refused() -> None:
    at = signed_in_app("ana")
    token = ask(at, "private idea").query_params["chat"]

    stranger = fresh_app(chat=token)
    assert turns(stranger) == []
    assert "belongs to someone else" in stranger.warning[0].value
