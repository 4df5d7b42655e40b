"""A turn is bounded (tool calls, images, seconds); bad tool arguments and image bombs from the
provider go back to the model or the user as clear errors instead of ending the turn."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine

from assistant.agent import (
    TextDelta,
    ToolFinished,
    ToolStarted,
    TurnDone,
    TurnFailed,
    build_agent,
    stream_turn,
)
from assistant.providers import load_providers
from assistant.requests import ChatRequest
from assistant.settings import get_assistant_settings
from tests.test_media import png_header_claiming


@pytest.fixture
def budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLAZA_MAX_RETRIES", "0")
    monkeypatch.setenv("PLAZA_REQUEST_TIMEOUT", "5")
    monkeypatch.setenv("PLAZA_TURN_MAX_TOOL_CALLS", "3")
    monkeypatch.setenv("PLAZA_TURN_MAX_IMAGES", "3")
    monkeypatch.setenv("PLAZA_TURN_MAX_SECONDS", "1")
    get_assistant_settings.cache_clear()


@pytest.fixture
def agent(openai_server, budget: None, sqlite_engine: Engine):
    return build_agent(load_providers(), engine=sqlite_engine)


def turn(agent, text: str) -> list:
    return list(stream_turn(agent, [], ChatRequest(text=text)))


def answer(events: list) -> str:
    return "".join(e.text for e in events if isinstance(e, TextDelta))


def test_a_looping_model_stops_at_the_tool_call_budget(agent, openai_server) -> None:
    for _ in range(10):
        openai_server.queue_tool_call("prepare_post", {"image_ref": "0" * 12, "caption": "x"})
    events = turn(agent, "loop forever")
    assert len([e for e in events if isinstance(e, ToolStarted)]) <= 4
    assert len([e for e in events if isinstance(e, ToolFinished) and e.artifact]) == 3
    assert "limit of 3 tool calls (PLAZA_TURN_MAX_TOOL_CALLS)" in answer(events)
    assert isinstance(events[-1], TurnDone)
    assert len(openai_server.requests_to("chat")) == 4  # the fourth call was never run


def test_a_turn_stops_before_making_more_images_than_its_budget(agent, openai_server) -> None:
    for _ in range(5):
        openai_server.queue_tool_call("generate_image", {"prompt": "a fox", "n": 2})
    events = turn(agent, "foxes, many foxes")
    made = [
        image
        for e in events
        if isinstance(e, ToolFinished) and e.name == "generate_image"
        for image in e.artifact.get("images", [])
    ]
    assert len(made) == 2  # a second batch of 2 would pass the budget of 3
    assert len(openai_server.requests_to("images")) == 1
    assert "limit of 3 images (PLAZA_TURN_MAX_IMAGES)" in answer(events)
    assert isinstance(events[-1], TurnDone)


def test_a_slow_stream_is_cut_at_the_turn_deadline(agent, openai_server) -> None:
    words = " ".join(f"word{i}" for i in range(40))
    openai_server.drip_chat_text(words, seconds_per_chunk=0.1)
    events = turn(agent, "talk slowly")
    [failure] = [e for e in events if isinstance(e, TurnFailed)]
    assert failure.retryable is True
    assert "longer than its limit of 1 s" in failure.message
    assert len([e for e in events if isinstance(e, TextDelta)]) < 40  # cut, not waited out


@pytest.mark.parametrize(
    ("arguments", "complaint"),
    [
        ({"prompt": "a fox", "aspect": "7:3"}, "aspect"),
        ({"prompt": "a fox", "n": "lots"}, "n"),
    ],
)
def test_bad_tool_arguments_go_back_to_the_model(
    agent, openai_server, arguments: dict, complaint: str
) -> None:
    openai_server.queue_tool_call("generate_image", arguments)
    openai_server.queue_chat_text("Sorry, let me fix that.")
    events = turn(agent, "a fox")
    assert isinstance(events[-1], TurnDone)
    assert answer(events) == "Sorry, let me fix that."
    second = openai_server.requests_to("chat")[1].json
    [tool_reply] = [m for m in second["messages"] if m["role"] == "tool"]
    assert complaint in json.dumps(tool_reply["content"])
    assert not openai_server.requests_to("images")


def test_an_image_bomb_from_the_provider_is_a_clear_retryable_error(agent, openai_server) -> None:
    openai_server.queue_tool_call("generate_image", {"prompt": "a fox"})
    openai_server.reply_with_png_next(png_header_claiming(30000, 30000))
    openai_server.queue_chat_text("The image service misbehaved.")
    events = turn(agent, "a fox")
    [finished] = [e for e in events if isinstance(e, ToolFinished)]
    assert finished.artifact["retryable"] is True
    assert "30000×30000" in finished.artifact["error"]
    assert isinstance(events[-1], TurnDone)
