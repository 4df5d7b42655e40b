"""Chooses the moderation checks from the settings and installs them in `social`, so every
path that publishes (Share, the toolkit's tool, comments) runs the same checks first."""

from __future__ import annotations

from assistant.builtin_moderation import BUILTIN_CHECKS
from assistant.errors import UnknownEngine
from assistant.plugins import PluginRegistry, default_registry
from assistant.settings import AssistantSettings, get_assistant_settings
from social.moderation import ModerationCheck, install_checks

NO_CHECKS = "none"


def check_names(settings: AssistantSettings, registry: PluginRegistry) -> list[str]:
    """The names of the checks in force: as the settings say, or the automatic choice."""
    chosen = settings.plaza_moderation_checks.strip()
    if chosen.lower() == NO_CHECKS:
        return []
    if chosen:
        return [name.strip() for name in chosen.split(",") if name.strip()]
    automatic = ["openai"] if settings.online else ["profanity", "nudity"]
    return automatic + [name for name in registry.moderation_checks if name not in BUILTIN_CHECKS]


def configured_checks(
    settings: AssistantSettings | None = None, registry: PluginRegistry | None = None
) -> list[ModerationCheck]:
    """The moderation checks the settings choose, built; UnknownEngine for a name no plugin
    registers."""
    settings = settings or get_assistant_settings()
    registry = registry or default_registry()
    checks = []
    for name in check_names(settings, registry):
        if name not in registry.moderation_checks:
            known = ", ".join(sorted(registry.moderation_checks))
            raise UnknownEngine(
                f"No moderation check called {name!r} is installed (see "
                f"PLAZA_MODERATION_CHECKS); installed: {known}."
            )
        checks.append(registry.moderation_checks[name].make(settings))
    return checks


def install_configured_checks(
    settings: AssistantSettings | None = None, registry: PluginRegistry | None = None
) -> None:
    """Make the configured checks the ones `social` runs before anything is published."""
    install_checks(configured_checks(settings, registry))
