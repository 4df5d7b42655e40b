"""Engines and clients shared across sessions (st.cache_resource), keyed by their settings."""

from __future__ import annotations

from typing import Any

import streamlit as st
from sqlalchemy import Engine

from assistant.agent import build_agent
from assistant.moderation import configured_checks
from assistant.providers import Providers, load_providers
from assistant.settings import AssistantSettings, get_assistant_settings
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
    global _checks_installed_for
    settings = (get_assistant_settings(), get_settings())
    # The settings objects live until their cache is cleared: compare them, not their JSON,
    # which costs milliseconds to make on every rerun.
    if _checks_installed_for is None or any(
        a is not b for a, b in zip(_checks_installed_for, settings, strict=True)
    ):
        install_checks(_moderation_checks(*(part.model_dump_json() for part in settings)))
        _checks_installed_for = settings
    return _database(settings[1].url)


_checks_installed_for: tuple[AssistantSettings, SocialSettings] | None = None


@st.cache_resource(show_spinner=False)
def _assistant(settings_json: str, url: str) -> tuple[Providers, Any]:
    providers = load_providers(AssistantSettings.model_validate_json(settings_json))
    return providers, build_agent(providers, engine=_database(url))


def assistant() -> tuple[Providers, Any]:
    """The providers and agent for the current settings."""
    settings = get_assistant_settings()
    return _assistant(settings.model_dump_json(), get_settings().url)
