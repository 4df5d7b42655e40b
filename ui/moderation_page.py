"""The moderators' page (`?view=moderation`): the queue of reported posts and comments, with
hide, restore, dismiss and suspend, each with a reason; and the suspended accounts.

Only moderators see its sidebar entry; `social` refuses everyone else whatever the URL says.
"""

from __future__ import annotations

import streamlit as st

from social.moderators import (
    ReportedItem,
    dismiss_reports,
    hide_item,
    is_moderator,
    moderation_queue,
    restore_item,
    suspend_account,
    suspended_accounts,
    unsuspend_account,
)
from ui.format import plain, relative_time, show_text
from ui.navigation import back_to_feed_button, open_moderation, open_post
from ui.sidebar_state import sidebar_changed
from ui.social_calls import act, load, show_error

WHERE = "moderation"


def moderation_entry(open_reports: int) -> None:
    """The sidebar button to the moderators' page, with the `open_reports` count as its badge."""
    label = f"Moderation :orange-badge[{open_reports} open]" if open_reports else "Moderation"
    if st.button(label, key="open-moderation", icon=":material/shield:", width="stretch"):
        open_moderation()
        st.rerun(scope="app")  # the social column is outside the badges' fragment


def render_moderation_page(viewer: str | None) -> None:
    """The queue, oldest first, and the suspended accounts."""
    back_to_feed_button("moderation-back")
    st.subheader("Moderation")
    if viewer is None or not load(lambda s: is_moderator(s, viewer)):
        st.info("Only moderators can see this page.")
        return
    show_error(WHERE)
    queue = load(lambda s: moderation_queue(s, moderator=viewer)) or []
    if not queue:
        st.info("No open reports.")
    for item in queue:
        _render_item(item, viewer)
    suspended = load(lambda s: suspended_accounts(s, moderator=viewer)) or []
    if suspended:
        st.markdown("**Suspended accounts**")
    for account in suspended:
        label, lift = st.columns([3, 1], vertical_alignment="center")
        label.markdown(
            f"@{plain(account.name)} · {plain(account.reason)} · "
            f":gray[{relative_time(account.since)}]"
        )
        lift.button(
            "Unsuspend",
            key=f"unsuspend-{account.name}",
            on_click=_unsuspend,
            args=(viewer, account.name),
        )


def _render_item(item: ReportedItem, viewer: str) -> None:
    key = f"mod-{item.kind}-{item.item_id}"
    with st.container(border=True, key=key):
        st.markdown(
            f"**{item.kind.title()}** by **@{plain(item.author)}**"
            + (" · :red[suspended]" if item.author_suspended else "")
        )
        show_text(item.text)
        st.button(
            f"Open post {item.post_id}",
            key=f"{key}-open",
            type="tertiary",
            on_click=open_post,
            args=(item.post_id,),
        )
        for report in item.reports:
            st.caption(
                f"@{plain(report.reporter)}, {relative_time(report.created_at)}: "
                f"{plain(report.reason)}"
            )
        if item.hidden_reason:
            st.caption(f"Hidden: {plain(item.hidden_reason)}")
        st.text_input("Reason (shown to the author)", key=f"{key}-reason", max_chars=1000)
        with st.container(horizontal=True, gap="small"):
            for action, label in (
                ("hide", "Hide"),
                ("restore", "Restore"),
                ("dismiss", "Dismiss"),
                ("suspend", f"Suspend @{plain(item.author)}"),
            ):
                st.button(
                    label, key=f"{key}-{action}", on_click=_act, args=(viewer, item, action, key)
                )


def _act(viewer: str, item: ReportedItem, action: str, key: str) -> None:
    reason = st.session_state.get(f"{key}-reason", "")
    kind, item_id = item.kind, item.item_id
    calls = {
        "hide": lambda s: hide_item(s, moderator=viewer, kind=kind, item_id=item_id, reason=reason),
        "restore": lambda s: restore_item(s, moderator=viewer, kind=kind, item_id=item_id),
        "dismiss": lambda s: dismiss_reports(s, moderator=viewer, kind=kind, item_id=item_id),
        "suspend": lambda s: suspend_account(s, moderator=viewer, name=item.author, reason=reason),
    }
    if act(WHERE, calls[action]) is not None:
        st.toast(f"Done: {action}.")
        sidebar_changed()  # the open reports, and what a suspension hides


def _unsuspend(viewer: str, name: str) -> None:
    if act(WHERE, lambda s: unsuspend_account(s, moderator=viewer, name=name)) is not None:
        sidebar_changed()
