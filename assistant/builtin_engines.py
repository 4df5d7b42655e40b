"""Plaza's own engines as a plugin: the offline painter and drafter, and OpenAI's."""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import BaseChatModel

from assistant.engines import CaptionWriter, ImageEngine
from assistant.hookspecs import hookimpl
from assistant.plugins import CaptionWriterOption, ImageEngineOption
from assistant.settings import AssistantSettings


def _offline_painter(_settings: AssistantSettings) -> ImageEngine:
    from assistant.offline.painter import OfflinePainter

    return OfflinePainter()


def _openai_images(settings: AssistantSettings) -> ImageEngine:
    from assistant.openai_provider import OpenAIImageEngine

    return OpenAIImageEngine(settings)


def _offline_captions(_settings: AssistantSettings, _chat_model: BaseChatModel) -> CaptionWriter:
    from assistant.offline.captions import OfflineCaptionWriter

    return OfflineCaptionWriter()


def _chat_captions(_settings: AssistantSettings, chat_model: BaseChatModel) -> CaptionWriter:
    from assistant.chat_captions import ChatCaptionWriter

    return ChatCaptionWriter(chat_model)


@hookimpl
def register_image_engines(register: Any) -> None:
    """The offline painter and the OpenAI Images API."""
    register(ImageEngineOption(name="offline", make=_offline_painter))
    register(ImageEngineOption(name="openai", make=_openai_images))


@hookimpl
def register_caption_writers(register: Any) -> None:
    """The offline drafter and captions written by the chat model."""
    register(CaptionWriterOption(name="offline", make=_offline_captions))
    register(CaptionWriterOption(name="openai", make=_chat_captions))
