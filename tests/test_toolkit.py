"""PlazaToolkit for other agents: loads in two lines, and publishes only what the host's
confirmation callback approves, as the owner of a valid personal token."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from sqlalchemy import Engine, select

from assistant.publishing_tool import PostDraft
from assistant.tools import PlazaToolkit
from social.accounts import sign_up
from social.db import unit_of_work
from social.models import Post
from social.personal_tokens import create_personal_token, revoke_personal_token

CAPTION = "Lighthouse at dusk #sea"


class ScriptedModel(BaseChatModel):
    """Another developer's agent model: makes a picture, then asks to publish it."""

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ScriptedModel:
        return self

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        results = [m for m in messages if isinstance(m, ToolMessage)]
        if not results:
            call = {"name": "generate_image", "args": {"prompt": "a lighthouse"}, "id": "1"}
            reply = AIMessage("", tool_calls=[call])
        elif results[-1].name == "generate_image":
            ref = json.loads(str(results[-1].content))["images"][0]["ref"]
            args = {"image_ref": ref, "caption": CAPTION, "alt_text": "A lighthouse."}
            reply = AIMessage("", tool_calls=[{"name": "publish_post", "args": args, "id": "2"}])
        else:
            reply = AIMessage(f"Publishing said: {results[-1].content}")
        return ChatResult(generations=[ChatGeneration(message=reply)])


@pytest.fixture
def token(sqlite_engine: Engine) -> str:
    with unit_of_work(sqlite_engine) as session:
        sign_up(session, name="Ana", password="correct horse battery")
        return create_personal_token(session, user="Ana", name="my agent").token


def _posts(engine: Engine) -> list[tuple[str, int]]:
    with unit_of_work(engine) as session:
        return [(p.caption, p.author_id) for p in session.scalars(select(Post))]


def _run(toolkit: PlazaToolkit) -> str:
    agent = create_agent(ScriptedModel(), toolkit.get_tools())
    state = agent.invoke({"messages": [HumanMessage("make a lighthouse and post it")]})
    return str(state["messages"][-1].content)


def test_without_a_confirmation_callback_there_is_no_publishing_tool(sqlite_engine: Engine) -> None:
    toolkit = PlazaToolkit.load(engine=sqlite_engine)
    names = {tool.name for tool in toolkit.get_tools()}
    assert "publish_post" not in names and {"generate_image", "prepare_post"} <= names


def test_the_agent_publishes_only_what_the_person_confirms(
    sqlite_engine: Engine, token: str
) -> None:
    asked: list[PostDraft] = []

    def decline(draft: PostDraft) -> bool:
        asked.append(draft)
        return False

    answer = _run(PlazaToolkit.load(engine=sqlite_engine, confirm=decline, personal_token=token))
    assert "declined" in answer and _posts(sqlite_engine) == []
    [draft] = asked
    assert (draft.author, draft.caption, draft.prompt) == ("Ana", CAPTION, "a lighthouse")

    answer = _run(
        PlazaToolkit.load(engine=sqlite_engine, confirm=lambda d: True, personal_token=token)
    )
    assert '"published": true' in answer
    assert [caption for caption, _author in _posts(sqlite_engine)] == [CAPTION]


@pytest.mark.parametrize("which", ["missing", "wrong", "revoked"])
def test_no_valid_token_no_post_and_nobody_is_asked(
    sqlite_engine: Engine, token: str, which: str
) -> None:
    if which == "revoked":
        with unit_of_work(sqlite_engine) as session:
            revoke_personal_token(session, user="Ana", token_id=1)
    personal_token = {"missing": "", "wrong": "plaza_wrong", "revoked": token}[which]
    asked: list[PostDraft] = []
    toolkit = PlazaToolkit.load(
        engine=sqlite_engine,
        confirm=lambda d: asked.append(d) or True,
        personal_token=personal_token,
    )
    answer = _run(toolkit)
    assert "personal token" in answer and asked == [] and _posts(sqlite_engine) == []


def test_bad_input_to_the_publishing_tool_is_refused(sqlite_engine: Engine, token: str) -> None:
    toolkit = PlazaToolkit.load(engine=sqlite_engine, confirm=lambda d: True, personal_token=token)
    tools = {tool.name: tool for tool in toolkit.get_tools()}
    made = json.loads(tools["generate_image"].invoke({"prompt": "a lighthouse"}))
    ref = made["images"][0]["ref"]
    for args in [
        {"image_ref": "nope", "caption": "hi"},
        {"image_ref": "0" * 64, "caption": "hi"},
        {"image_ref": ref, "caption": ""},
        {"image_ref": ref, "caption": "x" * 100_000},
    ]:
        refused = json.loads(tools["publish_post"].invoke(args))
        assert refused["published"] is False and refused["error"], args
    moderated = json.loads(tools["publish_post"].invoke({"image_ref": ref, "caption": "shit"}))
    assert moderated["error"].startswith("Not shared: this breaks the rule on profanity")
    assert _posts(sqlite_engine) == []
