"""Small presentation helpers: relative times, labels, and user and model text on the page."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import streamlit as st

from social.models import as_utc
from ui.rendering import model_text_html, user_text_html

MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$])")
# An invisible word joiner after every ":" keeps `:material/…:` icons from forming: Streamlit
# finds them in the text after markdown escapes are undone, so a backslash cannot stop them.
WORD_JOINER = "\u2060"


def relative_time(moment: datetime, now: datetime | None = None) -> str:
    """'just now', '5 min ago', '3 h ago', '2 d ago' or a date for older moments."""
    now = now or datetime.now(UTC)
    moment = as_utc(moment)
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 45:
        return "just now"
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    if seconds < 7 * 86400:
        return f"{seconds // 86400} d ago"
    return moment.strftime("%-d %b %Y")


def plain(text: str) -> str:
    """Text escaped for a markdown label (a button's), so a name shows as typed: no markdown
    and none of Streamlit's `:material/…:` or `:red[…]` directives take effect."""
    escaped = MARKDOWN_SPECIALS.sub(r"\\\1", text).replace(":", ":" + WORD_JOINER)
    # Two trailing spaces keep single line breaks; blank lines stay blank (paragraphs).
    return "\n".join(f"{line}  " if line.strip() else "" for line in escaped.split("\n")).rstrip()


def _kept_params() -> dict[str, str]:
    # Links to Plaza's pages keep the open chat, so following one never loses the conversation.
    chat = st.query_params.get("chat")
    return {"chat": chat} if chat else {}


def show_text(text: str, *, small: bool = False) -> None:
    """Show what a person typed, exactly as typed (see `ui.rendering.user_text_html`)."""
    st.html(user_text_html(text, _kept_params(), small=small))


def show_answer(markdown: str) -> None:
    """Show what a model wrote, sanitised (see `ui.rendering.model_text_html`)."""
    st.html(model_text_html(markdown, _kept_params()))
