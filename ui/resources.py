"""Engines and clients shared across sessions (st.cache_resource), keyed by their settings."""

from __future__ import annotations

from typing import Any

import streamlit as st
from sqlalchemy import Engine

from assistant.agent import build_agent
from assistant.moderation import configured_checks
from assistant.providers import Providers, load_providers
from assistant.settings import AssistantSettings
from social import migrate
from social.db import engine_for
from social.moderation import ModerationCheck, install_checks
from social.settings import SocialSettings, get_settings


@st.cache_resource(show_spinner=False)
def _database(url: str) -> Engine:
    engine = engine_for(url)
    migrate.upgrade(engine)
    return engine


@st.cache_resource(show_spinner=False)
def _moderation_checks(settings_json: str, social_json: str) -> tuple[ModerationCheck, ...]:
    # `social_json` only keys the cache: the offline checks read their thresholds from it.
    return tuple(configured_checks(AssistantSettings.model_validate_json(settings_json)))


def social_settings() -> SocialSettings:
    """The process's settings of the feed, the one object every unit of work carries."""
    return get_settings()


def database() -> Engine:
    """The migrated database of the configured URL, with the moderation checks of the current
    settings installed: every publish of the app goes through here."""
    install_checks(
        _moderation_checks(AssistantSettings().model_dump_json(), get_settings().model_dump_json())
    )
    return _database(get_settings().url)


@st.cache_resource(show_spinner=False)
def _assistant(settings_json: str, url: str) -> tuple[Providers, Any]:
    providers = load_providers(AssistantSettings.model_validate_json(settings_json))
    return providers, build_agent(providers, engine=_database(url))


def assistant() -> tuple[Providers, Any]:
    """The providers and agent for the current settings (read fresh, so tests can switch)."""
    settings = AssistantSettings()
    return _assistant(settings.model_dump_json(), get_settings().url)
