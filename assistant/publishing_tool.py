"""The toolkit's one publishing tool, for agents outside Plaza: it shows the draft to the person
through the host's `confirm` callback and publishes, as a personal token's owner, only on yes."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from langchain_core.tools import BaseTool, tool
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from social.accounts import require_account
from social.db import unit_of_work
from social.errors import Forbidden, SocialError
from social.media import find_image, image_lineage
from social.personal_tokens import user_of_personal_token
from social.posts import publish_post as publish

NO_TOKEN = "Publishing needs the personal token of the Plaza user to post as."
BAD_TOKEN = "That personal token is not valid: it is wrong, or its owner revoked it."


@dataclass(frozen=True)
class PostDraft:
    """What the person is asked to confirm: the picture, the words, and who posts it."""

    author: str
    image_sha256: str
    caption: str
    alt_text: str
    prompt: str


Confirm = Callable[[PostDraft], bool]


def build_publish_tool(engine: Engine | None, confirm: Confirm, personal_token: str) -> BaseTool:
    """A `publish_post` tool that asks `confirm(draft)` and publishes only when it says True."""

    @tool(response_format="content_and_artifact")
    def publish_post(image_ref: str, caption: str, alt_text: str = "") -> tuple[str, Any]:
        """Publish an image (by its ref) with a caption to the Plaza feed. The person is asked
        to confirm first; if they decline, nothing is published."""
        try:
            with unit_of_work(engine) as session:
                author = _author(session, personal_token)
                image = find_image(session, image_ref)
            lineage = image_lineage(image.sha256)
            draft = PostDraft(
                author=author,
                image_sha256=image.sha256,
                caption=caption,
                alt_text=alt_text,
                prompt=lineage.prompt,
            )
            if not confirm(draft):
                answer = {"published": False, "reason": "The person declined to publish it."}
                return json.dumps(answer), answer
            with unit_of_work(engine) as session:
                card = publish(
                    session,
                    author=_author(session, personal_token),
                    caption=caption,
                    alt_text=alt_text,
                    prompt=lineage.prompt,
                    model=lineage.model if lineage.ai_generated else "",
                    edit_steps=lineage.edits,
                    image_sha256=image.sha256,
                )
        except SocialError as error:
            failure = {"published": False, "error": str(error)}
            return json.dumps(failure, ensure_ascii=False), failure
        answer = {"published": True, "post_id": card.id, "author": card.author}
        return json.dumps(answer, ensure_ascii=False), answer

    return publish_post


def _author(session: Session, personal_token: str) -> str:
    if not personal_token:
        raise Forbidden(NO_TOKEN)
    author = user_of_personal_token(session, personal_token)
    if author is None:
        raise Forbidden(BAD_TOKEN)
    return require_account(session, author).name
