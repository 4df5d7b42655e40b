"""A person's profile (`?user=<name>`): avatar, bio, counts, follow button and their posts."""

from __future__ import annotations

import streamlit as st

from social.accounts import update_profile
from social.feeds import user_posts
from social.follows import follow, followers, following, unfollow
from social.profiles import Profile, get_profile
from ui.format import plain, show_text
from ui.navigation import back_to_feed_button, open_profile
from ui.pictures import show_picture
from ui.post_grid import render_post_grid
from ui.social_calls import act, load, show_error

GRID_PAGE = 12


def render_profile_page(name: str, viewer: str | None) -> None:
    """The profile of `name`, readable by anyone; following and editing need an account."""
    back_to_feed_button("profile-back")
    profile = load(lambda s: get_profile(s, name, viewer=viewer))
    if profile is None:
        return
    picture, about = st.columns([1, 3], vertical_alignment="center")
    if profile.avatar_sha256:
        show_picture(profile.avatar_sha256, where=picture, width="stretch")
    else:
        picture.markdown("# :material/account_circle:")
    with about:
        st.subheader(f"@{plain(profile.name)}")
        if profile.bio:
            show_text(profile.bio)
        else:
            st.caption("No bio yet.")
    posts, fans, idols = st.columns(3)
    posts.metric("Posts", profile.post_count)
    fans.metric("Followers", profile.follower_count)
    idols.metric("Following", profile.following_count)
    _people(profile)
    _follow_or_edit(profile, viewer)
    show_error("profile")
    _posts(profile, viewer)


def _people(profile: Profile) -> None:
    lists = [
        ("Followers", profile.follower_count, followers),
        ("Following", profile.following_count, following),
    ]
    with st.container(horizontal=True, gap="small"):
        for label, count, names_of in lists:
            if not count:
                continue
            with st.popover(f"See {label.lower()}", key=f"profile-{label.lower()}"):
                names = load(lambda s, names_of=names_of: names_of(s, profile.name)) or []
                for person in names:
                    st.button(
                        f"@{plain(person)}",
                        key=f"{label}-{person}",
                        type="tertiary",
                        on_click=open_profile,
                        args=(person,),
                    )


def _follow_or_edit(profile: Profile, viewer: str | None) -> None:
    if viewer is None:
        st.caption(f"Sign in to follow @{plain(profile.name)}.")
    elif viewer == profile.name:
        with st.expander("Edit profile"):
            st.text_area("Bio", value=profile.bio, key="profile-bio", max_chars=500)
            st.file_uploader(
                "New avatar", type=["png", "jpg", "jpeg", "webp"], key="profile-avatar"
            )
            st.button(
                "Save profile", key="profile-save", type="primary", on_click=_save, args=(viewer,)
            )
    elif profile.followed_by_viewer:
        st.button(
            "Following",
            icon=":material/check:",
            key="profile-unfollow",
            help="Unfollow",
            on_click=_follow,
            args=(viewer, profile.name, False),
        )
    else:
        st.button(
            "Follow",
            key="profile-follow",
            type="primary",
            on_click=_follow,
            args=(viewer, profile.name, True),
        )


def _follow(viewer: str, name: str, start: bool) -> None:
    change = follow if start else unfollow
    act("profile", lambda s: change(s, user=viewer, name=name))


def _save(viewer: str) -> None:
    upload = st.session_state.get("profile-avatar")
    bio = st.session_state.get("profile-bio", "")
    avatar = upload.getvalue() if upload is not None else None
    if act("profile", lambda s: update_profile(s, name=viewer, bio=bio, avatar_bytes=avatar)):
        st.toast("Profile saved")


def _posts(profile: Profile, viewer: str | None) -> None:
    key = f"profile-posts-{profile.name}"
    shown = st.session_state.get(key, GRID_PAGE)
    page = load(lambda s: user_posts(s, name=profile.name, limit=min(shown, 100), viewer=viewer))
    if page is None:
        return
    st.markdown("**Posts**")
    if not page.posts:
        st.caption("No posts yet.")
    render_post_grid(page.posts, key="profile-grid")
    if page.next_cursor and shown < 100:
        st.button("Load more", key="profile-more", on_click=_grow, args=(key,))


def _grow(key: str) -> None:
    st.session_state[key] = st.session_state.get(key, GRID_PAGE) + GRID_PAGE
