"""Plaza's social tools as a LangChain toolkit any agent can load.

Tools return JSON text for the model and, where there is something to show, an artifact
(plain dicts) for the UI. None of them publishes: only the user's click does."""

from __future__ import annotations

import json
from typing import Any

from langchain_core.tools import BaseTool, BaseToolkit, tool
from pydantic import ConfigDict
from sqlalchemy import Engine

from assistant.engines import Aspect, CaptionBrief, CaptionWriter, ImageEngine, Platform, Tone
from assistant.errors import AssistantError
from social.db import unit_of_work
from social.errors import SocialError
from social.media import Provenance, find_image, image_path, store_image

Result = tuple[str, Any]


class PlazaToolkit(BaseToolkit):
    """Image making, captions, hashtags, alt text and post preparation for an agent."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    images: Any  # ImageEngine
    captions: Any  # CaptionWriter
    engine: Engine | None = None

    def get_tools(self) -> list[BaseTool]:
        """The tools, bound to this toolkit's engines and database."""
        return build_tools(self.images, self.captions, self.engine)


def build_tools(
    images: ImageEngine, captions: CaptionWriter, engine: Engine | None
) -> list[BaseTool]:
    """Create the tools around the given engines."""

    def save(pngs: list[bytes], prompt: str, aspect: str) -> list[dict[str, Any]]:
        provenance = Provenance(ai_generated=True, model=images.model, prompt=prompt)
        saved = []
        with unit_of_work(engine) as session:
            for png in pngs:
                row = store_image(session, png, provenance=provenance)
                saved.append(
                    {
                        "ref": row.sha256[:12],
                        "sha256": row.sha256,
                        "prompt": prompt,
                        "aspect": aspect,
                        "model": images.model,
                        "offline": images.offline,
                        "width": row.width,
                        "height": row.height,
                    }
                )
        return saved

    def images_result(saved: list[dict[str, Any]]) -> Result:
        for_model = [{"ref": i["ref"], "prompt": i["prompt"], "aspect": i["aspect"]} for i in saved]
        return _json({"images": for_model, "model": images.model}), {"images": saved}

    @tool(response_format="content_and_artifact")
    def generate_image(prompt: str, aspect: Aspect = "1:1", n: int = 1, style: str = "") -> Result:
        """Generate 1-4 images from a text prompt. aspect is one of 1:1, 16:9, 9:16, 4:5;
        style is an optional art style such as watercolor, neon, pixel art or minimal."""
        count = max(1, min(int(n), 4))
        try:
            pngs = images.generate(prompt, aspect=aspect, n=count, style=style)
            return images_result(save(pngs, prompt, aspect))
        except (AssistantError, SocialError) as error:
            return _failure(error)

    @tool(response_format="content_and_artifact")
    def edit_image(image_ref: str, instruction: str, aspect: Aspect | None = None) -> Result:
        """Edit an earlier image (by its ref) as the instruction says: recolour, make it wider
        or square, blur the background, add text. aspect reshapes it when given."""
        try:
            with unit_of_work(engine) as session:
                original = find_image(session, image_ref)
            source = image_path(original.sha256).read_bytes()
            png = images.edit(source, instruction, aspect=aspect)
            return images_result(save([png], instruction, aspect or "1:1"))
        except (AssistantError, SocialError) as error:
            return _failure(error)

    @tool(response_format="content_and_artifact")
    def draft_captions(
        subject: str,
        n: int = 3,
        tone: Tone = "friendly",
        platform: Platform = "generic",
        emoji: bool = True,
    ) -> Result:
        """Draft n caption variants about the subject. tone: friendly, playful, professional,
        poetic or bold; platform: generic, x (280 characters) or instagram (2200)."""
        brief = CaptionBrief(
            subject=subject, tone=tone, platform=platform, emoji=emoji, n=max(1, min(int(n), 5))
        )
        try:
            drafts = captions.draft_captions(brief)
        except AssistantError as error:
            return _failure(error)
        return _json({"captions": drafts}), {"captions": drafts}

    @tool(response_format="content_and_artifact")
    def suggest_hashtags(text: str, n: int = 5) -> Result:
        """Suggest up to n hashtags for a post about the text."""
        try:
            tags = captions.suggest_hashtags(text, n=max(1, min(int(n), 10)))
        except AssistantError as error:
            return _failure(error)
        return _json({"hashtags": tags}), {"hashtags": tags}

    @tool(response_format="content_and_artifact")
    def write_alt_text(prompt: str) -> Result:
        """Write accessible alt text describing the image made from the prompt."""
        try:
            alt = captions.write_alt_text(prompt)
        except AssistantError as error:
            return _failure(error)
        return _json({"alt_text": alt}), {"alt_text": alt}

    @tool(response_format="content_and_artifact")
    def enhance_prompt(prompt: str) -> Result:
        """Rewrite an image prompt with more detail (light, composition, medium)."""
        try:
            better = captions.enhance_prompt(prompt)
        except AssistantError as error:
            return _failure(error)
        return _json({"prompt": better}), {"prompt": better}

    @tool(response_format="content_and_artifact")
    def prepare_post(image_ref: str, caption: str, alt_text: str = "") -> Result:
        """Put a draft post (image + caption) in front of the user. It is NOT published:
        only the user's own click on Share publishes."""
        try:
            with unit_of_work(engine) as session:
                image = find_image(session, image_ref)
        except SocialError as error:
            return _failure(error)
        draft = {
            "sha256": image.sha256,
            "ref": image.sha256[:12],
            "caption": caption,
            "alt_text": alt_text,
        }
        return _json({"prepared": True, "published": False}), {"prepared_post": draft}

    return [
        generate_image,
        edit_image,
        draft_captions,
        suggest_hashtags,
        write_alt_text,
        enhance_prompt,
        prepare_post,
    ]


def _json(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False)


def _failure(error: Exception) -> Result:
    retryable = bool(getattr(error, "retryable", False))
    return _json({"error": str(error), "retryable": retryable}), {
        "error": str(error),
        "retryable": retryable,
    }
