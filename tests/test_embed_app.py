"""examples/embed_app.py: Plaza's chat and feed panels inside another Streamlit app, beside the
host's own widgets, whose keys and state survive every rerun the panels cause."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from social import migrate
from social.accounts import sign_up
from social.db import default_engine, unit_of_work
from social.posts import publish_post
from social.sessions import open_session
from tests.test_plugins import _png
from tests.test_ui_app import markdown_text
from ui.identity import SESSION_KEY, USER_KEY

HOST = str(Path(__file__).parent.parent / "examples" / "embed_app.py")


def _host() -> AppTest:
    return AppTest.from_file(HOST, default_timeout=60)


def test_both_panels_render_beside_the_hosts_widgets_which_keep_their_state() -> None:
    migrate.upgrade(default_engine())
    with unit_of_work(default_engine()) as session:
        sign_up(session, name="Ana", password="correct horse battery")
        publish_post(session, author="Ana", caption="Harbour at noon", image_bytes=_png("teal"))
    at = _host().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Studio notes"
    assert "Plaza feed" in [h.value for h in at.subheader]
    assert "Harbour at noon" in markdown_text(at)
    assert len(at.chat_input) == 1

    at.text_input(key="name").set_value("Rui")
    at.selectbox(key="mood").set_value("inspired")
    at.run()
    at.chat_input[0].set_value("a red fox at dawn").run()
    assert not at.exception, at.exception
    assert [b for b in at.button if b.label == "Share"]  # the chat answered with a picture
    assert at.text_input(key="name").value == "Rui"
    assert at.selectbox(key="mood").value == "inspired"
    visits = at.session_state["visits"]
    assert visits >= 3  # the chat turn may rerun the page once more; the host's count goes on
    assert f"Hello Rui, feeling inspired. Runs this session: {visits}" in markdown_text(at)

    at.segmented_control(key="feed-kind").set_value("Trending").run()
    assert not at.exception, at.exception
    assert at.text_input(key="name").value == "Rui"
    assert "Harbour at noon" in markdown_text(at)


def test_the_panels_restore_the_sign_in_when_the_host_does_not() -> None:
    migrate.upgrade(default_engine())
    with unit_of_work(default_engine()) as session:
        sign_up(session, name="Ana", password="correct horse battery")
        opened = open_session(session, user="Ana")
    at = _host()
    at.session_state[SESSION_KEY] = opened.session_id  # as a cookie would bring it back
    at.run()
    assert not at.exception, at.exception
    assert at.session_state[USER_KEY] == "Ana"
