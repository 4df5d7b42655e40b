"""The offline caption writer: captions from the request's words, in tone, within limits."""

from __future__ import annotations

import re
import unicodedata

import pytest

from assistant.engines import PLATFORM_LIMITS, CaptionBrief
from assistant.offline.captions import OfflineCaptionWriter, subject_of, title_of

writer = OfflineCaptionWriter()
FOX = "a poster of a red fox at dawn, watercolor"
TONES = ["friendly", "playful", "professional", "poetic", "bold"]
HASHTAG = re.compile(r"^#[A-Za-z0-9_]+$")
LONG = "make me " + ", ".join(["an enormous ancient oak tree on a windswept hill"] * 12)


def _has_emoji(text: str) -> bool:
    return any(unicodedata.category(ch) == "So" or ord(ch) >= 0x1F000 for ch in text)


def _body(caption: str) -> str:
    """A caption without its hashtags."""
    return re.sub(r"#\w+", "", caption)


@pytest.mark.parametrize(
    ("request_text", "subject"),
    [
        (FOX, "red fox at dawn"),
        ("please generate an image of two cats on a roof", "two cats on a roof"),
        ("make me 3 square options of a neon city at night", "neon city at night"),
        ("Write captions for a photo of my dog at the beach for instagram", "my dog at the beach"),
        ("watercolor painting of a lighthouse in a storm", "lighthouse in a storm"),
        ("Eiffel Tower at night", "Eiffel Tower at night"),
    ],
)
def test_subject_of_strips_the_framing(request_text: str, subject: str) -> None:
    assert subject_of(request_text) == subject


def test_title_is_short_and_capitalised() -> None:
    assert title_of(FOX) == "Red fox at dawn"
    assert len(title_of(LONG)) <= 40


def test_captions_mention_the_subject_not_the_framing() -> None:
    captions = writer.draft_captions(CaptionBrief(FOX))
    assert len(captions) == 3
    for caption in captions:
        lowered = caption.lower()
        assert "fox" in _body(lowered)
        assert "watercolor" in lowered
        assert not re.search(r"poster of|make me|please|image of|generate", lowered)
    assert sum("dawn" in _body(c) for c in captions) >= 2


def test_default_drafts_have_a_short_one_and_a_story() -> None:
    captions = writer.draft_captions(CaptionBrief(FOX, platform="instagram"))
    lengths = sorted(len(c) for c in captions)
    assert lengths[0] <= 280
    story = max(captions, key=len)
    assert len(story) > lengths[0] + 100
    assert len(re.findall(r"[.!?](\s|$)", _body(story))) >= 4  # several sentences


def test_drafts_have_varied_structure() -> None:
    captions = writer.draft_captions(CaptionBrief(FOX, n=5))
    shapes = {re.sub(r"fox|red|dawn|watercolor", "X", _body(c)).split()[0] for c in captions}
    assert len(shapes) >= 4  # different openings, not one template with a word swapped
    assert len({c.count("\n") for c in captions}) >= 2


@pytest.mark.parametrize("platform", list(PLATFORM_LIMITS))
@pytest.mark.parametrize("tone", TONES)
def test_every_caption_fits_the_platform(platform: str, tone: str) -> None:
    for subject in (FOX, LONG):
        brief = CaptionBrief(subject, tone=tone, platform=platform, n=5)  # type: ignore[arg-type]
        captions = writer.draft_captions(brief)
        assert len(captions) == 5
        assert all(0 < len(c) <= PLATFORM_LIMITS[platform] for c in captions)


def test_emoji_on_and_off() -> None:
    for tone in TONES:
        off = writer.draft_captions(CaptionBrief(FOX, tone=tone, emoji=False, n=5))  # type: ignore[arg-type]
        assert not any(_has_emoji(c) for c in off)
        on = writer.draft_captions(CaptionBrief(FOX, tone=tone, emoji=True, n=5))  # type: ignore[arg-type]
        assert all(_has_emoji(c) for c in on)


def test_tones_sound_different() -> None:
    drafts = {
        tone: writer.draft_captions(CaptionBrief(FOX, tone=tone, n=5))  # type: ignore[arg-type]
        for tone in TONES
    }
    for a in TONES:
        for b in TONES:
            if a < b:
                assert not set(drafts[a]) & set(drafts[b])
                words_a = set(re.findall(r"[a-z']+", " ".join(map(_body, drafts[a])).lower()))
                words_b = set(re.findall(r"[a-z']+", " ".join(map(_body, drafts[b])).lower()))
                assert len(words_a ^ words_b) > 20, (a, b)  # own vocabulary, not a swapped word


def test_n_distinct_captions() -> None:
    for n in (1, 2, 3, 7):
        captions = writer.draft_captions(CaptionBrief("a cat", n=n))
        assert len(captions) == n
        assert len(set(captions)) == n
    assert writer.draft_captions(CaptionBrief("a cat", n=0)) == []


def test_deterministic_and_subject_dependent() -> None:
    brief = CaptionBrief(FOX, tone="playful", platform="x")
    assert OfflineCaptionWriter().draft_captions(brief) == writer.draft_captions(brief)
    other = writer.draft_captions(CaptionBrief("a koi pond in the rain", tone="playful"))
    assert not set(other) & set(writer.draft_captions(CaptionBrief(FOX, tone="playful")))
    assert all("koi" in c.lower() for c in other)


def test_hashtags_are_valid_salient_and_unique() -> None:
    tags = writer.suggest_hashtags(FOX, n=5)
    assert 3 <= len(tags) <= 5
    assert all(HASHTAG.match(t) for t in tags)
    assert len({t.lower() for t in tags}) == len(tags)
    lowered = [t.lower() for t in tags]
    assert "#fox" in lowered and "#watercolor" in lowered
    assert not {"#a", "#of", "#the", "#at", "#poster"} & set(lowered)
    assert writer.suggest_hashtags(FOX, n=2)[-1] == "#watercolor"  # the style tag survives a cut
    assert writer.suggest_hashtags(FOX, n=0) == []


def test_hashtags_from_awkward_text() -> None:
    tags = writer.suggest_hashtags("Café au lait — l'été à Montréal!! 🎉 #already #tagged", n=8)
    assert tags and all(HASHTAG.match(t) for t in tags)
    assert "#cafe" in [t.lower() for t in tags]


def test_caption_hashtags_are_valid() -> None:
    for platform in PLATFORM_LIMITS:
        for caption in writer.draft_captions(CaptionBrief(FOX, platform=platform)):  # type: ignore[arg-type]
            tags = re.findall(r"#\S+", caption)
            assert tags and all(HASHTAG.match(t) for t in tags)


def test_alt_text_is_plain_description() -> None:
    alt = writer.write_alt_text(FOX)
    assert alt[0].isupper() and alt.endswith(".")
    assert "fox" in alt and "dawn" in alt and "watercolor" in alt.lower()
    assert "#" not in alt and not _has_emoji(alt)
    assert "orange" in alt  # the palette the painter uses for dawn
    long_alt = writer.write_alt_text(LONG + " #wow 🎉")
    assert len(long_alt) <= 250 and "#" not in long_alt and not _has_emoji(long_alt)


def test_enhance_prompt_keeps_subject_and_adds_detail() -> None:
    enhanced = writer.enhance_prompt(FOX)
    assert "red fox at dawn" in enhanced and "watercolor" in enhanced
    assert len(enhanced) > len("red fox at dawn, watercolor") + 40
    assert "light" in enhanced and "composition" in enhanced or "depth" in enhanced
    assert writer.enhance_prompt(FOX) == enhanced
    assert writer.enhance_prompt("a koi pond") != writer.enhance_prompt("a red fox")


@pytest.mark.parametrize(
    ("prompt", "shown", "absent"),
    [
        ("a lighthouse in a storm", ["lighthouse"], []),
        ("a cat on a roof under the moon", ["cat", "roof", "night"], []),
        ("a majestic tesseract floating", ["emblem"], ["tesseract", "floating"]),
        ("a bowl of ramen", ["bowl of ramen", "table"], []),
        ("a neon city at night", ["city", "night"], []),
    ],
)
def test_alt_text_names_only_what_is_drawn(prompt: str, shown: list[str], absent: list) -> None:
    alt = writer.write_alt_text(prompt).lower()
    for word in shown:
        assert word in alt, (word, alt)
    for word in absent:
        assert word not in alt, (word, alt)


def test_captions_never_praise_a_subject_that_is_not_drawn() -> None:
    for tone in TONES:
        for platform in ("generic", "x", "instagram"):
            brief = CaptionBrief(subject="a majestic tesseract floating", tone=tone,  # type: ignore[arg-type]
                                 platform=platform)  # type: ignore[arg-type]  # fmt: skip
            for caption in writer.draft_captions(brief):
                assert "tesseract" not in caption.lower(), caption
    drawn = writer.draft_captions(CaptionBrief(subject="a lighthouse in a storm", n=5))
    assert sum("lighthouse" in caption for caption in drawn) >= 3
