"""Provider settings: one object decides between OpenAI, an OpenAI-compatible server and offline."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class AssistantSettings(BaseSettings):
    """Which models the assistant talks to, read from the environment."""

    model_config = SettingsConfigDict(extra="ignore")

    openai_api_key: str | None = Field(
        default=None, description="Key for OpenAI (or the compatible server); unset = offline."
    )
    openai_base_url: str | None = Field(
        default=None,
        description="Base URL of any OpenAI-compatible server (Ollama, vLLM, LM Studio), "
        "e.g. http://localhost:11434/v1.",
    )
    plaza_chat_model: str = Field(default="gpt-4.1-mini", description="Chat model name.")
    plaza_image_model: str = Field(default="gpt-image-1", description="Image model name.")
    plaza_request_timeout: float = Field(
        default=60.0, description="Seconds before a provider call is abandoned."
    )
    plaza_max_retries: int = Field(
        default=2, description="Retries (with backoff, by the SDK) of a failed provider call."
    )

    plaza_image_engine: str = Field(
        default="",
        description="Name of a registered image engine (built-in: offline, openai; or a "
        "plugin's); empty = openai when configured, else offline.",
    )
    plaza_caption_writer: str = Field(
        default="",
        description="Name of a registered caption writer (built-in: offline, openai; or a "
        "plugin's); empty = openai when configured, else offline.",
    )
    plaza_moderation_checks: str = Field(
        default="",
        description="Comma-separated names of the registered moderation checks every post and "
        "comment must pass (built-in: openai, profanity, nudity; or a plugin's); empty = openai "
        "when configured, else profanity and nudity, plus every plugin's checks; none = no checks.",
    )
    plaza_moderation_model: str = Field(
        default="omni-moderation-latest",
        description="OpenAI moderation model (one call checks the words and the picture).",
    )
    plaza_turn_max_tool_calls: int = Field(
        default=12, ge=1, description="Tool calls one chat turn may make before it stops."
    )
    plaza_turn_max_images: int = Field(
        default=8, ge=1, description="Images one chat turn may make before it stops."
    )
    plaza_turn_max_seconds: float = Field(
        default=180.0, gt=0, description="Seconds one chat turn may run before it stops."
    )

    @property
    def online(self) -> bool:
        """True when a key or a compatible server is configured."""
        return bool(self.openai_api_key or self.openai_base_url)


@lru_cache(maxsize=1)
def get_assistant_settings() -> AssistantSettings:
    """The process-wide assistant settings."""
    return AssistantSettings()
