"""The sidebar's list of the people one blocked or muted, each with Undo."""

from __future__ import annotations

import streamlit as st

from social.relations import Relation, related_names, set_relation
from ui.format import plain
from ui.identity import signed_in_user
from ui.lazy_expander import lazy_expander
from ui.sidebar_state import sidebar_changed
from ui.social_calls import act, load, show_error

WHERE = "relations"
OPEN_KEY = "relations-open"
HEADINGS: dict[Relation, str] = {"block": "Blocked", "mute": "Muted"}


def relations_section() -> None:
    """For a signed-in user: whom they block and mute, and a button to undo each."""
    user = signed_in_user()
    if user is None:
        return
    with lazy_expander("Blocked and muted", key=OPEN_KEY, icon=":material/block:") as shown:
        if not shown:
            return
        show_error(WHERE)
        for relation, heading in HEADINGS.items():
            names = load(lambda s, r=relation: related_names(s, user=user, relation=r)) or []
            st.caption(f"{heading}: nobody" if not names else heading)
            for name in names:
                label, undo = st.columns([3, 1], vertical_alignment="center")
                label.markdown(f"@{plain(name)}")
                undo.button(
                    "Undo",
                    key=f"un{relation}-{name}",
                    help=f"Un{relation} @{name}",
                    on_click=_undo,
                    args=(user, name, relation),
                )


def _undo(user: str, name: str, relation: Relation) -> None:
    undone = act(
        WHERE, lambda s: set_relation(s, user=user, name=name, relation=relation, active=False)
    )
    if undone is not None:
        sidebar_changed()  # their notifications show again
