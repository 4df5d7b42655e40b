"""The offline caption writer: varied, deterministic captions, hashtags and alt text."""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from assistant.engines import PLATFORM_LIMITS, CaptionBrief
from assistant.offline.depiction import (
    ABSTRACT_WORDS,
    INDOOR_WORDS,
    SCENERY_WORDS,
    depict,
    describe,
)
from assistant.offline.effects import STYLE_WORDS
from assistant.offline.palette import SCENE_WORDS, palette_for, words_of
from assistant.offline.scene import SETTING_WORDS
from assistant.offline.shapes import SUBJECT_WORDS
from assistant.offline.tones import TONES, ToneBank
from assistant.offline.vocabulary import singular

MAX_SUBJECT = 80  # a pasted paragraph must not become a caption's subject phrase
# The request's framing, removed from the front: politeness, verbs, counts, formats.
LEAD = re.compile(
    r"^(?:please|pls|kindly|hey|hi|ok(?:ay)?|so|now|can you|could you|would you|will you|"
    r"i want|i'd like|i would like|i need|let's|lets|make|create|generate|draw|paint|render|"
    r"design|produce|give|show|write|draft|suggest|come up with|get)\b[\s,]*(?:me|us)?\b[\s,:]*",
    re.IGNORECASE,
)
COUNT = re.compile(
    r"^(?:\d+|one|two|three|four|five|a few|a couple of|some)\s+(?=\S+\s+(?:of|for|about)\b)|"
    r"^(?:(?:square|wide|vertical|tall|new|quick|short|long|nice|good)\s+)+",
    re.IGNORECASE,
)
FRAME = re.compile(
    r"^(?:(?:a|an|the|my|some)\s+)?(?:([\w\s-]{0,30}?)\s+)??(?:posters?|images?|pictures?|"
    r"photos?|photographs?|illustrations?|paintings?|drawings?|renders?|wallpapers?|artworks?|"
    r"art|sketch(?:es)?|versions?|options|variations|captions?|posts?|tweets?|logos?|banners?|"
    r"icons?|scenes?|shots?|hashtags?|alt[- ]text|descriptions?)\s+"
    r"(?:of|for|about|with|showing|featuring|depicting)\s+",
    re.IGNORECASE,
)
ANYWHERE = [
    r"\b(?:for|on)\s+(?:x|twitter|instagram|insta|ig|linkedin|facebook|tiktok)\b",
    r"\b(?:in\s+)?(?:an?\s+)?(?:friendly|playful|professional|poetic|bold|funny|witty)\s+"
    r"(?:tone|voice|way)\b",
    r"\b(?:with|without|no)\s+emojis?\b",
    r"\b(?:in\s+)?(?:1:1|16:9|9:16|4:5)\b",
    r"\bplease\b",
]
STOPWORDS = set(
    "a an the of at in on with and or for by to from under over near into onto through across "
    "during beneath above among against behind beside between around inside outside while this "
    "that these those my our your his her its their some any very really just so it is are was "
    "be being been as up out off here there what who how when where which make made me us new "
    "say hello today style styled like look looking feel vibe vibes one two three image picture "
    "photo poster version".split()
)
PREPOSITIONS = re.compile(
    r"\s+\b(?:at|in|on|under|over|by|near|with|during|across|through|beneath|above|among|"
    r"against|into|inside|behind|beside|between|around|from|of)\b\s+"
)
NOT_STYLE = set(
    "a an the my some few couple of more different new quick short long square wide vertical "
    "tall 1 2 3 4 5 6 one two three four five six".split()
)
DETERMINER = re.compile(r"^(?:a|an|the|some|my|our|your|his|her|their|this|these|\d+|one|two|"
                        r"three|four|five|six|many|several)\b", re.IGNORECASE)  # fmt: skip
KNOWN = set(SUBJECT_WORDS) | set(SCENE_WORDS) | set(SETTING_WORDS) | set(STYLE_WORDS)
STYLE_TAGS = {"watercolor": "watercolor", "pixel": "pixelart", "neon": "neon",
              "minimal": "minimalism", "sketch": "sketch", "vintage": "vintage",
              "photo": "photography"}  # fmt: skip
MEDIUMS = {"watercolor": "Watercolor illustration", "pixel": "Pixel-art illustration",
           "neon": "Neon-lit illustration", "minimal": "Minimal flat illustration",
           "sketch": "Pencil-style sketch", "vintage": "Vintage-toned illustration",
           "photo": "Photo-style illustration"}  # fmt: skip
# Neither "AI art" nor "photography": the same words draft captions for generated pictures and
# for a person's own photos, and the post's label already says which it is.
COMMUNITY_TAGS = ["#picoftheday", "#instagood", "#instadaily", "#creative", "#explore"]
TAG_COUNT = {"x": 2, "generic": 3, "instagram": 8}
EMOJI_RANGES = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f\u200d]")


@dataclass(frozen=True)
class Parsed:
    """A request reduced to its subject phrase and its extra details."""

    subject: str  # "red fox at dawn"
    details: tuple[str, ...]  # ("watercolor",)
    main: str  # "red fox": the subject before its first preposition
    head: str  # "fox": the last word of `main`


def parse(request: str) -> Parsed:
    """Split a request into subject and details, dropping its framing ("make me a poster of")."""
    text = " ".join(EMOJI_RANGES.sub(" ", request).replace("#", " ").split()).strip(" \"'.!?")
    for pattern in ANYWHERE:
        text = re.sub(pattern, " ", text, flags=re.IGNORECASE)
    text = " ".join(text.split())
    styles: list[str] = []
    for _ in range(4):  # framing nests: "captions for a photo of my dog"
        before = text
        text = LEAD.sub("", text).strip(" ,:")
        text = COUNT.sub("", text).strip(" ,:")
        frame = FRAME.match(text)
        if frame:
            kept = [w for w in (frame.group(1) or "").split() if w.lower() not in NOT_STYLE]
            if kept:  # "watercolor painting of" keeps "watercolor"; "3 square options of" nothing
                styles.append(" ".join(kept))
            text = text[frame.end() :]
        if text == before:
            break
    parts = [p.strip(" .!?") for p in re.split(r"[,;\u2013\u2014]|\s+-\s+|[.!?]+\s+", text)]
    parts = [p for p in parts if p]
    subject = parts[0] if parts else ""
    subject = re.sub(r"^(?:a|an|the|some)\s+", "", subject, flags=re.IGNORECASE)
    if not _is_proper_noun(subject):
        subject = subject[:1].lower() + subject[1:]
    subject = _shorten(subject, MAX_SUBJECT) or _shorten(request.strip(), MAX_SUBJECT)
    subject = subject or "this moment"
    main = PREPOSITIONS.split(subject, maxsplit=1)[0]
    head_words = [w for w in words_of(main) if w not in STOPWORDS]
    head = head_words[-1] if head_words else (words_of(subject) or ["moment"])[-1]
    return Parsed(subject, tuple(styles + parts[1:]), main, head)


def shown(request: str) -> Parsed:
    """`parse(request)`, its subject replaced by what the picture shows when the painter cannot
    draw the subject the request names, so no caption praises a missing lighthouse."""
    parsed = parse(request)
    depiction = depict(request)
    drawn = {singular(w) for d in depiction.subjects for w in words_of(d.mention.words)}
    scenery = set(SETTING_WORDS) | set(SCENE_WORDS) | set(INDOOR_WORDS) | SCENERY_WORDS
    if depiction.emblem:
        scenery |= ABSTRACT_WORDS
    if singular(parsed.head) in drawn or parsed.head in scenery:
        return parsed
    subject = describe(depiction) or "this scene"
    if depiction.subjects:
        head = depiction.subjects[0].mention.words
        main = head
    else:
        head = "emblem" if depiction.emblem else "scene"
        main = subject
    return Parsed(_shorten(subject, MAX_SUBJECT), parsed.details, main, head)


def subject_of(request: str) -> str:
    """The subject phrase of a request: "a poster of a red fox at dawn" gives "red fox at dawn"."""
    return parse(request).subject


def title_of(request: str) -> str:
    """A short title for a request, such as "Red fox at dawn"."""
    subject = _shorten(subject_of(request), 40)
    return subject[:1].upper() + subject[1:]


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


def _is_proper_noun(text: str) -> bool:
    # "Eiffel Tower at night" and "Paris" are names; "Red fox at dawn" is a sentence start.
    words = text.split()
    if len(words) == 1:
        return words[0][:1].isupper() and not words[0].isupper()
    return len(words) >= 2 and words[0][:1].isupper() and words[1][:1].isupper()


def _with_article(parsed: Parsed) -> tuple[str, str]:
    # "a red fox at dawn" and "this red fox at dawn"; plural or determined subjects stay as is.
    s = parsed.subject
    if DETERMINER.match(s) or _is_proper_noun(s):
        return s, s
    plural = parsed.head.endswith("s") and not parsed.head.endswith(("ss", "us", "is"))
    if plural:
        return s, f"these {s}"
    article = "an" if s[:1].lower() in "aeiou" else "a"
    return f"{article} {s}", f"this {s}"


def _style_of(parsed: Parsed) -> str:
    words = [w for d in parsed.details for w in words_of(d)]
    named = [d for d in parsed.details if any(w in STYLE_WORDS for w in words_of(d))]
    return named[0] if named else (parsed.details[0] if parsed.details and words else "")


def _hashtag(words: list[str]) -> str:
    # One word stays lower-case (#fox); several become CamelCase (#RedFox); only [A-Za-z0-9_].
    parts = []
    for word in words:
        ascii_word = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
        clean = re.sub(r"[^A-Za-z0-9_]", "", ascii_word)
        if clean:
            parts.append(clean.lower() if len(words) == 1 else clean[:1].upper() + clean[1:])
    tag = "".join(parts)
    return f"#{tag}" if tag and not tag.isdigit() else ""


class OfflineCaptionWriter:
    """Drafts captions, hashtags and alt text from the request's own words, without a network."""

    offline = True

    def draft_captions(self, brief: CaptionBrief) -> list[str]:
        """`brief.n` distinct captions in the brief's tone, each within the platform's limit."""
        parsed = shown(brief.subject)
        bank = TONES.get(brief.tone, TONES["friendly"])
        limit = PLATFORM_LIMITS.get(brief.platform, PLATFORM_LIMITS["generic"])
        count = TAG_COUNT.get(brief.platform, 3)
        # Hashtags, too, only name what is shown: from the shown subject when it was replaced.
        same = parsed == parse(brief.subject)
        tags = self.suggest_hashtags(brief.subject if same else parsed.subject, n=count)
        if brief.platform == "instagram":  # Instagram rewards a fuller set of community tags
            tags += [t for t in COMMUNITY_TAGS if t not in tags][: max(0, count - len(tags))]
        captions: list[str] = []
        key = f"{brief.subject}\x00{brief.tone}\x00{brief.platform}\x00{brief.emoji}"
        for i in range(max(0, brief.n)):
            for attempt in range(8):  # a repeat is re-rolled with another seed
                rng = random.Random(hashlib.sha256(f"{key}\x00{i}\x00{attempt}".encode()).digest())
                build = STRUCTURES[(i + attempt) % len(STRUCTURES)]
                lines = build(bank, _fields(parsed), rng, brief.platform)
                caption = _assemble(lines, tags, rng, bank, brief.emoji, limit, short=i == 0)
                if caption not in captions:
                    break
            captions.append(caption)
        return captions

    def suggest_hashtags(self, text: str, n: int = 5) -> list[str]:
        """Up to `n` hashtags from the salient words of `text`, and a style tag if there is room."""
        if n <= 0:
            return []
        parsed = parse(text)
        words = [w for w in words_of(" ".join([parsed.subject, *parsed.details]))]
        salient = [w for w in words if w not in STOPWORDS and (len(w) > 2 or w[0].isdigit())]
        # Words we know to be subjects, scenes or styles first, then the rest in order.
        salient.sort(key=lambda w: (w not in KNOWN or w in STYLE_WORDS, words.index(w)))
        candidates = []
        main = [w for w in words_of(parsed.main) if w not in STOPWORDS]
        if len(main) >= 2 and min(map(len, main[-2:])) > 2:  # "#RedFox"; the head keeps its own
            candidates.append(_hashtag(main[-2:]))
        skip = set(main[-2:-1])
        candidates += [_hashtag([w]) for w in salient if w not in skip]
        styles = [STYLE_WORDS[w] for w in words if w in STYLE_WORDS]
        if styles:
            candidates.append(f"#{STYLE_TAGS[styles[0]]}")
        tags: list[str] = []
        for tag in candidates:
            if tag and tag.lower() not in {t.lower() for t in tags}:
                tags.append(tag)
        if styles and len(tags) > n:  # keep the style tag when the list is cut
            style_tag = f"#{STYLE_TAGS[styles[0]]}"
            tags = [t for t in tags if t != style_tag][: n - 1] + [style_tag]
        return tags[:n]

    def write_alt_text(self, prompt: str) -> str:
        """One plain sentence describing the offline painter's picture for `prompt`: only
        what it draws (subjects, setting, time of day), its medium and its colours."""
        words = words_of(prompt)
        style = next((STYLE_WORDS[w] for w in words if w in STYLE_WORDS), "")
        medium = MEDIUMS.get(style, "Illustration")
        if {"poster", "posters"}.intersection(words):
            title = _shorten(title_of(prompt), 60)
            medium = f"Poster titled \u201c{title}\u201d: " + medium[0].lower() + medium[1:]
        shows = describe(depict(prompt)) or "a calm landscape"
        tones = palette_for(prompt).description
        sentence = f"{medium} of {_shorten(shows, 120)}, in {tones}."
        return sentence if len(sentence) <= 250 else _shorten(sentence, 249) + "."

    def enhance_prompt(self, prompt: str) -> str:
        """`prompt` with lighting, composition and medium detail added, keeping its subject."""
        parsed = parse(prompt)
        core = ", ".join([parsed.subject, *parsed.details])
        words = set(words_of(prompt))
        rng = random.Random(hashlib.sha256(prompt.encode()).digest())
        scene = next((SCENE_WORDS[w] for w in words_of(prompt) if w in SCENE_WORDS), "")
        lighting = LIGHTING.get(scene) or rng.choice(DEFAULT_LIGHTING)
        extras = [lighting, rng.choice(COMPOSITION), rng.choice(FINISH)]
        if not words.intersection(STYLE_WORDS):
            extras.insert(0, rng.choice(MEDIUM_CHOICES))
        return f"{core}, " + ", ".join(extras)


# Enhancement phrases avoid colour, style and scenery words, which would change the painting.
LIGHTING: dict[str, str] = {
    "dawn": "soft early light with long gentle shadows",
    "sunset": "warm low backlight and long shadows",
    "night": "moonlit, deep shadows and crisp highlights",
    "forest": "dappled light through the canopy",
    "ocean": "bright reflections dancing on the water",
    "desert": "hard midday light and sharp shadows",
    "winter": "diffuse overcast light",
    "autumn": "warm afternoon light",
}
DEFAULT_LIGHTING = ["soft diffused light", "dramatic side lighting", "gentle rim light"]
COMPOSITION = ["rule-of-thirds composition", "centered symmetrical composition",
               "low angle with generous negative space", "shallow depth of field"]  # fmt: skip
FINISH = ["rich texture and fine detail", "cohesive harmonious palette", "high detail, crisp focus"]
MEDIUM_CHOICES = ["digital painting", "gouache-style artwork", "cinematic concept art"]


def _fields(parsed: Parsed) -> dict[str, str]:
    a, this = _with_article(parsed)
    style = _style_of(parsed)
    return {
        "a": a,
        "this": this,
        "A": a[:1].upper() + a[1:],
        "This": this[:1].upper() + this[1:],
        "head": parsed.head,
        "main": parsed.main,
        "style": f" in {style}" if style else "",
        "medium": style or "colour and light",
        "setting": ", ".join(w for w in words_of(parsed.subject) if w in SCENE_WORDS),
    }


def _punchy(bank: ToneBank, f: dict[str, str], rng: random.Random, platform: str) -> list[str]:
    return [rng.choice(bank.punchy).format(**f)]


def _story(bank: ToneBank, f: dict[str, str], rng: random.Random, platform: str) -> list[str]:
    lines = [rng.choice(bank.opening), rng.choice(bank.middle), rng.choice(bank.closing)]
    text = [line.format(**f) for line in lines]
    if platform == "instagram":  # room for a second thought on a long-form platform
        second = rng.choice([m for m in bank.middle if m != lines[1]])
        text.insert(2, second.format(**{**f, "style": ""}))
    return [" ".join(text), rng.choice(bank.call).format(**f)]


def _question(bank: ToneBank, f: dict[str, str], rng: random.Random, platform: str) -> list[str]:
    answer = "{This}{style}.".format(**f)
    return [rng.choice(bank.question).format(**f), answer + " " + rng.choice(bank.call).format(**f)]


def _card(bank: ToneBank, f: dict[str, str], rng: random.Random, platform: str) -> list[str]:
    facts = f"Subject: {f['main']}\nMood: {bank.mood}\nMedium: {f['medium']}"
    return [rng.choice(bank.opening).format(**f), facts, rng.choice(bank.closing).format(**f)]


def _stanza(bank: ToneBank, f: dict[str, str], rng: random.Random, platform: str) -> list[str]:
    # "Red fox. Dawn. Watercolor." as a title line, then one image and a call.
    beats = [f["main"], *f["setting"].split(", "), f["medium"] if f["style"] else ""]
    title = " ".join(b[:1].upper() + b[1:] + "." for b in beats if b)
    middle = rng.choice(bank.middle).format(**{**f, "style": ""})
    return [title, middle, rng.choice(bank.call).format(**f)]


Builder = Callable[[ToneBank, dict[str, str], random.Random, str], list[str]]
# Draft order: a short punchy line first, then a story, then a question; more drafts add more.
STRUCTURES: list[Builder] = [_punchy, _story, _question, _card, _stanza]


def _assemble(
    lines: list[str],
    tags: list[str],
    rng: random.Random,
    bank: ToneBank,
    emoji: bool,
    limit: int,
    short: bool,
) -> str:
    # Emoji go at the end of lines, never inside words; hashtags go last and are dropped first
    # when the caption would pass the platform's limit.
    if emoji:
        marks = rng.sample(bank.emoji, k=min(2, len(bank.emoji)))
        lines = [lines[0] + " " + marks[0], *lines[1:]]
        if len(lines) > 1:
            lines[-1] = lines[-1] + " " + marks[1]
    limit = min(limit, 280) if short else limit
    if short and len(tags) > 3:  # the style tag is last and worth keeping
        tags = [*tags[:2], tags[-1]]
    while True:
        body = "\n\n".join(lines)
        caption = body + ("\n\n" + " ".join(tags) if tags else "")
        if len(caption) <= limit:
            return caption
        if tags:
            tags = tags[:-1]
        elif len(lines) > 1:
            lines = lines[:-1]
        else:
            return _shorten(lines[0], limit)
