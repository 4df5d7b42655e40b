"""A host Streamlit app of its own that embeds Plaza's chat and feed panels beside its widgets.

Run it from the project folder: `streamlit run examples/embed_app.py`."""

import sys
from pathlib import Path

# `streamlit run examples/embed_app.py` puts examples/ on the path, not the project root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st  # noqa: E402

from ui import chat_panel, feed_panel  # noqa: E402

st.set_page_config(page_title="Studio notes", layout="wide")
st.title("Studio notes")

# The host's own widgets and state: Plaza's panels must leave them alone.
st.session_state.setdefault("visits", 0)
st.session_state.visits += 1
name = st.text_input("Your name", key="name")
mood = st.selectbox("Today's mood", ["calm", "busy", "inspired"], key="mood")
st.write(f"Hello {name or 'there'}, feeling {mood}. Runs this session: {st.session_state.visits}")

assistant_column, feed_column = st.columns(2, gap="large")
with assistant_column:
    st.subheader("Make a picture")
    chat_panel()
with feed_column:
    feed_panel()
