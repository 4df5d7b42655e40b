"""Plaza's extension points: a plugin implements any of these hooks (pluggy, project "plaza")."""

from __future__ import annotations

from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("plaza")
hookimpl = pluggy.HookimplMarker("plaza")


@hookspec
def register_image_engines(register: Any) -> None:
    """Register image engines: call register(ImageEngineOption(...)) for each."""


@hookspec
def register_caption_writers(register: Any) -> None:
    """Register caption writers: call register(CaptionWriterOption(...)) for each."""


@hookspec
def register_feed_rankers(register: Any) -> None:
    """Register feed rankers: call register(FeedRanker(...)) for each."""


@hookspec
def register_moderation_checks(register: Any) -> None:
    """Register moderation checks: call register(ModerationCheckOption(...)) for each."""
