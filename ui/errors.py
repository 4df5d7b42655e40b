"""One place that turns an unexpected error into a short message: logged in full, never shown."""

from __future__ import annotations

import logging
import secrets

import streamlit as st

LOG = logging.getLogger("plaza")


def configure_logging() -> None:
    """Plaza's one logging configuration: timestamped lines on standard error."""
    if not LOG.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        LOG.addHandler(handler)
        LOG.setLevel(logging.INFO)


def show_unexpected_error(error: Exception) -> bool:
    """Log `error` with an id and show the person that id instead of a traceback."""
    configure_logging()
    error_id = secrets.token_hex(4)
    LOG.error("unexpected error %s", error_id, exc_info=error)
    st.error(
        f"Something went wrong on our side. Please try again; if it keeps happening, "
        f"quote error id {error_id}.",
        icon=":material/error:",
    )
    return True  # suppress Streamlit's own traceback display
