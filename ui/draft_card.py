"""One generated image in the chat, with Share, edit-caption-then-share and Download."""

from __future__ import annotations

from typing import Any

import streamlit as st

from social.accounts import require_account
from social.db import unit_of_work
from social.errors import SocialError
from social.media import image_path
from social.posts import publish_post
from ui.identity import signed_in_user
from ui.resources import database
from ui.social_calls import message_for


def render_draft(key: str, image: dict[str, Any], captions: list[str], alt_text: str) -> None:
    """Show `image` with its sharing controls; `key` keeps the widgets stable across reruns."""
    state = st.session_state
    first = captions[0] if captions else image.get("prompt", "")
    state.setdefault(f"caption-{key}", first)
    st.image(str(image_path(image["sha256"])), width="stretch")
    badge = "Offline painter" if image.get("offline") else image.get("model", "")
    st.caption(f"AI-generated · {badge} · {image.get('aspect', '')}")
    if image.get("remix_of_id"):
        st.caption(
            f":material/autorenew: Remix of post #{image['remix_of_id']}: sharing links back to it."
        )
    shared_id = state.setdefault("shared", {}).get(key)
    share_col, download_col, base_col = st.columns(3)
    share_col.button(
        "Shared ✓" if shared_id else "Share",
        key=f"share-{key}",
        type="primary",
        disabled=bool(shared_id),
        on_click=_share,
        args=(key, image, first, alt_text),
        width="stretch",
    )
    download_col.download_button(
        "Download",
        data=image_path(image["sha256"]).read_bytes(),
        file_name=f"plaza-{image['ref']}.png",
        mime="image/png",
        key=f"download-{key}",
        on_click="ignore",
        width="stretch",
    )
    base_col.button(
        "Use as base",
        key=f"base-{key}",
        on_click=_use_as_base,
        args=(image,),
        width="stretch",
        help="Your next message changes this image instead of starting a new one.",
    )
    with st.expander("Edit caption", expanded=False):
        if len(captions) > 1:
            st.segmented_control(
                "Start from draft",
                options=list(range(len(captions))),
                format_func=lambda i: f"Draft {i + 1}",
                key=f"pick-{key}",
                on_change=_pick_draft,
                args=(key, captions),
            )
        st.text_area("Caption", key=f"caption-{key}", max_chars=2200, height=120)
        st.button(
            "Share with this caption",
            key=f"share-edited-{key}",
            on_click=_share_edited,
            args=(key, image, alt_text),
            disabled=bool(shared_id),
        )
    if error := state.get("share_errors", {}).get(key):
        st.error(error)
    elif shared_id:
        st.success(f"Shared to the feed as post #{shared_id}.")


def _use_as_base(image: dict[str, Any]) -> None:
    st.session_state.base_image = image


def _pick_draft(key: str, captions: list[str]) -> None:
    choice = st.session_state.get(f"pick-{key}")
    if choice is not None:
        st.session_state[f"caption-{key}"] = captions[choice]


def _share_edited(key: str, image: dict[str, Any], alt_text: str) -> None:
    _share(key, image, st.session_state.get(f"caption-{key}", ""), alt_text)


def _share(key: str, image: dict[str, Any], caption: str, alt_text: str) -> None:
    state = st.session_state
    errors = state.setdefault("share_errors", {})
    try:
        with unit_of_work(database()) as session:
            # Only signed-in people post; publish_post itself accepts any display name.
            author = require_account(session, signed_in_user()).name
            post = publish_post(
                session,
                author=author,
                caption=caption,
                prompt=image.get("prompt", ""),
                alt_text=alt_text,
                model=image.get("model", ""),
                image_sha256=image["sha256"],
                remix_of_id=image.get("remix_of_id"),
            )
    except SocialError as error:
        errors[key] = message_for(error)
        return
    errors.pop(key, None)
    state.setdefault("shared", {})[key] = post.id
    st.toast("Shared to the feed")
