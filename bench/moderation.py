"""Moderation: time per check and false positives on ordinary captions and pictures.

Captions: 200 drafted by the offline caption writer (50 everyday subjects, four tones) plus
hand-written everyday ones with words that hide a listed word (Scunthorpe, cocktail, ...).
Pictures: 100 by the offline painter from varied prompts (people, beaches, food, animals,
cities) plus a few drawn with Pillow (gradient, noise, a face, a sandy beach with a person).
Every one of them is ordinary, so every refusal counted is a false positive.

    python -m bench.moderation
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image, ImageDraw

from assistant.engines import CaptionBrief, Tone
from assistant.offline.captions import OfflineCaptionWriter
from assistant.offline.painter import OfflinePainter
from bench.report import Figure
from bench.timing import timed
from social.moderation import Submission
from social.moderation_offline import EXPLICIT_CLASSES, NudityCheck, profanity_check

SUBJECTS = [
    "a bowl of ramen", "a cat on a roof under the moon", "a robot in a library",
    "palm trees on a beach", "a lighthouse in a storm", "a cup of coffee", "sunflowers in a field",
    "my grandmother's garden", "a bride and groom dancing", "kids playing football in the park",
    "a woman swimming in the sea", "a man jogging at sunrise", "a baby asleep in a crib",
    "friends at a cocktail bar", "a chef plating a dessert", "a crowded night market in Taipei",
    "a snowy mountain cabin", "a dog catching a frisbee", "a bicycle against a brick wall",
    "a rainy street in Paris", "a sailboat at dusk", "a plate of tacos", "a hot air balloon",
    "a yoga class on the beach", "surfers waiting for a wave", "a fox in the snow",
    "an old man reading a newspaper", "a bakery window full of bread", "a desert road trip",
    "a family picnic by the lake", "a tattooed barista", "a wedding cake", "a jazz band",
    "a street in Scunthorpe", "a sunset over Sussex", "a koi pond", "a farmer with his cows",
    "a girl with a red umbrella", "a skateboarder mid-jump", "a cozy reading nook",
    "fireworks over the harbour", "a marathon finish line", "a pair of hiking boots",
    "a couple on a bench", "a birthday party", "a greenhouse full of tomatoes",
    "a swimmer at the Olympics", "a rooster at dawn", "a spa day with cucumber slices",
    "a beach volleyball match",
]  # fmt: skip
TONES: tuple[Tone, ...] = ("friendly", "playful", "poetic", "bold")
EVERYDAY = [
    "Scunthorpe United won 2-1 tonight!", "Cocktail hour on the terrace 🍸",
    "Finally finished Assassin's Creed", "Grandma's shiitake mushroom soup",
    "Sunset over Sussex and Essex", "Analysis of the class assignment",
    "Went bass fishing with dad", "Dick Van Dyke was in Mary Poppins",
    "A bloody Mary at brunch", "The cock crowed at five", "A blue tit at the feeder",
    "Pussy willow catkins in March", "Hell's Kitchen tonight at 8", "Hot dogs at the ballpark",
    "Spotted a great tit and a shag on the cliffs", "Our new kitty, Mittens",
    "Balls of wool for the scarf", "Sextant navigation class", "Cumin, coriander and chilli",
    "Middlesex cricket ground", "Butt of the joke, as usual", "Breast of chicken with lemon",
    "The Titanic museum in Belfast", "Penistone town hall", "Shitake? No, shiitake!",
    "Arsenal 3, Spurs 0", "The thermometer hit 35 today", "Happy hump day!",
    "Kidney beans and rice", "The bitter end of a long week", "A damn good espresso",
    "Crap, I forgot my keys", "Wanker? Only on the pitch", "Holy cow, what a view",
    "Screw-top wine for the picnic", "Nude lipstick shade, new favourite",
    "Sex Pistols tribute band tonight", "Bang on time for once",
    "A vixen and her kits by the den", "Our Maine coon asleep on the radiator",
    "Switchbacks up a rocky slope",
]  # fmt: skip
PAINTER_PROMPTS = 100
THRESHOLDS = (0.2, 0.3, 0.5, 0.7)


@dataclass(frozen=True)
class ModerationFigures:
    """What one run measured."""

    text_ms: float
    image_ms_640: float
    image_ms_1024: float
    drafted: int
    drafted_refused: list[str]
    everyday: int
    everyday_refused: list[str]
    pictures: int
    # Pictures refused at each threshold: on the explicit classes, and on every *_EXPOSED class.
    explicit_refused: dict[float, int]
    any_exposed_refused: dict[float, int]


def drafted_captions() -> list[str]:
    """200 captions drafted by the offline writer for everyday subjects."""
    writer = OfflineCaptionWriter()
    captions = []
    for subject in SUBJECTS:
        for tone in TONES:
            captions.append(writer.draft_captions(CaptionBrief(subject=subject, tone=tone, n=1))[0])
    return captions


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def drawn_photos() -> list[bytes]:
    """A few pictures drawn with Pillow: a gradient, noise, a face, a beach with a person."""
    gradient = Image.linear_gradient("L").resize((640, 640)).convert("RGB")
    noise = Image.effect_noise((640, 640), 64).convert("RGB")
    face = Image.new("RGB", (640, 640), (90, 120, 160))
    draw = ImageDraw.Draw(face)
    draw.ellipse([200, 120, 440, 440], fill=(225, 180, 150))
    draw.ellipse([260, 230, 290, 260], fill=(40, 40, 40))
    draw.ellipse([350, 230, 380, 260], fill=(40, 40, 40))
    draw.arc([270, 320, 370, 380], 0, 180, fill=(150, 60, 60), width=6)
    beach = Image.new("RGB", (640, 640), (120, 180, 230))
    draw = ImageDraw.Draw(beach)
    draw.rectangle([0, 380, 640, 640], fill=(230, 210, 160))
    draw.ellipse([290, 250, 350, 310], fill=(210, 160, 130))
    draw.rectangle([285, 310, 355, 450], fill=(210, 160, 130))
    draw.rectangle([285, 380, 355, 420], fill=(200, 40, 60))
    return [_png(picture) for picture in (gradient, noise, face, beach)]


def painted(count: int = PAINTER_PROMPTS) -> list[bytes]:
    """`count` pictures by the offline painter, from the everyday subjects."""
    painter = OfflinePainter()
    rng = random.Random(7)
    styles = ["", "photo", "watercolor", "neon", "oil painting"]
    return [
        painter.generate(f"{SUBJECTS[i % len(SUBJECTS)]}, {rng.choice(styles)}".strip(", "))[0]
        for i in range(count)
    ]


def _median_ms(action: Callable[[], object]) -> float:
    return timed(action, repeat=15) * 1e3


def _square(side: int) -> bytes:
    """A painter picture resized to `side` × `side`."""
    with Image.open(io.BytesIO(OfflinePainter().generate("a beach at noon")[0])) as picture:
        return _png(picture.convert("RGB").resize((side, side)))


def measure(pictures_painted: int = PAINTER_PROMPTS) -> ModerationFigures:
    """Time each offline check and count what it refuses among ordinary captions and pictures."""
    words = profanity_check()  # as Plaza runs it: with the settings' allowed words
    detector = NudityCheck(threshold=0.5)
    captions = drafted_captions()
    drafted_refused = [c for c in captions if not words.check(Submission(text=c)).allowed]
    everyday_refused = [c for c in EVERYDAY if not words.check(Submission(text=c)).allowed]
    text_ms = _median_ms(lambda: words.check(Submission(text=captions[0])))

    pictures = painted(pictures_painted) + drawn_photos()
    explicit, exposed = [], []
    for picture in pictures:
        found = detector.detections(picture)
        explicit.append(max((v for k, v in found.items() if k in EXPLICIT_CLASSES), default=0.0))
        exposed.append(max((v for k, v in found.items() if k.endswith("_EXPOSED")), default=0.0))
    small, large = _square(640), _square(1024)
    return ModerationFigures(
        text_ms=text_ms,
        image_ms_640=_median_ms(lambda: detector.check(Submission(text="", image=small))),
        image_ms_1024=_median_ms(lambda: detector.check(Submission(text="", image=large))),
        drafted=len(captions),
        drafted_refused=drafted_refused,
        everyday=len(EVERYDAY),
        everyday_refused=everyday_refused,
        pictures=len(pictures),
        explicit_refused={t: sum(score >= t for score in explicit) for t in THRESHOLDS},
        any_exposed_refused={t: sum(score >= t for score in exposed) for t in THRESHOLDS},
    )


def report(figures: ModerationFigures) -> str:
    """The figures as a few lines of text."""
    lines = [
        f"profanity check: {figures.text_ms:.2f} ms per caption",
        f"nudity check: {figures.image_ms_640:.0f} ms at 640², {figures.image_ms_1024:.0f} ms at "
        "1024² (decode, shrink to 640, detect)",
        f"captions: {len(figures.drafted_refused)} of {figures.drafted} drafted and "
        f"{len(figures.everyday_refused)} of {figures.everyday} hand-written everyday ones refused",
        "  refused: " + "; ".join(figures.drafted_refused + figures.everyday_refused),
        f"pictures ({figures.pictures} ordinary) refused by threshold, explicit classes: "
        + ", ".join(f"{t}: {n}" for t, n in figures.explicit_refused.items()),
        "  if every *_EXPOSED class counted: "
        + ", ".join(f"{t}: {n}" for t, n in figures.any_exposed_refused.items()),
    ]
    return "\n".join(lines)


def run(*, smoke: bool = False, postgres_url: str | None = None) -> list[Figure]:
    """The figures for `python -m bench`'s table (no baselines: reported as measured)."""
    figures = measure(pictures_painted=3 if smoke else PAINTER_PROMPTS)
    threshold = 0.5
    return [
        Figure("moderation: profanity check, one caption", "", figures.text_ms / 1e3, None),
        Figure("moderation: nudity check, 640² picture", "", figures.image_ms_640 / 1e3, None),
        Figure(
            f"false positives: {figures.drafted} drafted + {figures.everyday} everyday captions",
            "",
            len(figures.drafted_refused) + len(figures.everyday_refused),
            None,
            unit=f"refused of {figures.drafted + figures.everyday}",
        ),
        Figure(
            f"false positives: {figures.pictures} ordinary pictures at {threshold}",
            "",
            figures.explicit_refused[threshold],
            None,
            unit=f"refused of {figures.pictures}",
        ),
    ]


if __name__ == "__main__":
    print(report(measure()), flush=True)
