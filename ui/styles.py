"""Plaza's few CSS rules, scoped to its own keyed containers so a host app's page is untouched."""

from __future__ import annotations

from typing import Literal

import streamlit as st
from PIL import Image, ImageDraw

Pane = Literal["Chat", "Feed"]
PHONE_WIDTH_PX = 640

_PANES = """
<style>
.stMainBlockContainer { padding-top: 4rem; }
/* Chat and feed scroll on their own; the chat input stays in view under the messages. */
.st-key-plaza-chat-scroll, .st-key-plaza-feed-scroll {
  height: calc(100dvh - 15rem) !important; max-height: none !important; min-height: 16rem;
}
.st-key-plaza-feed-scroll { height: calc(100dvh - 12rem) !important; }
.st-key-plaza-view-switch { display: none; }
@media (max-width: 640px) {
  .st-key-plaza-view-switch { display: block; }
  .st-key-plaza-chat-scroll { height: calc(100dvh - 17rem) !important; }
  .st-key-plaza-feed-scroll { height: calc(100dvh - 15rem) !important; }
  .st-key-plaza-HIDDEN-pane { display: none !important; }
  [data-testid="stColumn"]:has(> div > .st-key-plaza-HIDDEN-pane) { display: none !important; }
}
</style>
"""

_CARDS = """
<style>
/* A post's image is its link: an invisible button covers it. */
[class*="st-key-plaza-open-"] { position: relative; }
[class*="st-key-plaza-open-"] [data-testid="stElementContainer"]:has(.stButton) {
  position: absolute; inset: 0; z-index: 1; margin: 0;
}
[class*="st-key-plaza-open-"] .stButton, [class*="st-key-plaza-open-"] .stButton button {
  width: 100%; height: 100%; opacity: 0; cursor: pointer;
}
[class*="st-key-plaza-open-"] img { border-radius: 0.5rem; }
.plaza-badge {
  display: inline-block; font-size: 0.7rem; font-weight: 600; padding: 0 0.4rem;
  border-radius: 0.6rem; background: #1F1B16; color: #fff; line-height: 1.2rem;
}
.plaza-text { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; }
.plaza-small { font-size: 0.875rem; opacity: 0.75; }
/* Grids of posts (a profile, a post's remixes) have square tiles. */
[class*="st-key-plaza-open-"][class*="-tile-"] img { aspect-ratio: 1 / 1; object-fit: cover; }
.plaza-text a, .plaza-answer a { color: #C2410C; text-decoration: none; font-weight: 500; }
.plaza-text a:hover, .plaza-answer a:hover { text-decoration: underline; }
.plaza-answer p:last-child { margin-bottom: 0; }
</style>
"""


@st.cache_resource(show_spinner=False)
def page_icon() -> Image.Image:
    """Plaza's favicon: an orange disc, drawn here so the browser fetches nothing outside."""
    icon = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    ImageDraw.Draw(icon).ellipse((4, 4, 60, 60), fill="#E4572E")
    return icon


def pane_styles(active: Pane) -> None:
    """Independent scrolling for both panes; on a phone only the `active` pane shows."""
    hidden = "feed" if active == "Chat" else "chat"
    st.html(_PANES.replace("HIDDEN", hidden))


def card_styles() -> None:
    """Clickable post images, the AI badge and small print."""
    st.html(_CARDS)
