"""The baseline page for `bench.like_click`: Plaza's page layout and feed cards as a bare
Streamlit script, with no database behind it. A Like click adds one to a count in session_state.

The cards come in `st.session_state["cards"]`, each with `image` (the thumbnail's bytes),
`author`, `age` and `caption`; the script makes, per card, the same elements Plaza's card
makes (containers, image, buttons, HTML, popover), and around them the same page furniture
(sidebar, columns, chat message and input, feed tabs and search fields).
"""

import html

import streamlit as st

st.set_page_config(page_title="Bare", layout="wide")
state = st.session_state
cards = state.get("cards", [])
likes = state.setdefault("likes", {})


def toggle(index: int) -> None:
    likes[index] = 1 - likes.get(index, 0)  # like, then unlike, as Plaza's button does


with st.sidebar:
    st.title("Bare")
    st.markdown("Signed in as **@viewer**")
    st.divider()
    with st.expander("Account"):
        st.caption("Settings")
        st.text_input("Display name", key="bare-name")
    for label in ("Notifications", "Profile", "Tokens", "New chat", "Sign out"):
        st.button(label, key=f"bare-{label}")
    st.divider()
    st.info("Chats")
with st.container(key="bare-switch"):
    st.segmented_control("View", ["Chat", "Feed"], default="Chat", key="bare-view")
chat_column, feed_column = st.columns([3, 2], gap="large")
with chat_column, st.container():
    st.caption("Offline mode")
    with st.container(), st.chat_message("assistant"):
        st.markdown("Describe a picture")
        with st.container():
            for number in range(4):
                st.button(f"Example {number}", key=f"bare-example-{number}")
    st.chat_input("Describe an image")
with feed_column, st.container(), st.container():
    st.subheader("Bare feed")
    st.segmented_control("Feed", ["Latest", "Following"], default="Latest", key="bare-kind")
    with st.container(height=720, border=False):
        st.text_input("Search the feed", key="bare-search")
        with st.expander("Filters"):
            for row in (("Author", "Hashtag"), ("From", "Until")):
                for column, label in zip(st.columns(2), row, strict=True):
                    with column:
                        st.text_input(label, key=f"bare-{label}")
            st.text_input("Steer", key="bare-steer")
        for index, card in enumerate(cards):
            count = likes.get(index, 0)
            with st.container(border=True, key=f"bare-post-{index}"):
                with st.container(gap=None):
                    st.image(card.image, width="stretch")
                    st.button("Open post", key=f"bare-{index}-open")
                with st.container(horizontal=True, vertical_alignment="center", gap="small"):
                    st.button(f"**@{card.author}**", key=f"bare-{index}-author", type="tertiary")
                    st.button(f":gray[{card.age}]", key=f"bare-{index}-link", type="tertiary")
                    st.html('<span title="AI-generated">AI</span>', width="content")
                st.html(f"<p>{html.escape(card.caption)}</p>")
                with st.container(horizontal=True, vertical_alignment="center", gap="small"):
                    like = f"bare-{index}-like"
                    st.button(f"♥ {count}", key=like, on_click=toggle, args=(index,))
                    st.button("0 comments", key=f"bare-{index}-comments")
                    st.button("Remix", key=f"bare-{index}-remix")
                    with st.popover("", icon=":material/more_horiz:", type="tertiary"):
                        st.text_input("Why?", key=f"bare-{index}-reason")
                        st.button("Report post", key=f"bare-{index}-report")
