"""The same agent loop against an OpenAI-compatible server: tool calls, streaming, images,
and every provider failure turned into a message the user can act on."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import Engine

from assistant.agent import TextDelta, ToolFinished, ToolStarted, TurnDone, TurnFailed, build_agent
from assistant.providers import load_providers
from assistant.requests import ChatRequest
from social.credentials import read_credentials
from social.media import read_image, read_provenance
from tests.openai_server import SERVICE_MODEL


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLAZA_MAX_RETRIES", "0")
    monkeypatch.setenv("PLAZA_REQUEST_TIMEOUT", "1")


@pytest.fixture
def agent(openai_server, fast, sqlite_engine: Engine):
    providers = load_providers()
    assert not providers.offline and "127.0.0.1" in providers.label
    return build_agent(providers, engine=sqlite_engine)


def turn(agent, text: str, history: list | None = None) -> list:
    from assistant.agent import stream_turn

    return list(stream_turn(agent, history if history is not None else [], ChatRequest(text=text)))


def test_tool_calls_images_captions_and_streamed_answer(agent, openai_server) -> None:
    openai_server.queue_tool_calls(
        [
            ("generate_image", {"prompt": "a red fox at dawn", "aspect": "16:9", "n": 2}),
            ("draft_captions", {"subject": "a red fox at dawn", "n": 3}),
        ]
    )
    openai_server.queue_chat_text('{"captions": ["Fox one #fox", "Fox two", "Fox three"]}')
    openai_server.queue_chat_text("Here are two foxes and three captions for you.")

    events = turn(agent, "two wide fox pictures please")

    assert [e.label for e in events if isinstance(e, ToolStarted)] == [
        "Generating 2 images…",
        "Drafting captions…",
    ]
    images = [
        e.artifact for e in events if isinstance(e, ToolFinished) and e.name == "generate_image"
    ][0]["images"]
    assert len(images) == 2 and all(not i["offline"] for i in images)
    with Image.open(io.BytesIO(read_image(images[0]["sha256"]))) as picture:
        assert picture.size == (1536, 1024)
    assert read_provenance(images[0]["sha256"])["plaza:prompt"] == "a red fox at dawn"
    captions = [
        e.artifact for e in events if isinstance(e, ToolFinished) and e.name == "draft_captions"
    ][0]["captions"]
    assert captions == ["Fox one #fox", "Fox two", "Fox three"]
    deltas = [e.text for e in events if isinstance(e, TextDelta)]
    assert "".join(deltas) == "Here are two foxes and three captions for you." and len(deltas) > 3
    assert isinstance(events[-1], TurnDone)

    [image_request] = openai_server.requests_to("images")
    assert image_request.json["size"] == "1536x1024" and image_request.json["n"] == 2
    first_chat = openai_server.requests_to("chat")[0].json
    assert {t["function"]["name"] for t in first_chat["tools"]} >= {
        "generate_image",
        "edit_image",
        "draft_captions",
        "prepare_post",
    }
    assert first_chat["stream"] is True


@pytest.mark.parametrize(
    ("script", "retryable", "words"),
    [
        (lambda s: s.fail_next(status=500, route="chat"), True, "press retry"),
        (lambda s: s.fail_next(status=429, retry_after_ms=10, route="chat"), True, "busy"),
        (lambda s: s.stall_next(3, route="chat"), True, "too long"),
        (lambda s: s.malformed_next(route="chat"), True, "could not be read"),
        (lambda s: s.refuse_next(route="chat"), False, "declined"),
    ],
)
def test_chat_failures_become_a_clear_message(
    agent, openai_server, script, retryable, words
) -> None:
    script(openai_server)
    events = turn(agent, "a red fox")
    [failure] = [e for e in events if isinstance(e, TurnFailed)]
    assert failure.retryable is retryable
    assert words in failure.message.lower()
    assert not [e for e in events if isinstance(e, TurnDone)]
    # What the UI appends: the request, kept for Retry, and the failure; nothing half-done.
    request, said = failure.messages
    assert (request.type, request.content) == ("human", "a red fox")
    assert said.type == "ai" and said.content == failure.message


def test_refused_image_keeps_the_captions_and_says_why(agent, openai_server) -> None:
    openai_server.queue_tool_calls(
        [
            ("generate_image", {"prompt": "something forbidden"}),
            ("draft_captions", {"subject": "something"}),
        ]
    )
    openai_server.refuse_next(route="images")
    openai_server.queue_chat_text('{"captions": ["kept caption"]}')
    openai_server.queue_chat_text("The image was refused, but your captions are ready.")

    events = turn(agent, "something forbidden")

    finished = {e.name: e.artifact for e in events if isinstance(e, ToolFinished)}
    assert finished["generate_image"]["retryable"] is False
    assert (
        "refused" in finished["generate_image"]["error"].lower()
        or "declined" in finished["generate_image"]["error"].lower()
    )
    assert finished["draft_captions"]["captions"] == ["kept caption"]
    assert isinstance(events[-1], TurnDone)


def test_the_services_credentials_survive_and_an_edit_lists_its_parent(
    agent, openai_server
) -> None:
    def images_of(events: list, tool: str) -> list[dict]:
        finished = [e for e in events if isinstance(e, ToolFinished) and e.name == tool]
        return finished[0].artifact["images"]

    openai_server.queue_tool_calls([("generate_image", {"prompt": "a red fox at dawn"})])
    openai_server.queue_chat_text("Here it is.")
    [made] = images_of(turn(agent, "a fox"), "generate_image")
    openai_server.queue_tool_calls(
        [("edit_image", {"image_ref": made["ref"], "instruction": "at night"})]
    )
    openai_server.queue_chat_text("Night it is.")
    [edited] = images_of(turn(agent, "make it night"), "edit_image")

    made_credentials = read_credentials(read_image(made["sha256"]))
    assert made_credentials.validation == "Valid" and made_credentials.ai_generated
    assert made_credentials.model == SERVICE_MODEL and made_credentials.edits == ()
    assert [i.generator for i in made_credentials.ingredients] == ["Image service test 1.0"]
    edit_credentials = read_credentials(read_image(edited["sha256"]))
    assert edit_credentials.validation == "Valid" and edit_credentials.ai_generated
    assert edit_credentials.edits == (f"edited with {SERVICE_MODEL}",)
    assert [(i.relationship, i.generator.split()[0]) for i in edit_credentials.ingredients] == [
        ("parentOf", "Image"),  # what the service sent back, its manifest kept
        ("componentOf", "Plaza"),  # the image that was edited
    ]
