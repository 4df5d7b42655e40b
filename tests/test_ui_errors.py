"""An unexpected error shows a short message with an id to quote, never a traceback; the
whole error goes to the log under that id."""

from __future__ import annotations

import logging
import re

import pytest
from streamlit.testing.v1 import AppTest


def _page_that_fails() -> None:
    from ui.errors import show_unexpected_error

    try:
        raise RuntimeError("secret SQL: SELECT * FROM users")
    except RuntimeError as error:
        assert show_unexpected_error(error) is True  # Streamlit's own display is suppressed


def test_an_unexpected_error_shows_an_id_and_logs_the_details(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR, logger="plaza"):
        at = AppTest.from_function(_page_that_fails).run()
    [shown] = [e.value for e in at.error]
    error_id = re.search(r"error id ([0-9a-f]{8})", shown)
    assert error_id and "SELECT" not in shown and "Traceback" not in shown
    [record] = [r for r in caplog.records if error_id.group(1) in r.getMessage()]
    assert record.exc_info and "secret SQL" in str(record.exc_info[1])


def test_the_server_shows_every_script_error_that_way() -> None:
    from ui.errors import show_unexpected_error
    from ui.server import app

    assert app._on_script_error is show_unexpected_error
