"""A conversation's messages as storable JSON, and as the turns a chat shows."""

from __future__ import annotations

import re
from typing import Any

from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    HumanMessage,
    ToolMessage,
    messages_from_dict,
    messages_to_dict,
)

FAILURE_KEY = "plaza_failure"
# How a message says which image to work from: "[base image: REF]", or for a remix
# "[base image: REF · remix of post 12]"; the offline model and the chat both read it.
BASE_IMAGE_MARK = re.compile(
    r"\s*\[base image: ([0-9a-f]{8,64})(?: · remix of post (\d+))?\]\s*$", re.IGNORECASE
)
TITLE_LENGTH = 60


def to_payloads(messages: list[BaseMessage]) -> list[dict[str, Any]]:
    """JSON-ready dicts of `messages` (tool artifacts included)."""
    return messages_to_dict(messages)


def from_payloads(payloads: list[dict[str, Any]]) -> list[BaseMessage]:
    """Messages back from `to_payloads` output."""
    return messages_from_dict(payloads)


def failure_message(message: str, *, retryable: bool) -> AIMessage:
    """The assistant's side of a failed turn, kept so the request survives a reload."""
    return AIMessage(content=message, additional_kwargs={FAILURE_KEY: {"retryable": retryable}})


def conversation_title(request: str) -> str:
    """A short title for a conversation, from its first request."""
    text = " ".join(BASE_IMAGE_MARK.sub("", request).split())
    return text if len(text) <= TITLE_LENGTH else text[: TITLE_LENGTH - 1].rstrip() + "…"


def with_base_image(text: str, image_ref: str | None, remix_of: int | None = None) -> str:
    """The user's message, marked with the image they chose to work from."""
    if not image_ref:
        return text
    remix = f" · remix of post {remix_of}" if remix_of else ""
    return f"{text}\n\n[base image: {image_ref}{remix}]"


def split_base_image(content: str) -> tuple[str, str | None, int | None]:
    """The user's words, the image ref they chose to work from and the post it remixes."""
    match = BASE_IMAGE_MARK.search(content)
    if not match:
        return content, None, None
    remix_of = int(match.group(2)) if match.group(2) else None
    return BASE_IMAGE_MARK.sub("", content), match.group(1).lower(), remix_of


def new_turn(request: str) -> dict[str, Any]:
    """An empty assistant turn answering `request`."""
    return {"role": "assistant", "text": "", "request": request, "images": []}


def fold_artifact(turn: dict[str, Any], artifact: dict[str, Any]) -> None:
    """Add what one tool produced (images, captions, alt text, an error) to `turn`."""
    turn["images"].extend(artifact.get("images", []))
    for field in ("captions", "alt_text", "hashtags", "prepared_post"):
        if field in artifact:
            turn[field] = artifact[field]
    if "error" in artifact:
        turn["error"], turn["retryable"] = artifact["error"], artifact.get("retryable", True)


def turns_from_messages(messages: list[BaseMessage]) -> list[dict[str, Any]]:
    """User and assistant turns, in order, as the chat renders them."""
    turns: list[dict[str, Any]] = []
    answer: dict[str, Any] | None = None
    for message in messages:
        if isinstance(message, HumanMessage):
            text, base, remix_of = split_base_image(str(message.content))
            turns.append({"role": "user", "text": text, "base": base})
            answer = new_turn(str(message.content))
            answer["remix_of_id"] = remix_of
            turns.append(answer)
        elif answer is None:
            continue
        elif isinstance(message, ToolMessage) and isinstance(message.artifact, dict):
            fold_artifact(answer, message.artifact)
        elif isinstance(message, AIMessage):
            failure = message.additional_kwargs.get(FAILURE_KEY)
            if failure:
                answer["error"], answer["retryable"] = str(message.content), failure["retryable"]
            elif text := message.text:
                answer["text"] = f"{answer['text']}\n\n{text}".strip()
    return turns


def last_turn_start(messages: list[BaseMessage]) -> int:
    """Index of the newest user message (where a retry cuts the history), or 0."""
    for index in range(len(messages) - 1, -1, -1):
        if isinstance(messages[index], HumanMessage):
            return index
    return 0
