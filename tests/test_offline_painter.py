"""The offline painter: prompt-dependent, deterministic pictures and real Pillow edits."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageOps, PngImagePlugin
from sqlalchemy import Engine

from assistant.engines import ASPECT_SIZES
from assistant.offline import gallery, glyphs
from assistant.offline.captions import OfflineCaptionWriter
from assistant.offline.depiction import depict, subjects_drawn
from assistant.offline.painter import MAX_SIDE, OfflinePainter, render
from assistant.offline.vocabulary import SHAPE_GLYPHS, vocabulary
from assistant.tools import build_tools
from social.media import read_provenance

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


def test_pictures_say_they_come_from_the_offline_painter(sqlite_engine: Engine) -> None:
    tools = {t.name: t for t in build_tools(painter, OfflineCaptionWriter(), sqlite_engine)}
    call = {"type": "tool_call", "id": "1", "name": "generate_image", "args": {"prompt": "a fox"}}
    [image] = tools["generate_image"].invoke(call).artifact["images"]
    assert image["offline"] is True and "offline" in image["model"]
    provenance = read_provenance(image["sha256"])
    assert provenance["plaza:model"] == image["model"]
    assert provenance["plaza:ai_generated"] == "true"


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


def test_watercolor_softens_edges_inside_a_paper_border() -> None:
    plain = _open(painter.generate("a cat on hills")[0])
    soft = _open(painter.generate("a cat on hills", style="watercolor")[0])
    inner = (plain.width // 12, plain.height // 12, plain.width * 11 // 12, plain.height * 11 // 12)
    assert _hard_edges(soft.crop(inner)) < _hard_edges(plain.crop(inner)) / 3
    corner = np.asarray(soft, np.int16)[:6, :6].reshape(-1, 3)
    assert corner.min() > 235  # unpainted paper around the wash


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


# --- what the picture shows -------------------------------------------------------------------


def _dhash(channel: Image.Image, side: int = 16) -> np.ndarray:
    """A difference hash: is each pixel of a small thumbnail brighter than its right-hand
    neighbour? Pictures that look alike differ in few of its side * side bits."""
    arr = np.asarray(channel.resize((side + 1, side), Image.Resampling.BOX), np.int16)
    return (arr[:, 1:] > arr[:, :-1]).flatten()


def _ahash(channel: Image.Image, side: int = 16) -> np.ndarray:
    """An average hash: is each pixel of a small thumbnail brighter than the mean?"""
    arr = np.asarray(channel.resize((side, side), Image.Resampling.BOX))
    return (arr > arr.mean()).flatten()


def _phash(data: bytes) -> np.ndarray:
    """dHash and aHash of each colour channel: 1,536 bits, so colour counts as well as shape."""
    channels = _open(data).split()
    return np.concatenate([h(c) for c in channels for h in (_dhash, _ahash)])


def _hash_distance(a: bytes, b: bytes) -> int:
    """Bits that differ between two pictures' hashes (0 alike, about 768 unrelated)."""
    return int((_phash(a) != _phash(b)).sum())


SUBJECT_PROMPTS = [
    "a bowl of ramen",
    "a robot in a library",
    "a cup of coffee",
    "sunflowers in a field",
    "a lighthouse in a storm",
    "a dragon",
    "palm trees on a beach",
    "a cabin in the woods",
    "an astronaut cat in space",
    "a birthday cake",
]


def test_vocabulary_draws_over_a_thousand_subjects() -> None:
    drawable = [key for key, entry in vocabulary().items() if _draws(entry.glyph)]
    assert len(drawable) >= 1000
    everyday = "ramen coffee robot sunflower dragon cabin taxi astronaut penguin umbrella guitar"
    for word in [*everyday.split(), "palm tree", "castle", "rain", "chef"]:
        assert word in drawable, word


def _draws(sequence: str) -> bool:
    return sequence in SHAPE_GLYPHS or glyphs.glyph(sequence) is not None


@pytest.mark.parametrize(
    ("prompt", "drawn"),
    [
        ("a cat on a roof under the moon", ["cat", "roof"]),
        ("a bowl of ramen", ["bowl of ramen"]),
        ("Two puppies and a kitten", ["puppies", "kitten"]),
        ("palm trees on a beach at sunset", ["palm trees"]),
        ("an astronaut cat", ["cat", "astronaut"]),
        ("a neon city at night", []),
        ("an ancient tesseract, watercolor", []),
    ],
)
def test_subjects_drawn_are_read_from_the_prompt(prompt: str, drawn: list[str]) -> None:
    assert subjects_drawn(prompt) == drawn


def test_different_subjects_give_different_pictures() -> None:
    images = [painter.generate(prompt)[0] for prompt in SUBJECT_PROMPTS]
    distances = [
        _hash_distance(images[i], images[j])
        for i in range(len(images))
        for j in range(i + 1, len(images))
    ]
    assert min(distances) > 100, min(distances)
    assert painter.generate(SUBJECT_PROMPTS[0])[0] == images[0]  # and the same prompt, same bytes


def test_subject_is_drawn_where_the_plain_scene_has_none() -> None:
    # The ramen picture differs from the same scene without a subject mostly in the middle.
    ramen = np.asarray(render("a bowl of ramen at sunset", "1:1", "", 0), np.int16)
    table = np.asarray(render("a table at sunset", "1:1", "", 0), np.int16)
    diff = np.abs(ramen - table).sum(axis=2) > 60
    h, w = diff.shape
    assert diff[h // 4 : h * 3 // 4, w // 4 : w * 3 // 4].mean() > 0.3
    assert diff[: h // 8].mean() < 0.05


def test_options_of_one_request_differ_visibly() -> None:
    for prompt in ("a cat on a roof under the moon", "a neon city at night", "a bowl of ramen"):
        options = painter.generate(prompt, n=3)
        for i in range(3):
            for j in range(i + 1, 3):
                assert _hash_distance(options[i], options[j]) > 150, (prompt, i, j)
        assert painter.generate(prompt, n=3) == options


def test_styles_differ_visibly() -> None:
    styles = ["", "watercolor", "pixel art", "poster", "photo", "sketch", "neon"]
    images = [painter.generate("a dog by the lake", style=style)[0] for style in styles]
    for i in range(len(images)):
        for j in range(i + 1, len(images)):
            assert _distance(images[i], images[j]) > 4, (styles[i], styles[j])


def _with_provenance(png: bytes, prompt: str) -> bytes:
    # What the feed's image store writes into every generated image it keeps.
    info = PngImagePlugin.PngInfo()
    info.add_itxt("plaza:model", painter.model)
    info.add_itxt("plaza:prompt", prompt)
    out = io.BytesIO()
    _open(png).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def test_wider_repaints_the_scene_at_the_new_shape() -> None:
    prompt = "a lighthouse in a storm"
    second = painter.generate(prompt, n=3)[1]
    wider = _open(painter.edit(_with_provenance(second, prompt), "make it wider"))
    assert wider.width / wider.height == pytest.approx(16 / 9, rel=0.01)
    assert wider.height == _open(second).height  # extended, not shrunk or stretched
    assert np.array_equal(np.asarray(wider), np.asarray(render(prompt, 16 / 9, "", 1, 1365)))
    # The new margins hold the scene (sky and hills), not a blur of the old picture.
    margin = np.asarray(wider, np.int16)[:, :120]
    assert np.abs(np.diff(margin, axis=0)).sum(axis=2).max() > 40  # a hill line crosses it


def test_wider_keeps_edits_it_cannot_repaint() -> None:
    prompt = "a lighthouse in a storm"
    grey = painter.edit(painter.generate(prompt)[0], "black and white")
    wider = np.asarray(_open(painter.edit(_with_provenance(grey, prompt), "make it wider")))
    assert wider.shape[1] / wider.shape[0] == pytest.approx(16 / 9, rel=0.01)
    assert (wider[..., 0] == wider[..., 1]).all()  # still black and white: extended, not redrawn


def test_missing_emoji_font_is_said_and_shapes_stand_in(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(glyphs, "FONT_PATHS", ())
    for cached in (glyphs.emoji_font, glyphs.glyph, depict):
        cached.cache_clear()
    try:
        with caplog.at_level("WARNING"):
            assert subjects_drawn("a red fox and a bowl of ramen") == ["fox"]
        assert "fonts-noto-color-emoji" in caplog.text
        fox = _open(painter.generate("a red fox at dawn")[0])
        assert _hard_edges(fox) > 100  # the fox shape is there
        assert "ramen" not in OfflineCaptionWriter().write_alt_text("a bowl of ramen")
    finally:
        for cached in (glyphs.emoji_font, glyphs.glyph, depict):
            cached.cache_clear()


def test_gallery_sheet_shows_varied_prompts(tmp_path: Path) -> None:
    assert len(gallery.PROMPTS) >= 24
    drawn = [tuple(subjects_drawn(f"{prompt} {style}")) for prompt, style in gallery.PROMPTS]
    assert len(set(drawn)) >= 24  # different subjects, not one subject in many styles
    out = tmp_path / "gallery.png"
    gallery.main([str(out)])
    with Image.open(out) as sheet:
        assert sheet.format == "PNG" and sheet.width >= 6 * gallery.TILE
    assert out.stat().st_size < 2_000_000
