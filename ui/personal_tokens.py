"""The sidebar's personal tokens: make one for an outside assistant (shown once), list, revoke."""

from __future__ import annotations

import streamlit as st

from social.personal_tokens import (
    MAX_NAME_LENGTH,
    create_personal_token,
    list_personal_tokens,
    revoke_personal_token,
)
from ui.format import plain, relative_time
from ui.identity import signed_in_user
from ui.lazy_expander import lazy_expander
from ui.social_calls import act, load, show_error

NAME_KEY = "personal-token-name"
OPEN_KEY = "personal-tokens-open"
NEW_KEY = "personal_token_new"
WHERE = "personal-tokens"


def personal_tokens_section() -> None:
    """For a signed-in user: tokens that let another assistant (over MCP) post as them."""
    user = signed_in_user()
    if user is None:
        return
    with lazy_expander("Personal tokens", key=OPEN_KEY, icon=":material/key:") as shown:
        if not shown:
            return
        st.caption("Let another assistant (an MCP client) read and post as you. Revoke a token "
                   "to cut it off at once.")  # fmt: skip
        st.text_input("Token name", key=NAME_KEY, max_chars=MAX_NAME_LENGTH,
                      placeholder="e.g. Desktop assistant")  # fmt: skip
        st.button("Create token", key="create-personal-token", on_click=_create, args=(user,))
        show_error(WHERE)
        if new := st.session_state.pop(NEW_KEY, None):
            st.success(f"Token **{plain(new.name)}**: copy it now, it is not shown again.")
            st.code(new.token, language=None)
        for token in load(lambda s: list_personal_tokens(s, user=user)) or []:
            used = relative_time(token.last_used_at) if token.last_used_at else "never"
            label, revoke = st.columns([3, 1], vertical_alignment="center")
            label.markdown(f"**{plain(token.name)}**  \nmade {relative_time(token.created_at)}, "
                           f"last used {used}")  # fmt: skip
            revoke.button("Revoke", key=f"revoke-personal-token-{token.id}", on_click=_revoke,
                          args=(user, token.id))  # fmt: skip


def _create(user: str) -> None:
    name = st.session_state.get(NAME_KEY, "")
    made = act(WHERE, lambda s: create_personal_token(s, user=user, name=name))
    if made is not None:
        st.session_state[NEW_KEY] = made
        st.session_state[NAME_KEY] = ""


def _revoke(user: str, token_id: int) -> None:
    act(WHERE, lambda s: revoke_personal_token(s, user=user, token_id=token_id))
