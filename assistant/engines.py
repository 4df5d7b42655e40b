"""What an image engine and a caption writer must do; offline and OpenAI both implement these."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

Aspect = Literal["1:1", "16:9", "9:16", "4:5"]
Tone = Literal["friendly", "playful", "professional", "poetic", "bold"]
Platform = Literal["generic", "x", "instagram"]

ASPECT_SIZES: dict[str, tuple[int, int]] = {
    "1:1": (1024, 1024),
    "16:9": (1536, 864),
    "9:16": (864, 1536),
    "4:5": (1024, 1280),
}
PLATFORM_LIMITS: dict[str, int] = {"generic": 500, "x": 280, "instagram": 2200}


@dataclass(frozen=True)
class CaptionBrief:
    """What a caption should be about and how it should sound."""

    subject: str
    tone: Tone = "friendly"
    platform: Platform = "generic"
    emoji: bool = True
    n: int = 3


class ImageEngine(Protocol):
    """Makes PNG images from prompts."""

    model: str  # shown in provenance, e.g. "plaza-offline-painter" or "gpt-image-1"
    offline: bool

    def generate(
        self, prompt: str, *, aspect: Aspect = "1:1", n: int = 1, style: str = ""
    ) -> list[bytes]:
        """`n` PNG images for `prompt`."""
        ...

    def edit(self, image: bytes, instruction: str, *, aspect: Aspect | None = None) -> bytes:
        """A PNG of `image` changed as `instruction` says."""
        ...


class CaptionWriter(Protocol):
    """Writes caption drafts, hashtags and alt text."""

    offline: bool

    def draft_captions(self, brief: CaptionBrief) -> list[str]:
        """`brief.n` distinct captions, each within the platform's length limit."""
        ...

    def suggest_hashtags(self, text: str, n: int = 5) -> list[str]:
        """Up to `n` hashtags (with '#') relevant to `text`."""
        ...

    def write_alt_text(self, prompt: str) -> str:
        """A one- or two-sentence description of the image made from `prompt`."""
        ...

    def enhance_prompt(self, prompt: str) -> str:
        """A richer image prompt that keeps the user's intent."""
        ...
