"""Plaza: chat with the assistant on the left, the shared feed on the right.

On a phone-width screen the two are switchable views, the active one filling the screen."""

import sys
from pathlib import Path

# `streamlit run ui/app.py` puts ui/ on the path, not the project root the packages live in.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st  # noqa: E402

from ui import chat_panel, feed_panel  # noqa: E402
from ui.identity import restore_sign_in  # noqa: E402
from ui.sidebar import sidebar  # noqa: E402
from ui.styles import page_icon, pane_styles  # noqa: E402

# A drawn icon, served by Plaza itself: an icon name or emoji would be fetched from a CDN.
st.set_page_config(page_title="Plaza", page_icon=page_icon(), layout="wide")
restore_sign_in()
sidebar()
with st.container(key="plaza-view-switch"):
    active = st.segmented_control(
        "View", ["Chat", "Feed"], default="Chat", required=True, key="plaza-view",
        label_visibility="collapsed", width="stretch",
    )  # fmt: skip
pane_styles("Feed" if active == "Feed" else "Chat")
chat_column, feed_column = st.columns([3, 2], gap="large")
with chat_column, st.container(key="plaza-chat-pane"):
    chat_panel()
with feed_column, st.container(key="plaza-feed-pane"):
    feed_panel()
