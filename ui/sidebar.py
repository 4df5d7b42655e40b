"""The sidebar: your account, your conversations, which engines answer."""

from __future__ import annotations

import streamlit as st

from ui.account_sidebar import account_section
from ui.chat_history import chat_history_sidebar
from ui.personal_tokens import personal_tokens_section
from ui.relations_sidebar import relations_section
from ui.resources import assistant
from ui.sidebar_state import sidebar_run


def sidebar() -> None:
    """Account (sign in/up/out, notifications), saved chats and the provider label."""
    sidebar_run()
    with st.sidebar:
        st.title("Plaza")
        account_section()
        personal_tokens_section()
        relations_section()
        st.divider()
        chat_history_sidebar()
        st.divider()
        providers, _agent = assistant()
        if providers.offline:
            st.info(providers.label, icon=":material/cloud_off:")
        else:
            st.success(providers.label, icon=":material/cloud:")
