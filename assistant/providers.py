"""Chooses the chat model, image engine and caption writer from the settings."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlparse

from langchain_core.language_models import BaseChatModel

from assistant.engines import CaptionWriter, ImageEngine
from assistant.settings import AssistantSettings, get_assistant_settings


@dataclass(frozen=True)
class Providers:
    """The engines one assistant uses, and how to describe them to the user."""

    chat_model: BaseChatModel
    images: ImageEngine
    captions: CaptionWriter
    offline: bool
    label: str


def load_providers(settings: AssistantSettings | None = None) -> Providers:
    """OpenAI when a key or compatible server is configured; the built-in engines otherwise."""
    settings = settings or get_assistant_settings()
    if not settings.online:
        from assistant.offline.captions import OfflineCaptionWriter
        from assistant.offline.chat_model import OfflineChatModel
        from assistant.offline.painter import OfflinePainter

        return Providers(
            chat_model=OfflineChatModel(),
            images=OfflinePainter(),
            captions=OfflineCaptionWriter(),
            offline=True,
            label="Offline mode: built-in drafting engine and painter (no API key set)",
        )
    from assistant.chat_captions import ChatCaptionWriter
    from assistant.openai_provider import OpenAIImageEngine, make_chat_model

    chat_model = make_chat_model(settings)
    if settings.openai_base_url:
        host = urlparse(settings.openai_base_url).netloc or settings.openai_base_url
        label = f"OpenAI-compatible server at {host} · {settings.plaza_chat_model}"
    else:
        label = f"OpenAI · {settings.plaza_chat_model} + {settings.plaza_image_model}"
    return Providers(
        chat_model=chat_model,
        images=OpenAIImageEngine(settings),
        captions=ChatCaptionWriter(chat_model),
        offline=False,
        label=label,
    )
