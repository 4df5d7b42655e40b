"""A conversation's messages as storable JSON, and as the typed turns a chat shows."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    HumanMessage,
    ToolMessage,
    messages_from_dict,
    messages_to_dict,
)

from assistant.feed_requests import Citation
from assistant.requests import AttachedPhoto, ChatRequest, GeneratedImage, Turn, request_of

FAILURE_KEY = "plaza_failure"
TITLE_LENGTH = 60


def to_payloads(messages: list[BaseMessage]) -> list[dict[str, Any]]:
    """JSON-ready dicts of `messages` (tool artifacts and request fields included)."""
    return messages_to_dict(messages)


def from_payloads(payloads: list[dict[str, Any]]) -> list[BaseMessage]:
    """Messages back from `to_payloads` output."""
    return messages_from_dict(payloads)


def failure_message(message: str, *, retryable: bool) -> AIMessage:
    """The assistant's side of a failed turn, kept so the request survives a reload."""
    return AIMessage(content=message, additional_kwargs={FAILURE_KEY: {"retryable": retryable}})


def conversation_title(request: ChatRequest) -> str:
    """A short title for a conversation, from its first request."""
    text = " ".join(request.text.split()) or ("Your photo" if request.photo else "New chat")
    return text if len(text) <= TITLE_LENGTH else text[: TITLE_LENGTH - 1].rstrip() + "…"


def photo_image(photo: AttachedPhoto) -> GeneratedImage:
    """The person's own photo as a shareable draft."""
    return GeneratedImage(
        sha256=photo.sha256, width=photo.width, height=photo.height, aspect="", photo=True
    )


def pending_photo(messages: list[BaseMessage]) -> AttachedPhoto | None:
    """A photo sent without words whose description the assistant is still waiting for.

    The next message then describes it, rather than asking for something new."""
    for message in reversed(messages):
        if isinstance(message, ToolMessage) and message.name == "draft_captions":
            return None  # captions were drafted since: nothing is waiting
        if isinstance(message, HumanMessage):
            request = request_of(message)
            if request.photo is not None:
                return request.photo if not request.text.strip() else None
    return None


def _fold_artifact(turn: Turn, artifact: dict[str, Any]) -> None:
    """Add what one tool produced (images, captions, alt text, an error) to `turn`."""
    turn.images.extend(GeneratedImage.from_dict(image) for image in artifact.get("images", []))
    if "captions" in artifact:
        turn.captions = [str(caption) for caption in artifact["captions"]]
    if "alt_text" in artifact:
        turn.alt_text = str(artifact["alt_text"])
    if "citations" in artifact:
        turn.citations.extend(Citation(**item) for item in artifact["citations"])
    if "hashtags" in artifact:
        turn.hashtags = [str(tag) for tag in artifact["hashtags"]]
    if "error" in artifact:
        turn.error, turn.retryable = str(artifact["error"]), bool(artifact.get("retryable", True))


def turns_from_messages(messages: list[BaseMessage]) -> list[Turn]:
    """User and assistant turns, in order, as the chat renders them."""
    turns: list[Turn] = []
    answer: Turn | None = None
    for index, message in enumerate(messages):
        if isinstance(message, HumanMessage):
            request = request_of(message)
            turns.append(Turn(role="user", request=request, text=request.text))
            answer = Turn(role="assistant", request=request)
            photo = request.photo or pending_photo(messages[:index])
            if photo is not None:
                answer.images.append(photo_image(photo))
            turns.append(answer)
        elif answer is None:
            continue
        elif isinstance(message, ToolMessage) and isinstance(message.artifact, dict):
            _fold_artifact(answer, message.artifact)
        elif isinstance(message, AIMessage):
            failure = message.additional_kwargs.get(FAILURE_KEY)
            if failure:
                answer.error, answer.retryable = str(message.content), failure["retryable"]
            elif text := message.text:
                answer.text = f"{answer.text}\n\n{text}".strip()
    return turns


def last_turn_start(messages: list[BaseMessage]) -> int:
    """Index of the newest user message (where a retry cuts the history), or 0."""
    for index in range(len(messages) - 1, -1, -1):
        if isinstance(messages[index], HumanMessage):
            return index
    return 0
