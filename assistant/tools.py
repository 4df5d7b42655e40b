"""Plaza's social tools as a LangChain toolkit any agent can load.

Tools return JSON text for the model and, where there is something to show, an artifact
(plain dicts) for the UI. None of them publishes, except `publish_post`, which exists only when
the host gives a confirmation callback and asks it before every post."""

from __future__ import annotations

import json
import re
from typing import Any

from langchain_core.tools import BaseTool, BaseToolkit, tool
from pydantic import ConfigDict
from sqlalchemy import Engine

from assistant.engines import Aspect, CaptionBrief, CaptionWriter, ImageEngine, Platform, Tone
from assistant.errors import AssistantError
from assistant.feed_search import search_feed_tool
from assistant.moderation import install_configured_checks
from assistant.providers import load_providers
from assistant.publishing_tool import Confirm, build_publish_tool
from assistant.requests import GeneratedImage
from assistant.settings import AssistantSettings
from social.db import unit_of_work
from social.errors import SocialError
from social.media import Provenance, find_image, image_lineage, read_image, store_image

Result = tuple[str, Any]


class PlazaToolkit(BaseToolkit):
    """Image making, captions, hashtags, alt text and post preparation for an agent; with a
    `confirm` callback and a personal token, also publishing (each post confirmed by `confirm`).

        toolkit = PlazaToolkit.load(confirm=ask_the_person, personal_token=token)
        agent = create_agent(model, toolkit.get_tools())
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    images: Any  # ImageEngine
    captions: Any  # CaptionWriter
    engine: Engine | None = None
    confirm: Any = None  # Callable[[PostDraft], bool]; without it there is no publishing tool
    personal_token: str = ""

    @classmethod
    def load(
        cls,
        settings: AssistantSettings | None = None,
        *,
        engine: Engine | None = None,
        confirm: Confirm | None = None,
        personal_token: str = "",
    ) -> PlazaToolkit:
        """The toolkit with the engines the settings choose (see `assistant.providers`); with
        `confirm`, the moderation checks they choose are installed for its publishing tool."""
        providers = load_providers(settings)
        if confirm is not None:
            install_configured_checks(settings)
        return cls(
            images=providers.images,
            captions=providers.captions,
            engine=engine,
            confirm=confirm,
            personal_token=personal_token,
        )

    def get_tools(self) -> list[BaseTool]:
        """The tools, bound to this toolkit's engines and database."""
        tools = build_tools(self.images, self.captions, self.engine)
        if self.confirm is not None:
            tools.append(build_publish_tool(self.engine, self.confirm, self.personal_token))
        return tools


def build_tools(
    images: ImageEngine, captions: CaptionWriter, engine: Engine | None
) -> list[BaseTool]:
    """Create the tools around the given engines."""

    def save(pngs: list[bytes], lineage: Provenance, aspect: str) -> list[GeneratedImage]:
        saved = []
        with unit_of_work(engine) as session:
            for png in pngs:
                row = store_image(session, png, provenance=lineage)
                saved.append(
                    GeneratedImage(
                        sha256=row.sha256,
                        prompt=lineage.prompt,
                        edits=lineage.edits,
                        aspect=aspect,
                        model=images.model,
                        offline=images.offline,
                        width=row.width,
                        height=row.height,
                    )
                )
        return saved

    def images_result(saved: list[GeneratedImage]) -> Result:
        # Numbered as the chat shows them (Option 1, 2, ...), so "the second one" is clear.
        for_model = [
            {
                "option": number,
                "ref": i.ref,
                "prompt": i.prompt,
                "edits": list(i.edits),
                "aspect": i.aspect,
            }  # fmt: skip
            for number, i in enumerate(saved, 1)
        ]
        artifact = {"images": [image.to_dict() for image in saved]}
        return _json({"images": for_model, "model": images.model}), artifact

    @tool(response_format="content_and_artifact")
    def generate_image(prompt: str, aspect: Aspect = "1:1", n: int = 1, style: str = "") -> Result:
        """Generate 1-4 images from a text prompt. aspect is one of 1:1, 16:9, 9:16, 4:5;
        style is an optional art style such as watercolor, neon, pixel art or minimal."""
        count = max(1, min(int(n), 4))
        try:
            pngs = images.generate(prompt, aspect=aspect, n=count, style=style)
            lineage = Provenance(ai_generated=True, model=images.model, prompt=prompt)
            return images_result(save(pngs, lineage, aspect))
        except (AssistantError, SocialError) as error:
            return _failure(error)

    @tool(response_format="content_and_artifact")
    def edit_image(image_ref: str, instruction: str, aspect: Aspect | None = None) -> Result:
        """Edit an earlier image (by its ref) as the instruction says: recolour, make it wider
        or square, blur the background, add text. aspect reshapes it when given."""
        try:
            with unit_of_work(engine) as session:
                original = find_image(session, image_ref)
            source = read_image(original.sha256)
            png = images.edit(source, instruction, aspect=aspect)
            # The picture keeps the prompt it came from; the instruction is one more edit step.
            before = image_lineage(original.sha256)
            lineage = Provenance(
                ai_generated=True,
                model=images.model,
                prompt=before.prompt,
                edits=(*before.edits, edit_step(instruction)),
                parent_sha256=original.sha256,
            )
            return images_result(save([png], lineage, aspect or "1:1"))
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
        search_feed_tool(engine),
    ]


_WHICH = r"(it|them|this|that|this one|that one|(the )?(\w+ )?(one|image|picture|option)( \d)?|#\d)"
_EDIT_LEAD = re.compile(
    rf"^\s*(please\s+)?(can you\s+|could you\s+)?(make|turn|change)\s+{_WHICH}\s+(into\s+)?",
    re.IGNORECASE,
)


def edit_step(instruction: str) -> str:
    """An edit as a lineage step: "make the second one wider" is "wider"."""
    step = _EDIT_LEAD.sub("", instruction.strip()).strip(" .!")
    return step or instruction.strip()


def _json(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False)


def _failure(error: Exception) -> Result:
    retryable = bool(getattr(error, "retryable", False))
    return _json({"error": str(error), "retryable": retryable}), {
        "error": str(error),
        "retryable": retryable,
    }
