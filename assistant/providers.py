"""Chooses the chat model, image engine and caption writer from the settings.

Image engines and caption writers are plugins (see `assistant.hookspecs`); Plaza's own offline
and OpenAI ones register like any other, and the settings name the one to use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlparse

from langchain_core.language_models import BaseChatModel

from assistant.engines import CaptionWriter, ImageEngine
from assistant.errors import UnknownEngine
from assistant.plugins import (
    CaptionWriterOption,
    ImageEngineOption,
    PluginRegistry,
    default_registry,
)
from assistant.settings import AssistantSettings, get_assistant_settings

Option = TypeVar("Option", ImageEngineOption, CaptionWriterOption)


@dataclass(frozen=True)
class Providers:
    """The engines one assistant uses, and how to describe them to the user."""

    chat_model: BaseChatModel
    images: ImageEngine
    captions: CaptionWriter
    offline: bool
    label: str


def load_providers(
    settings: AssistantSettings | None = None, registry: PluginRegistry | None = None
) -> Providers:
    """OpenAI when a key or compatible server is configured, the built-in engines otherwise;
    the settings may name any registered image engine and caption writer instead."""
    settings = settings or get_assistant_settings()
    registry = registry or default_registry()
    automatic = "openai" if settings.online else "offline"
    image_choice = _chosen(registry.image_engines, settings.plaza_image_engine or automatic)
    caption_choice = _chosen(registry.caption_writers, settings.plaza_caption_writer or automatic)
    chat_model = _chat_model(settings)
    images = image_choice.make(settings)
    captions = caption_choice.make(settings, chat_model)
    label = _label(settings)
    if image_choice.name not in ("offline", "openai"):
        label += f" · images by {images.model}"
    return Providers(
        chat_model=chat_model,
        images=images,
        captions=captions,
        offline=not settings.online,
        label=label,
    )


def _chosen(options: dict[str, Option], name: str) -> Option:
    if name not in options:
        known = ", ".join(sorted(options))
        raise UnknownEngine(
            f"No engine called {name!r} is installed (see PLAZA_IMAGE_ENGINE and "
            f"PLAZA_CAPTION_WRITER); installed: {known}."
        )
    return options[name]


def _chat_model(settings: AssistantSettings) -> BaseChatModel:
    if not settings.online:
        from assistant.offline.chat_model import OfflineChatModel

        return OfflineChatModel()
    from assistant.openai_provider import make_chat_model

    return make_chat_model(settings)


def _label(settings: AssistantSettings) -> str:
    if not settings.online:
        return "Offline mode: built-in drafting engine and painter (no API key set)"
    if settings.openai_base_url:
        host = urlparse(settings.openai_base_url).netloc or settings.openai_base_url
        return f"OpenAI-compatible server at {host} · {settings.plaza_chat_model}"
    return f"OpenAI · {settings.plaza_chat_model} + {settings.plaza_image_model}"
