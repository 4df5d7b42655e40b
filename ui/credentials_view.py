"""An image's Content Credentials for people: one line on a feed card, the summary on a post's
page (AI or not, by what model, signed by whom and when, its edits and what it was made from)."""

from __future__ import annotations

import streamlit as st

from social.credentials import AI_COMPOSITE, CredentialsSummary
from social.errors import SocialError
from social.media import image_credentials
from ui.format import plain

STATES = {
    "Trusted": "verified, signed by this Plaza",
    "Valid": "intact, signed by someone this Plaza does not know",
    "Invalid": "do not match the image: it was changed after signing",
}


# A resource, not data: the summary is immutable, so every card shares it without the copy
# st.cache_data makes (unpickles) on each of the feed's cards on every run.
@st.cache_resource(max_entries=2000, show_spinner=False)
def credentials_of(sha256: str) -> CredentialsSummary:
    """The credentials of stored image `sha256` (a file never changes under its hash)."""
    try:
        return image_credentials(sha256)
    except SocialError:
        return CredentialsSummary()


def _made(summary: CredentialsSummary) -> str:
    if not summary.ai_generated:
        return "No AI claim"
    what = "A photo edited with AI"
    if summary.digital_source_type != AI_COMPOSITE:
        what = "AI-generated"
    return f"{what} with {plain(summary.model)}" if summary.model else what


def credentials_line(sha256: str) -> None:
    """One caption line: whether the image has Content Credentials and what they say."""
    summary = credentials_of(sha256)
    if not summary.present:
        return
    icon = ":material/verified:" if summary.validation != "Invalid" else ":material/gpp_bad:"
    st.caption(f"{icon} Content Credentials · {_made(summary)} · {summary.validation}")


def credentials_summary(sha256: str) -> None:
    """The full summary, for a post's page; says so when the image has none."""
    summary = credentials_of(sha256)
    st.caption("Content Credentials (C2PA)")
    if not summary.present:
        st.markdown("None: a photo as its author uploaded it, with its metadata removed.")
        return
    lines = [
        f"**{_made(summary)}** (`{summary.source_label or 'no source type'}`)",
        f"Credentials: **{summary.validation}**, {STATES[summary.validation]}",
    ]
    if summary.generator:
        lines.append(f"Signed with {plain(summary.generator)} by {plain(summary.signer)}")
    if summary.date is not None:
        lines.append(f"On {summary.date:%-d %b %Y, %H:%M} UTC")
    if summary.edits:
        lines.append(f"Edits: {len(summary.edits)} ({plain(', '.join(summary.edits))})")
    for ingredient in summary.ingredients:
        role = "Made from" if ingredient.relationship == "parentOf" else "Also used"
        source = f", signed with {plain(ingredient.generator)}" if ingredient.generator else ""
        lines.append(f"{role}: {plain(ingredient.title)}{source}")
    st.markdown("  \n".join(lines))
