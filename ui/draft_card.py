"""One picture in the chat (generated, edited, or the person's photo) with its sharing controls:
Share, edit-caption-then-share, Download and Use as base."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from assistant.requests import BaseImage, GeneratedImage
from social.image_formats import file_name, mime_of
from ui.format import show_text
from ui.navigation import open_post
from ui.pictures import picture_bytes, show_picture
from ui.sharing import ERRORS_KEY as SHARE_ERRORS_KEY
from ui.sharing import Draft, share


@dataclass(frozen=True)
class DraftView:
    """A draft as one chat turn shows it: the picture, its texts, and where it stands."""

    key: str  # stable widget key of this draft in this chat
    draft: Draft
    captions: list[str]
    number: int | None  # "Option N" when a request made several
    shared_post_id: int | None


def render_draft(view: DraftView) -> None:
    """Show the draft's picture with its controls; a shared draft links to its post."""
    image, key = view.draft.image, view.key
    state = st.session_state
    first = view.captions[0] if view.captions else image.prompt
    state.setdefault(f"caption-{key}", first)
    if view.number is not None:
        st.markdown(f"**Option {view.number}**")
    show_picture(image.sha256, full_size=True, width="stretch", alt=view.draft.alt_text or None)
    st.caption(_label(image, bool(view.captions)))
    if image.edits:
        show_text(f"Made from: {image.lineage}", small=True)
    if view.draft.remix_of_id:
        st.caption(
            f":material/autorenew: Remix of post #{view.draft.remix_of_id}: "
            "sharing links back to it."
        )
    stacked = view.number is not None  # several options side by side: one button a row
    with st.container(horizontal=not stacked, gap="small"):
        if view.shared_post_id:
            st.button(
                "Shared ✓ — view post",
                key=f"view-{key}",
                icon=":material/check_circle:",
                on_click=open_post,
                args=(view.shared_post_id,),
                width="stretch",
            )
        else:
            st.button(
                "Share",
                key=f"share-{key}",
                type="primary",
                icon=":material/send:",
                on_click=share,
                args=(key, view.draft, first),
                width="stretch",
            )
        stored = picture_bytes(image.sha256, full_size=True) or b""
        st.download_button(
            "Download",
            data=stored,
            file_name=file_name(f"plaza-{image.ref}", stored),
            mime=mime_of(stored),
            key=f"download-{key}",
            icon=":material/download:",
            on_click="ignore",
            width="stretch",
        )
        st.button(
            "Use as base",
            key=f"base-{key}",
            icon=":material/edit:",
            on_click=_use_as_base,
            args=(image, view.draft.remix_of_id),
            width="stretch",
            help="Your next message changes this image instead of starting a new one.",
        )
    error = state.get(SHARE_ERRORS_KEY, {}).get(key)
    if not view.shared_post_id:
        if image.prompt and not image.photo:
            st.checkbox(
                "Show the prompt on the post",
                value=True,
                key=f"prompt-public-{key}",
                help="Untick to keep the prompt and edits to yourself; the post still says "
                "which model made it.",
            )
        _edit_caption(view, refused=error is not None)
    if error:
        st.error(error, icon=":material/error:")


def _label(image: GeneratedImage, has_captions: bool) -> str:
    if image.photo:
        return "Your photo" + (" · captions drafted with AI" if has_captions else "")
    engine = "Offline painter" if image.offline else image.model
    return " · ".join(part for part in ("AI-generated", engine, image.aspect) if part)


def _edit_caption(view: DraftView, *, refused: bool) -> None:
    key = view.key
    # Open after a refusal, so the caption can be changed and shared again at once.
    with st.expander("Edit caption", expanded=refused, icon=":material/edit_note:"):
        if len(view.captions) > 1:
            st.segmented_control(
                "Start from draft",
                options=list(range(len(view.captions))),
                format_func=lambda i: f"Draft {i + 1}",
                key=f"pick-{key}",
                on_change=_pick_draft,
                args=(key, view.captions),
            )
        st.text_area("Caption", key=f"caption-{key}", max_chars=2200, height=120)
        st.button(
            "Share with this caption",
            key=f"share-edited-{key}",
            on_click=_share_edited,
            args=(key, view.draft),
        )


def _use_as_base(image: GeneratedImage, remix_of_id: int | None) -> None:
    st.session_state.base_image = BaseImage(
        sha256=image.sha256, prompt=image.prompt, edits=image.edits, remix_of_id=remix_of_id
    )


def _pick_draft(key: str, captions: list[str]) -> None:
    choice = st.session_state.get(f"pick-{key}")
    if choice is not None:
        st.session_state[f"caption-{key}"] = captions[choice]


def _share_edited(key: str, draft: Draft) -> None:
    share(key, draft, st.session_state.get(f"caption-{key}", ""))
