"""Publishing one image: Plaza's whole publish (validate, store the file and its thumbnail,
the post row, the search-index mark) against Pillow opening the same file, making the same
512 px thumbnail and saving it as WEBP (the least any publish must do).

Two inputs: the PNG an image engine hands over (the offline painter's, grainy "photo" style),
and the same picture as a JPEG photo. Plaza keeps the compressed pixels of both and replaces
their metadata; both are published under a model's name, so both are signed."""

from __future__ import annotations

import io
import itertools
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from PIL import Image as PILImage

from assistant.offline.painter import render, to_png
from bench.report import Figure, markdown
from bench.timing import timed_pair
from social import migrate
from social.accounts import sign_up
from social.db import make_engine, unit_of_work
from social.media import THUMBNAIL_MAX_SIDE
from social.moderation import install_checks
from social.posts import publish_post
from social.settings import get_settings

PROMPT = "a harbour at dawn with fishing boats"


def engine_png(side: int) -> bytes:
    """The offline painter's picture at `side`×`side`, as the painter encodes it."""
    return to_png(render(PROMPT, "1:1", "photo", 0, longest=side))


def as_jpeg(data: bytes) -> bytes:
    """The picture `data` as a camera would save it."""
    buffer = io.BytesIO()
    with PILImage.open(io.BytesIO(data)) as image:
        image.convert("RGB").save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def pillow_baseline(data: bytes) -> None:
    """Open, thumbnail and save: what any server must do with an uploaded picture."""
    with PILImage.open(io.BytesIO(data)) as image:
        image.thumbnail((THUMBNAIL_MAX_SIDE, THUMBNAIL_MAX_SIDE))
        image.save(io.BytesIO(), format="WEBP", quality=80)


@contextmanager
def _fresh_plaza() -> Iterator[None]:
    """A data folder of its own (SQLite, the local image store) and no post rate limit."""
    names = ("PLAZA_DATA_DIR", "PLAZA_RATE_POSTS", "PLAZA_STORAGE_URL", "DATABASE_URL")
    saved = {name: os.environ.get(name) for name in names}
    with tempfile.TemporaryDirectory() as folder:
        os.environ.pop("PLAZA_STORAGE_URL", None)
        os.environ.pop("DATABASE_URL", None)
        os.environ["PLAZA_DATA_DIR"] = folder
        os.environ["PLAZA_RATE_POSTS"] = "1000000 per hour"
        get_settings.cache_clear()
        try:
            yield
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            get_settings.cache_clear()


def run(*, smoke: bool = False, postgres_url: str | None = None) -> list[Figure]:
    """Median publish time of a 1024² picture (64² for a smoke run) for each input, against the
    Pillow baseline. The moderation checks are left out here and timed on their own."""
    side, repeat = (64, 1) if smoke else (1024, 15)
    figures = []
    picture = engine_png(side)
    with _fresh_plaza():
        engine = make_engine(get_settings().url)
        migrate.upgrade(engine)
        with unit_of_work(engine) as session:
            sign_up(session, name="bench", password="bench-password-123")
        runs = itertools.count()
        install_checks([])
        try:
            for what, data in (
                (f"publish a {side}² engine PNG", picture),
                (f"publish a {side}² JPEG photo", as_jpeg(picture)),
            ):

                def publish(data: bytes = data) -> None:
                    # A new prompt each run: new provenance, so a new file and no shortcut.
                    with unit_of_work(engine) as session:
                        publish_post(
                            session,
                            author="bench",
                            caption="Dawn",
                            prompt=f"{PROMPT} #{next(runs)}",
                            model="bench",
                            image_bytes=data,
                        )

                plaza_s, baseline_s = timed_pair(
                    publish, lambda data=data: pillow_baseline(data), repeat
                )
                figures.append(
                    Figure(what, "Pillow open + thumbnail + save", plaza_s, baseline_s, 1.5)
                )
        finally:
            install_checks(None)
        engine.dispose()
    return figures


if __name__ == "__main__":
    print(markdown(run()))
