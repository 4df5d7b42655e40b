"""Loads Plaza's plugins (its own built-ins, then setuptools entry points of group "plaza") and
collects what they register, by name. A plugin may replace a built-in by reusing its name."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol, TypeVar

import pluggy
from langchain_core.language_models import BaseChatModel
from sqlalchemy.orm import Session

from assistant import hookspecs
from assistant.engines import CaptionWriter, ImageEngine
from assistant.settings import AssistantSettings
from social.moderation import ModerationCheck
from social.posts import FeedPage

ENTRY_POINT_GROUP = "plaza"
DEFAULT_PLUGINS = (
    "assistant.builtin_engines",
    "assistant.builtin_rankers",
    "assistant.builtin_moderation",
)


@dataclass(frozen=True)
class ImageEngineOption:
    """An image engine by name: `make` builds it from the settings."""

    name: str
    make: Callable[[AssistantSettings], ImageEngine]


@dataclass(frozen=True)
class CaptionWriterOption:
    """A caption writer by name: `make` builds it from the settings and the chat model."""

    name: str
    make: Callable[[AssistantSettings, BaseChatModel], CaptionWriter]


class FeedPageFunction(Protocol):
    """One page of a feed for `viewer` (None for a guest), after `cursor`."""

    def __call__(
        self, session: Session, *, viewer: str | None, cursor: str | None, limit: int
    ) -> FeedPage: ...


@dataclass(frozen=True)
class FeedRanker:
    """A way of ordering the feed, shown under `label`."""

    name: str
    label: str
    page: FeedPageFunction


@dataclass(frozen=True)
class ModerationCheckOption:
    """A moderation check by name: `make` builds it from the settings (see social.moderation)."""

    name: str
    make: Callable[[AssistantSettings], ModerationCheck]


T = TypeVar("T", ImageEngineOption, CaptionWriterOption, FeedRanker, ModerationCheckOption)


@dataclass(frozen=True)
class PluginRegistry:
    """Everything the loaded plugins registered, each kind by name."""

    image_engines: dict[str, ImageEngineOption] = field(default_factory=dict)
    caption_writers: dict[str, CaptionWriterOption] = field(default_factory=dict)
    feed_rankers: dict[str, FeedRanker] = field(default_factory=dict)
    moderation_checks: dict[str, ModerationCheckOption] = field(default_factory=dict)


def plugin_manager(extra: Iterable[object] = ()) -> pluggy.PluginManager:
    """A plugin manager with Plaza's built-ins, installed entry points, then `extra` plugins."""
    manager = pluggy.PluginManager(ENTRY_POINT_GROUP)
    manager.add_hookspecs(hookspecs)
    for module in DEFAULT_PLUGINS:
        manager.register(__import__(module, fromlist=["_"]), name=module)
    manager.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    for plugin in extra:
        manager.register(plugin)
    return manager


def collect(manager: pluggy.PluginManager) -> PluginRegistry:
    """What the plugins of `manager` register; the last plugin to register a name wins it."""
    hook = manager.hook
    return PluginRegistry(
        image_engines=_gather(hook.register_image_engines),
        caption_writers=_gather(hook.register_caption_writers),
        feed_rankers=_gather(hook.register_feed_rankers),
        moderation_checks=_gather(hook.register_moderation_checks),
    )


@lru_cache(maxsize=1)
def default_registry() -> PluginRegistry:
    """The registry of the built-ins and the installed plugins, loaded once per process."""
    return collect(plugin_manager())


def _gather(hook: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}

    def register(option: Any) -> None:
        found[option.name] = option

    # In the order plugins were registered (pluggy itself calls the latest first), so the
    # built-ins list first, in their own order, and a later plugin replaces a name it reuses.
    for implementation in hook.get_hookimpls():
        implementation.function(register=register)
    return found
