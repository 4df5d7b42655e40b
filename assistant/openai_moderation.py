"""OpenAI's moderation model as a moderation check: the words and the picture in one call."""

from __future__ import annotations

import base64
import io
from typing import Any

import openai

from assistant.openai_provider import openai_client
from assistant.settings import AssistantSettings
from social.media import validate_image
from social.moderation import ALLOWED, Submission, Verdict

PICTURE_SIDE = 1024  # larger pictures are shrunk before they are sent


class OpenAIModeration:
    """Refuses what OpenAI's moderation model flags, under the category it scores highest."""

    name = "openai"

    def __init__(self, settings: AssistantSettings, *, client: openai.OpenAI | None = None) -> None:
        self.model = settings.plaza_moderation_model
        self._client = client or openai_client(settings)

    def check(self, submission: Submission) -> Verdict:
        """One moderation request with the text and, if there is one, the picture."""
        inputs: list[Any] = []
        if submission.text:
            inputs.append({"type": "text", "text": submission.text})
        if submission.image is not None:
            inputs.append({"type": "image_url", "image_url": {"url": _data_url(submission.image)}})
        if not inputs:
            return ALLOWED
        response = self._client.moderations.create(model=self.model, input=inputs)
        for result in response.results:
            if result.flagged:
                return _refusal(result)
        return ALLOWED


def _data_url(image: bytes) -> str:
    picture = validate_image(image).convert("RGB")
    picture.thumbnail((PICTURE_SIDE, PICTURE_SIDE))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _refusal(result: Any) -> Verdict:
    flagged = [name for name, on in result.categories.model_dump(by_alias=True).items() if on]
    scores = result.category_scores.model_dump(by_alias=True)
    # A flag with no category set still refuses, under the model's general rule.
    category = max(flagged, key=lambda name: scores.get(name) or 0.0, default="content policy")
    applied = result.category_applied_input_types.model_dump(by_alias=True).get(category) or []
    where = {"text": "the words", "image": "the picture"}
    found_in = " and ".join(where[kind] for kind in applied if kind in where) or "the post"
    return Verdict(
        allowed=False,
        rule=category.replace("/", " / "),
        detail=f"OpenAI's moderation flagged {found_in}",
    )
