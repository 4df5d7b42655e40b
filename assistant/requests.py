"""What the UI hands the assistant (a typed request) and what it gets back (typed drafts).

The base image of an edit, the post a remix comes from and an attached photo are fields of the
request, carried in the stored message's `additional_kwargs`, never marks inside its text: what a
person types is only ever text.
"""

from __future__ import annotations

import base64
from dataclasses import asdict, dataclass, field
from typing import Any

from langchain_core.messages import HumanMessage

from assistant.feed_requests import Citation

REQUEST_KEY = "plaza_request"


@dataclass(frozen=True)
class Picture:
    """A stored picture with the prompt it came from and the edits made since."""

    sha256: str
    prompt: str = ""
    edits: tuple[str, ...] = ()

    @property
    def ref(self) -> str:
        """The short reference tools and models use."""
        return self.sha256[:12]

    @property
    def lineage(self) -> str:
        """The prompt and the edits since, e.g. "a neon city → wider → black and white"."""
        return " → ".join(step for step in (self.prompt, *self.edits) if step)


@dataclass(frozen=True)
class BaseImage(Picture):
    """An image the next message works from: one of the chat's, or a post being remixed."""

    remix_of_id: int | None = None  # the post this remixes, set only by the Remix button


@dataclass(frozen=True)
class AttachedPhoto:
    """A photo of the person's own, already stored (location metadata stripped)."""

    sha256: str
    width: int
    height: int
    colours: tuple[str, ...] = ()  # dominant colour names, most common first

    @property
    def orientation(self) -> str:
        """ "portrait", "landscape" or "square"."""
        if self.width > self.height * 1.05:
            return "landscape"
        if self.height > self.width * 1.05:
            return "portrait"
        return "square"


@dataclass(frozen=True)
class ChatRequest:
    """One message of the person to the assistant."""

    text: str
    base: BaseImage | None = None
    photo: AttachedPhoto | None = None


@dataclass(frozen=True)
class GeneratedImage(Picture):
    """A picture in the chat that can be shared: generated, edited, or the person's photo."""

    aspect: str = "1:1"
    model: str = ""
    offline: bool = False
    width: int = 0
    height: int = 0
    photo: bool = False  # the person's own photo: never labelled AI-generated

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, for a tool's artifact (stored with the message)."""
        return {**asdict(self), "edits": list(self.edits), "ref": self.ref}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GeneratedImage:
        """Back from `to_dict` output (unknown keys ignored)."""
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        known["edits"] = tuple(str(step) for step in known.get("edits", ()))
        return cls(**known)


@dataclass
class Turn:
    """One turn of the chat as the UI shows it: the person's request or the assistant's answer."""

    role: str  # "user" or "assistant"
    request: ChatRequest
    text: str = ""
    images: list[GeneratedImage] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    alt_text: str = ""
    hashtags: list[str] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)  # feed posts the answer used
    error: str = ""
    retryable: bool = True


def _model_note(request: ChatRequest) -> str:
    """What a model is told about the request's fields (the UI never parses this back)."""
    notes = []
    if request.base is not None:
        what = f"image {request.base.ref}"
        if request.base.prompt:
            what += f" (made from: {request.base.prompt})"
        notes.append(f"The user picked {what} as the base: edit it with edit_image.")
    if request.photo is not None:
        notes.append(
            f"The user attached their own photo (ref {request.photo.sha256[:12]}, "
            f"{request.photo.orientation}). Draft captions, hashtags and alt text for it; "
            "do not generate a new image."
        )
    return "\n\n".join(f"[Plaza: {note}]" for note in notes)


def request_message(request: ChatRequest, *, photo_jpeg: bytes | None = None) -> HumanMessage:
    """The message a model reads: the text (plus notes on its fields), and the photo if given."""
    text = "\n\n".join(part for part in (request.text, _model_note(request)) if part)
    content: str | list[str | dict[str, Any]] = text
    if photo_jpeg is not None:
        data = base64.b64encode(photo_jpeg).decode("ascii")
        content = [
            {"type": "text", "text": text or "(no words: a photo only)"},
            {"type": "image_url", "image_url": {"url": f"data:image/jpeg;base64,{data}"}},
        ]
    fields = asdict(request)
    return HumanMessage(content=content, additional_kwargs={REQUEST_KEY: fields})


def request_of(message: HumanMessage) -> ChatRequest:
    """The typed request stored with `message` (a plain message is text only)."""
    fields = message.additional_kwargs.get(REQUEST_KEY)
    if not isinstance(fields, dict):
        return ChatRequest(text=message.text)
    base = fields.get("base")
    photo = fields.get("photo")
    return ChatRequest(
        text=str(fields.get("text", "")),
        base=BaseImage(
            sha256=str(base["sha256"]),
            prompt=str(base.get("prompt", "")),
            edits=tuple(base.get("edits", ())),
            remix_of_id=base.get("remix_of_id"),
        )
        if isinstance(base, dict)
        else None,
        photo=AttachedPhoto(
            sha256=str(photo["sha256"]),
            width=int(photo["width"]),
            height=int(photo["height"]),
            colours=tuple(photo.get("colours", ())),
        )
        if isinstance(photo, dict)
        else None,
    )
