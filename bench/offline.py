"""The offline engines: one painting, and one whole chat turn (an image, three captions, the
image stored), each against encoding a blank PNG of the painter's size (the floor)."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

from PIL import Image as PILImage

from assistant.agent import TurnDone, build_agent, stream_turn
from assistant.offline.painter import OfflinePainter
from assistant.providers import load_providers
from assistant.requests import ChatRequest
from bench.report import Figure
from bench.timing import timed_pair
from social import migrate
from social.db import make_engine
from social.settings import get_settings

SUBJECTS = ["a bowl of ramen", "a cat on a roof under the moon", "a robot in a library",
            "palm trees on a beach", "a lighthouse in a storm", "a cup of coffee, photo",
            "sunflowers in a field, watercolor"]  # fmt: skip


def blank_png() -> object:
    """The baseline: encoding a blank PNG of the painter's size."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (768, 768), "white").save(buffer, format="PNG")
    return buffer


def _prompts() -> object:
    return iter(f"{SUBJECTS[i % len(SUBJECTS)]} {i}" for i in range(10_000))


def run(*, smoke: bool = False, postgres_url: str | None = None) -> list[Figure]:
    """The painter and a whole offline turn against the blank-PNG floor."""
    repeat = 2 if smoke else 7
    painter = OfflinePainter()
    prompts = _prompts()
    paint_s, blank_s = timed_pair(lambda: painter.generate(next(prompts)), blank_png, repeat)
    figures = [Figure("offline painter, one image", "blank PNG", paint_s, blank_s)]
    previous = os.environ.get("PLAZA_DATA_DIR")
    with tempfile.TemporaryDirectory() as folder:
        os.environ["PLAZA_DATA_DIR"] = folder  # the turn stores its image here
        get_settings.cache_clear()
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        migrate.upgrade(engine)
        agent = build_agent(load_providers(), engine=engine)

        def turn() -> object:
            events = list(stream_turn(agent, [], ChatRequest(text=next(prompts))))
            if not any(isinstance(e, TurnDone) for e in events):
                raise AssertionError("the offline turn did not finish")
            return events

        turn_s, blank_s = timed_pair(turn, blank_png, repeat)
        engine.dispose()
        if previous is None:
            os.environ.pop("PLAZA_DATA_DIR", None)
        else:
            os.environ["PLAZA_DATA_DIR"] = previous
        get_settings.cache_clear()
    figures.append(Figure("offline chat turn (image + 3 captions, stored)", "blank PNG",
                          turn_s, blank_s))  # fmt: skip
    return figures
