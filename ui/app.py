"""Plaza: chat with the assistant on the left, the shared feed on the right."""

import sys
from pathlib import Path

# `streamlit run ui/app.py` puts ui/ on the path, not the project root the packages live in.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st  # noqa: E402

from ui import chat_panel, feed_panel  # noqa: E402
from ui.sidebar import sidebar  # noqa: E402

st.set_page_config(page_title="Plaza", page_icon="🟠", layout="wide")
sidebar()
chat_column, feed_column = st.columns([3, 2], gap="large")
with chat_column:
    st.subheader("Create")
    chat_panel()
with feed_column:
    feed_panel()
