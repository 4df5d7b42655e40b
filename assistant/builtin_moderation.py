"""Plaza's own moderation checks as a plugin: OpenAI's moderation model, and offline a
profanity word list and a nudity detector."""

from __future__ import annotations

from typing import Any

from assistant.hookspecs import hookimpl
from assistant.plugins import ModerationCheckOption
from assistant.settings import AssistantSettings
from social.moderation import ModerationCheck

BUILTIN_CHECKS = ("openai", "profanity", "nudity")


def _openai(settings: AssistantSettings) -> ModerationCheck:
    from assistant.openai_moderation import OpenAIModeration

    return OpenAIModeration(settings)


def _profanity(_settings: AssistantSettings) -> ModerationCheck:
    from social.moderation_offline import profanity_check

    return profanity_check()


def _nudity(_settings: AssistantSettings) -> ModerationCheck:
    from social.moderation_offline import nudity_check

    return nudity_check()


@hookimpl
def register_moderation_checks(register: Any) -> None:
    """OpenAI's moderation model, the profanity word list and the nudity detector."""
    register(ModerationCheckOption(name="openai", make=_openai))
    register(ModerationCheckOption(name="profanity", make=_profanity))
    register(ModerationCheckOption(name="nudity", make=_nudity))
