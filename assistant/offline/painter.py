"""The offline image engine: paints a prompt-dependent picture with Pillow, no network needed."""

from __future__ import annotations

import hashlib
import io
import random

import numpy as np
from PIL import Image, ImageDraw

from assistant.engines import ASPECT_SIZES, Aspect
from assistant.offline import effects, scene
from assistant.offline.captions import title_of
from assistant.offline.editing import apply_edit
from assistant.offline.palette import SCENE_WORDS, palette_for, words_of
from assistant.offline.shapes import DRAWERS, NATURAL, SUBJECT_WORDS, Pen, emblem, shade

MAX_SIDE = 768  # a quarter of the pixels of the API sizes keeps a render well under 0.3 s
SUPERSAMPLE = 2  # shapes are drawn at twice the size and reduced, which anti-aliases them
NEON_COLOURS = ((255, 43, 214), (0, 240, 255))
# Words that ask for scenery rather than a subject, so no emblem is drawn in front of it.
SCENERY_WORDS = {"landscape", "scenery", "view", "skyline", "panorama", "horizon", "vista"}


def size_for(aspect: str) -> tuple[int, int]:
    """The render size for `aspect`: ASPECT_SIZES scaled so the longest side is MAX_SIDE."""
    w, h = ASPECT_SIZES.get(aspect, ASPECT_SIZES["1:1"])
    scale = MAX_SIDE / max(w, h)
    return round(w * scale), round(h * scale)


def plan_for(text: str) -> tuple[scene.Plan, set[str], bool]:
    """The scene plan, the style finishes and whether to frame a poster, read from `text`."""
    words = words_of(text)
    palette = palette_for(text)
    subject = next((SUBJECT_WORDS[w] for w in words if w in SUBJECT_WORDS), None)
    setting = next((scene.SETTING_WORDS[w] for w in words if w in scene.SETTING_WORDS), None)
    if setting is None:
        scenes = {SCENE_WORDS.get(w) for w in words}
        fallback = {"forest": "forest", "ocean": "water", "desert": "desert"}
        setting = next((v for k, v in fallback.items() if k in scenes), None)
    if setting is None:
        setting = "water" if subject == "fish" else "hills"
    if subject is None and not (SCENERY_WORDS.intersection(words) or setting != "hills"):
        subject = "emblem"
    styles = {effects.STYLE_WORDS[w] for w in words if w in effects.STYLE_WORDS}
    plan = scene.Plan(
        palette=palette,
        setting=setting,
        subject=subject,
        low_sun=any(SCENE_WORDS.get(w) in ("dawn", "sunset") for w in words),
        flat="minimal" in styles,
        close_up=bool({"portrait", "close-up", "closeup", "headshot"}.intersection(words)),
    )
    return plan, styles, bool({"poster", "posters", "flyer"}.intersection(words))


def _subject(img: Image.Image, plan: scene.Plan, rng: random.Random) -> None:
    w, h = img.size
    if plan.subject is None:
        return
    p = plan.palette
    size = min(w, h) * (0.46 if plan.close_up else 0.34)
    x = w * (0.5 + rng.uniform(-0.12, 0.12))
    y = h * (0.9 if plan.close_up else 0.86 + rng.uniform(-0.03, 0.02))
    pen = Pen(ImageDraw.Draw(img), x, y, size, mirror=rng.random() < 0.5)
    if not plan.flat:  # a soft backlight keeps a dark animal visible on a dark ground
        scene.glow(img, (x, y - size * 0.5), size * 0.75, shade(p.sky_bottom, 0.3))
    if plan.subject == "emblem":
        emblem(pen, p.subject, p.accent, rng)
        return
    if plan.subject not in ("fish", "bird"):  # a contact shadow grounds a sitting animal
        pen.ellipse(0.1, 0.0, 0.42, 0.05, shade(p.ground, -0.35))
    # Fish and birds take the palette's colour; mammals keep their own unless the prompt names
    # one ("a blue cat"), and a "red fox" is a species whose natural colour is already right.
    natural = NATURAL.get(plan.subject)
    named = p.colour_word and not (plan.subject == "fox" and p.colour_word == "red")
    body = natural if natural and not named else p.subject
    DRAWERS[plan.subject](pen, body, p.accent)


def render(prompt: str, aspect: str, style: str, index: int) -> Image.Image:
    """One picture for `prompt`; `index` picks the variant."""
    text = f"{prompt} {style}".strip()
    digest = hashlib.sha256(f"{prompt}\x00{style}\x00{index}".encode()).digest()
    rng = random.Random(digest)
    plan, styles, framed = plan_for(text)
    w, h = size_for(aspect)
    big = (w * SUPERSAMPLE, h * SUPERSAMPLE)
    p = plan.palette
    if plan.flat:
        img = Image.new("RGB", big, p.sky_bottom)
    else:
        img = scene.gradient(big, p.sky_top, p.sky_bottom)
    horizon = big[1] * ((0.45 if plan.subject == "fish" else 0.64) + rng.uniform(-0.04, 0.04))
    light = scene.sky(img, plan, horizon, rng)
    scene.setting(img, plan, horizon, rng, light)
    _subject(img, plan, rng)
    img = img.reduce(SUPERSAMPLE)
    noise = np.random.default_rng(int.from_bytes(digest[:8], "big"))
    if not plan.flat and "pixel" not in styles:  # quantised, a vignette turns into rings
        img = effects.vignette(img)
    if "sketch" in styles:
        img = effects.sketch(img)
    if "vintage" in styles:
        img = effects.vintage(img)
    if "neon" in styles:
        img = effects.neon(img, NEON_COLOURS)
    if "watercolor" in styles:
        img = effects.watercolor(img, noise)
    if "pixel" in styles:
        img = effects.pixelate(img)
    if framed:
        ink, paper = shade(p.ground, -0.55), shade(p.sky_bottom, 0.8)
        img = effects.poster(img, title_of(prompt), ink, paper)
    return img


def to_png(img: Image.Image) -> bytes:
    """PNG bytes of `img`."""
    out = io.BytesIO()
    img.save(out, format="PNG", compress_level=3)  # level 6 is 4x slower on grainy styles
    return out.getvalue()


class OfflinePainter:
    """Paints prompt-dependent pictures with Pillow, deterministically, without a network."""

    model = "plaza-offline-painter"
    offline = True

    def generate(
        self, prompt: str, *, aspect: Aspect = "1:1", n: int = 1, style: str = ""
    ) -> list[bytes]:
        """`n` PNG images for `prompt`; the same arguments always give the same bytes."""
        return [to_png(render(prompt, aspect, style, i)) for i in range(max(1, n))]

    def edit(self, image: bytes, instruction: str, *, aspect: Aspect | None = None) -> bytes:
        """A PNG of `image` changed as `instruction` says."""
        return to_png(apply_edit(image, instruction, aspect=aspect))
