"""Moderation checks that run on this machine, with models that ship in their packages:
a profanity word list (better-profanity) for words and a nudity detector (NudeNet, ONNX) for
pictures. Neither downloads anything."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from social.media import validate_image
from social.moderation import ALLOWED, ModerationCheck, Submission, Verdict
from social.settings import get_settings

# NudeNet also finds exposed bellies, feet, armpits and male chests: ordinary beach pictures.
EXPLICIT_CLASSES = frozenset(
    {
        "FEMALE_BREAST_EXPOSED",
        "FEMALE_GENITALIA_EXPOSED",
        "MALE_GENITALIA_EXPOSED",
        "BUTTOCKS_EXPOSED",
        "ANUS_EXPOSED",
    }
)
_NUMBER = re.compile(r"(?<!\w)\d+(?!\w)")
DETECTION_SIDE = 640  # pictures are shrunk to this first: the detector works at 320 px anyway


class ProfanityCheck:
    """Refuses words on better-profanity's list, including their l33t spellings, except the
    `allowed` ones."""

    name = "profanity"

    def __init__(self, allowed: Sequence[str] = ()) -> None:
        from better_profanity import Profanity

        self._words = Profanity()
        self._words.load_censor_words(whitelist_words=[word.lower() for word in allowed])

    def check(self, submission: Submission) -> Verdict:
        """Refused under "profanity" if any listed word appears in the text (a number on its
        own is never one, though its l33t reading may be: "Route 455", "717 likes")."""
        text = _NUMBER.sub(" ", submission.text or "")
        if text.strip() and self._words.contains_profanity(text):
            return Verdict(allowed=False, rule="profanity", detail="a word on the profanity list")
        return ALLOWED


class NudityCheck:
    """Refuses pictures where NudeNet finds explicit nudity scoring at least `threshold`."""

    name = "nudity"

    def __init__(self, threshold: float) -> None:
        from nudenet import NudeDetector

        self.threshold = threshold
        self._detector = NudeDetector()

    def detections(self, image: bytes) -> dict[str, float]:
        """The highest score of each class NudeNet finds in `image` (from 0.2 up)."""
        picture = validate_image(image).convert("RGB")
        picture.thumbnail((DETECTION_SIDE, DETECTION_SIDE))
        # NudeNet expects what OpenCV's imread gives: BGR, 8 bits a channel.
        bgr = np.ascontiguousarray(np.asarray(picture)[:, :, ::-1])
        found: dict[str, float] = {}
        detection: dict[str, Any]
        for detection in self._detector.detect(bgr):
            label, score = str(detection["class"]), float(detection["score"])
            found[label] = max(score, found.get(label, 0.0))
        return found

    def scores(self, image: bytes) -> dict[str, float]:
        """The highest score of each explicit class NudeNet finds in `image`."""
        return {k: v for k, v in self.detections(image).items() if k in EXPLICIT_CLASSES}

    def check(self, submission: Submission) -> Verdict:
        """Refused under "nudity" if an explicit class scores at least the threshold."""
        if submission.image is None:
            return ALLOWED
        over = {k: v for k, v in self.scores(submission.image).items() if v >= self.threshold}
        if over:
            label = max(over, key=over.__getitem__)
            detail = f"the picture shows {label.lower().replace('_', ' ')}"
            return Verdict(allowed=False, rule="nudity", detail=detail)
        return ALLOWED


def profanity_check() -> ProfanityCheck:
    """The profanity check with the settings' allowed words."""
    allowed = get_settings().plaza_profanity_allowed_words.split(",")
    return ProfanityCheck(allowed=[word.strip() for word in allowed if word.strip()])


def nudity_check() -> NudityCheck:
    """The nudity check with the settings' threshold."""
    return NudityCheck(get_settings().plaza_nudity_threshold)


def offline_checks() -> tuple[ModerationCheck, ...]:
    """The profanity and nudity checks, as the settings tune them."""
    return (profanity_check(), nudity_check())
