"""Extension points: Plaza's own engines and rankers register through pluggy, and a plugin's
engine (registered directly or installed with an entry point) gets chosen by the settings."""

from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import Engine

from assistant.engines import Aspect
from assistant.errors import UnknownEngine
from assistant.hookspecs import hookimpl
from assistant.offline.captions import OfflineCaptionWriter
from assistant.offline.painter import OfflinePainter
from assistant.plugins import ImageEngineOption, collect, default_registry, plugin_manager
from assistant.providers import load_providers
from assistant.settings import AssistantSettings
from assistant.tools import PlazaToolkit
from social.accounts import sign_up
from social.db import unit_of_work
from social.feeds import trending_feed
from social.media import read_image
from social.posts import latest_feed, publish_post


class StampEngine:
    """A plugin's image engine: a flat square in the colour named first in the prompt."""

    model = "stamp-engine"
    offline = True

    def generate(
        self, prompt: str, *, aspect: Aspect = "1:1", n: int = 1, style: str = ""
    ) -> list[bytes]:
        colour = "blue" if "blue" in prompt else "orange"
        return [_png(colour) for _ in range(n)]

    def edit(self, image: bytes, instruction: str, *, aspect: Aspect | None = None) -> bytes:
        return _png("gray")


def _png(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), colour).save(buffer, format="PNG")
    return buffer.getvalue()


class StampPlugin:
    @hookimpl
    def register_image_engines(self, register: Any) -> None:
        register(ImageEngineOption(name="stamp", make=lambda settings: StampEngine()))


def test_plazas_own_engines_and_rankers_are_registered() -> None:
    registry = default_registry()
    assert list(registry.image_engines) == ["offline", "openai"]
    assert list(registry.caption_writers) == ["offline", "openai"]
    assert [r.label for r in registry.feed_rankers.values()] == ["Latest", "Trending", "For you"]
    providers = load_providers(AssistantSettings())
    assert isinstance(providers.images, OfflinePainter)
    assert isinstance(providers.captions, OfflineCaptionWriter)


def test_a_plugin_engine_is_chosen_by_name_and_makes_the_agents_images(
    sqlite_engine: Engine,
) -> None:
    registry = collect(plugin_manager([StampPlugin()]))
    assert list(registry.image_engines) == ["offline", "openai", "stamp"]
    providers = load_providers(AssistantSettings(plaza_image_engine="stamp"), registry)
    assert isinstance(providers.images, StampEngine)
    assert "stamp-engine" in providers.label
    assert isinstance(providers.captions, OfflineCaptionWriter)  # the rest stays as it was

    tools = PlazaToolkit(images=providers.images, captions=providers.captions, engine=sqlite_engine)
    generate = next(t for t in tools.get_tools() if t.name == "generate_image")
    message = generate.invoke(
        {"type": "tool_call", "id": "1", "name": "generate_image", "args": {"prompt": "a blue sky"}}
    )
    sha256 = message.artifact["images"][0]["sha256"]
    with Image.open(io.BytesIO(read_image(sha256))) as stored:
        assert stored.convert("RGB").getpixel((5, 5)) == (0, 0, 255)
    assert json.loads(message.content)["model"] == "stamp-engine"


def test_a_plugin_may_replace_a_builtin_and_unknown_names_are_refused() -> None:
    class Replacement:
        @hookimpl
        def register_image_engines(self, register: Any) -> None:
            register(ImageEngineOption(name="offline", make=lambda settings: StampEngine()))

    registry = collect(plugin_manager([Replacement()]))
    assert isinstance(load_providers(AssistantSettings(), registry).images, StampEngine)
    with pytest.raises(UnknownEngine, match="'nope'.*installed: offline, openai"):
        load_providers(AssistantSettings(plaza_image_engine="nope"))
    with pytest.raises(UnknownEngine):
        load_providers(AssistantSettings(plaza_caption_writer="nope"))


def test_an_installed_entry_point_plugin_is_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "plaza_stamp.py").write_text(
        textwrap.dedent(
            """
            from assistant.hookspecs import hookimpl
            from assistant.plugins import ImageEngineOption
            from tests.test_plugins import StampEngine

            @hookimpl
            def register_image_engines(register):
                register(ImageEngineOption(name="installed-stamp", make=lambda s: StampEngine()))
            """
        )
    )
    info = site / "plaza_stamp-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: plaza-stamp\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[plaza]\nstamp = plaza_stamp\n")
    monkeypatch.syspath_prepend(str(site))
    registry = collect(plugin_manager())
    assert "installed-stamp" in registry.image_engines
    chosen = load_providers(AssistantSettings(plaza_image_engine="installed-stamp"), registry)
    assert chosen.images.model == "stamp-engine"


def test_builtin_rankers_are_the_social_feeds(sqlite_engine: Engine) -> None:
    with unit_of_work(sqlite_engine) as session:
        sign_up(session, name="Ana", password="correct horse battery")
        for caption in ("one", "two"):
            publish_post(session, author="Ana", caption=caption, image_bytes=_png("red"))
    rankers = default_registry().feed_rankers
    with unit_of_work(sqlite_engine) as session:
        latest = rankers["latest"].page(session, viewer=None, cursor=None, limit=5)
        trending = rankers["trending"].page(session, viewer="Ana", cursor=None, limit=5)
        for_you = rankers["for-you"].page(session, viewer=None, cursor=None, limit=5)
        assert latest.posts == latest_feed(session, limit=5).posts
        assert [p.caption for p in latest.posts] == ["two", "one"]
        assert [p.id for p in trending.posts] == [
            p.id for p in trending_feed(session, limit=5, viewer="Ana").posts
        ]
        assert {p.caption for p in for_you.posts} == {"one", "two"}
