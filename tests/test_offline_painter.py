"""The offline painter: prompt-dependent, deterministic pictures and real Pillow edits."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageOps

from assistant.engines import ASPECT_SIZES
from assistant.offline.painter import MAX_SIDE, OfflinePainter

painter = OfflinePainter()


def _open(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    assert img.format == "PNG"
    return img.convert("RGB")


def _pixels(data: bytes, size: int = 64) -> np.ndarray:
    return np.asarray(_open(data).resize((size, size), Image.Resampling.BOX), np.float32)


def _distance(a: bytes, b: bytes) -> float:
    """Mean absolute difference per channel, 0-255, after scaling both to the same size."""
    return float(np.abs(_pixels(a) - _pixels(b)).mean())


@pytest.fixture(scope="module")
def fox() -> bytes:
    return painter.generate("a red fox at dawn")[0]


def test_engine_attributes() -> None:
    assert painter.model == "plaza-offline-painter"
    assert painter.offline is True


def test_same_prompt_gives_identical_bytes(fox: bytes) -> None:
    assert OfflinePainter().generate("a red fox at dawn")[0] == fox


def test_different_prompts_give_different_pictures(fox: bytes) -> None:
    others = ["blue ocean at night", "a cat in a forest", "neon city", "a lighthouse"]
    for prompt in others:
        assert _distance(fox, painter.generate(prompt)[0]) > 12, prompt


def test_colour_words_decide_the_palette(fox: bytes) -> None:
    ocean = painter.generate("blue ocean at night")[0]
    fr, _, fb = _pixels(fox).reshape(-1, 3).mean(axis=0)
    orr, _, ob = _pixels(ocean).reshape(-1, 3).mean(axis=0)
    assert fr > fb + 20  # the fox at dawn is warm
    assert ob > orr + 20  # the ocean at night is cool
    assert _pixels(ocean).mean() < _pixels(fox).mean() - 40  # and night is darker than dawn


def test_plain_colour_word_tints_the_picture() -> None:
    green = _pixels(painter.generate("something green")[0]).reshape(-1, 3).mean(axis=0)
    purple = _pixels(painter.generate("something purple")[0]).reshape(-1, 3).mean(axis=0)
    assert green[1] > green[0] and green[1] > green[2]
    assert purple[2] > purple[1] and purple[0] > purple[1]


@pytest.mark.parametrize("aspect", list(ASPECT_SIZES))
def test_aspect_ratio_and_modest_size(aspect: str) -> None:
    img = _open(painter.generate("a dog on a mountain", aspect=aspect)[0])  # type: ignore[arg-type]
    w, h = ASPECT_SIZES[aspect]
    assert img.width / img.height == pytest.approx(w / h, rel=0.01)
    assert max(img.size) == MAX_SIDE


def test_variants_differ_from_each_other() -> None:
    images = painter.generate("a bird in a forest", n=3)
    assert len(images) == 3
    for i in range(3):
        for j in range(i + 1, 3):
            assert _distance(images[i], images[j]) > 2
    assert painter.generate("a bird in a forest", n=3) == images


def test_style_argument_changes_the_picture() -> None:
    plain = painter.generate("a cat")[0]
    assert painter.generate("a cat", style="watercolor")[0] != plain


def test_pixel_style_uses_few_colours_in_blocks() -> None:
    img = _open(painter.generate("pixel art fox at sunset")[0])
    assert len(img.getcolors(maxcolors=100_000) or []) <= 40
    smooth = _open(painter.generate("a fox at sunset")[0])
    assert len(smooth.getcolors(maxcolors=100_000) or range(100_001)) > 200


def _hard_edges(img: Image.Image) -> int:
    grey = np.asarray(img.convert("L"), np.int16)
    return int((np.abs(np.diff(grey, axis=1)) > 40).sum())


def test_watercolor_softens_edges() -> None:
    plain = _open(painter.generate("a cat on hills")[0])
    soft = _open(painter.generate("a cat on hills", style="watercolor")[0])
    assert _hard_edges(soft) < _hard_edges(plain) / 3


def test_poster_has_frame_and_title_band() -> None:
    img = _open(painter.generate("a poster of a red fox at dawn")[0])
    arr = np.asarray(img, np.int16)
    border = arr[:8].reshape(-1, 3)
    assert (np.abs(border - border[0]).max()) < 3  # a plain paper margin along the top
    band = arr[int(img.height * 0.84) :, int(img.width * 0.1) : int(img.width * 0.9)]
    assert (band.sum(axis=2) < 300).sum() > 200  # dark title letters on light paper
    assert _distance(painter.generate("a poster of a red fox at dawn")[0],
                     painter.generate("a red fox at dawn")[0]) > 5  # fmt: skip


def test_edit_black_and_white_is_grey(fox: bytes) -> None:
    arr = np.asarray(_open(painter.edit(fox, "make it black and white")), np.int16)
    assert (arr[..., 0] == arr[..., 1]).all() and (arr[..., 1] == arr[..., 2]).all()
    assert arr.std() > 10  # still a picture, not a flat grey


def test_edit_wider_and_explicit_aspect(fox: bytes) -> None:
    wider = _open(painter.edit(fox, "make it wider"))
    assert wider.width / wider.height == pytest.approx(16 / 9, rel=0.01)
    widest = _open(painter.edit(painter.edit(fox, "make it wider"), "even wider"))
    assert widest.width / widest.height > 16 / 9 + 0.2
    tall = _open(painter.edit(fox, "recolour it", aspect="9:16"))
    assert tall.width / tall.height == pytest.approx(9 / 16, rel=0.01)
    square = _open(painter.edit(painter.edit(fox, "16:9"), "crop it square"))
    assert square.width == square.height


def test_edit_add_text_draws_it(fox: bytes) -> None:
    before = np.asarray(_open(fox), np.int16)
    after = np.asarray(_open(painter.edit(fox, "add text 'Hello'")), np.int16)
    changed = np.abs(after - before).sum(axis=2) > 30
    assert changed.sum() > 500
    assert changed[: before.shape[0] // 2].sum() == 0  # the text sits at the bottom
    other = np.asarray(_open(painter.edit(fox, 'add the text "Goodbye, friends"')), np.int16)
    assert np.abs(other - after).sum() > 0


def test_edit_tone_and_colour(fox: bytes) -> None:
    base = _pixels(fox)
    assert _pixels(painter.edit(fox, "brighter")).mean() > base.mean() + 10
    assert _pixels(painter.edit(fox, "make it darker")).mean() < base.mean() - 10
    blue = _pixels(painter.edit(fox, "make it blue")).reshape(-1, 3).mean(axis=0)
    warm = _pixels(painter.edit(fox, "warmer")).reshape(-1, 3).mean(axis=0)
    mean = base.reshape(-1, 3).mean(axis=0)
    assert blue[2] - blue[0] > mean[2] - mean[0] + 30
    assert warm[0] - warm[2] > mean[0] - mean[2] + 10


def test_edit_mirror_and_blur_background(fox: bytes) -> None:
    img = _open(fox)
    assert np.array_equal(np.asarray(_open(painter.edit(fox, "mirror it"))),
                          np.asarray(ImageOps.mirror(img)))  # fmt: skip
    blurred = np.asarray(_open(painter.edit(fox, "blur the background")), np.int16)
    diff = np.abs(blurred - np.asarray(img, np.int16)).sum(axis=2)
    h, w = diff.shape
    centre = diff[h * 2 // 5 : h * 3 // 5, w * 2 // 5 : w * 3 // 5].mean()
    corners = np.concatenate([diff[: h // 8, : w // 8], diff[-h // 8 :, -w // 8 :]]).mean()
    assert corners > centre


def test_unknown_edit_is_a_gentle_deterministic_variation(fox: bytes) -> None:
    varied = painter.edit(fox, "make it more whimsical")
    assert varied == painter.edit(fox, "make it more whimsical")
    assert 2 < _distance(varied, fox) < 80
    assert _open(varied).size == _open(fox).size


def test_edit_rejects_non_images() -> None:
    with pytest.raises(ValueError):
        painter.edit(b"not a png", "brighter")
