"""The MCP server, driven by the SDK's own client over stdio and over streamable HTTP."""

from __future__ import annotations

import asyncio
import base64
import io
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from PIL import Image
from sqlalchemy import Engine, func, select

from social.accounts import sign_up
from social.db import unit_of_work
from social.mcp import build_server
from social.models import Post
from social.moderators import hide_item, set_moderator
from social.personal_tokens import create_personal_token, revoke_personal_token
from social.posts import publish_post
from social.settings import get_settings

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery"
TOOLS = {"read_post", "read_profile", "latest_posts", "trending_posts", "search", "publish"}


def _png() -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 80, 40)).save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


@pytest.fixture
def tokens(sqlite_engine: Engine) -> dict[str, str]:
    """Ana's valid token, Bo's valid token and Ana's revoked one."""
    with unit_of_work(sqlite_engine) as session:
        for name in ("Ana", "Bo"):
            sign_up(session, name=name, password=PASSWORD)
        ana = create_personal_token(session, user="Ana", name="desktop").token
        bo = create_personal_token(session, user="Bo", name="desktop").token
        old = create_personal_token(session, user="Ana", name="old laptop")
        revoke_personal_token(session, user="Ana", token_id=old.id)
    return {"ana": ana, "bo": bo, "revoked": old.token}


def _posts(engine: Engine) -> int:
    with unit_of_work(engine) as session:
        return session.scalar(select(func.count()).select_from(Post)) or 0


def _text(result: object) -> str:
    return " ".join(getattr(block, "text", "") for block in getattr(result, "content", []))


async def _scenario(client: Client, engine: Engine, tokens: dict[str, str]) -> None:
    listed = await client.list_tools()
    assert {tool.name for tool in listed.tools} == TOOLS

    image = _png()
    refused = {
        "missing token": {"caption": "hi", "image_base64": image},
        "wrong token": {"caption": "hi", "image_base64": image, "token": "plaza_nope"},
        "revoked token": {"caption": "hi", "image_base64": image, "token": tokens["revoked"]},
        "huge caption": {"caption": "x" * 100_000, "image_base64": image, "token": tokens["ana"]},
        "bad base64": {"caption": "hi", "image_base64": "***", "token": tokens["ana"]},
        "no image": {"caption": "hi", "token": tokens["ana"]},
        "unknown image": {"caption": "hi", "image_sha256": "0" * 64, "token": tokens["ana"]},
        "profane caption": {
            "caption": "what the fuck",
            "image_base64": image,
            "token": tokens["ana"],
        },
        "not an image": {
            "caption": "hi",
            "image_base64": base64.b64encode(b"hello").decode(),
            "token": tokens["ana"],
        },
    }
    for case, arguments in refused.items():
        result = await client.call_tool("publish", arguments)
        assert result.is_error, case
        assert _text(result), case
    assert "personal token" in _text(await client.call_tool("publish", refused["missing token"]))
    assert "revoked" in _text(await client.call_tool("publish", refused["revoked token"]))
    moderated = _text(await client.call_tool("publish", refused["profane caption"]))
    assert "Not shared: this breaks the rule on profanity" in moderated
    assert _posts(engine) == 0

    made = await client.call_tool(
        "publish", {"caption": "Fox at dawn #fox", "image_base64": image, "token": tokens["ana"]}
    )
    assert not made.is_error, _text(made)
    post = made.structured_content
    assert post["author"] == "Ana" and post["hashtags"] == ["fox"]
    # Bo's token posts as Bo, whatever the caption claims.
    again = await client.call_tool(
        "publish",
        {"caption": "as Ana", "image_sha256": post["image_sha256"], "token": tokens["bo"]},
    )
    assert again.structured_content["author"] == "Bo"
    assert _posts(engine) == 2

    read = await client.call_tool("read_post", {"post_id": post["id"]})
    assert read.structured_content["caption"] == "Fox at dawn #fox"
    latest = await client.call_tool("latest_posts", {"limit": 5})
    assert [p["author"] for p in latest.structured_content["posts"]] == ["Bo", "Ana"]
    trending = await client.call_tool("trending_posts", {})
    assert len(trending.structured_content["posts"]) == 2
    profile = await client.call_tool("read_profile", {"name": "ana"})
    assert profile.structured_content["post_count"] == 1
    found = await client.call_tool("search", {"query": "a fox in the morning light"})
    assert not found.is_error, _text(found)
    assert found.structured_content["posts"][0]["caption"] == "Fox at dawn #fox"

    for tool, arguments in [
        ("read_post", {"post_id": 999_999}),
        ("read_post", {"post_id": "first"}),
        ("read_post", {}),
        ("read_profile", {"name": "nobody"}),
        ("read_profile", {"name": "x" * 10_000}),
        ("latest_posts", {"limit": 10_000}),
        ("latest_posts", {"cursor": "garbage"}),
        ("trending_posts", {"cursor": "y" * 5000}),
        ("search", {"query": ""}),
        ("search", {"query": "z" * 5000}),
    ]:
        result = await client.call_tool(tool, arguments)
        assert result.is_error and _text(result), (tool, arguments)
    assert _posts(engine) == 2


def _environment(data_dir: Path) -> dict[str, str]:
    return {"PLAZA_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}


def test_over_stdio(sqlite_engine: Engine, tokens: dict[str, str], data_dir: Path) -> None:
    parameters = StdioServerParameters(
        command=sys.executable, args=["-m", "social.mcp"], env=_environment(data_dir), cwd=ROOT
    )

    async def run() -> None:
        async with Client(parameters) as client:
            await _scenario(client, sqlite_engine, tokens)

    asyncio.run(run())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def http_server(data_dir: Path, sqlite_engine: Engine) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "social.mcp", "--http", "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, **_environment(data_dir)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, "the MCP server exited"
                assert time.monotonic() < deadline, "the MCP server did not start"
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_over_http(http_server: str, sqlite_engine: Engine, tokens: dict[str, str]) -> None:
    async def run() -> None:
        async with Client(http_server) as client:
            await _scenario(client, sqlite_engine, tokens)

    asyncio.run(run())


def test_over_http_the_bearer_header_carries_the_token(
    http_server: str, sqlite_engine: Engine, tokens: dict[str, str]
) -> None:
    async def publish(token: str) -> object:
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx2.AsyncClient(headers=headers) as http:
            async with Client(streamable_http_client(http_server, http_client=http)) as client:
                return await client.call_tool("publish", {"caption": "hi", "image_base64": _png()})

    refused = asyncio.run(publish(tokens["revoked"]))
    assert getattr(refused, "is_error", False) and _posts(sqlite_engine) == 0
    made = asyncio.run(publish(tokens["bo"]))
    assert getattr(made, "structured_content", {})["author"] == "Bo"
    assert _posts(sqlite_engine) == 1


def test_tools_show_what_a_guest_may_see(sqlite_engine: Engine, tokens: dict[str, str]) -> None:
    with unit_of_work(sqlite_engine) as session:
        sign_up(session, name="Mod", password=PASSWORD)
        set_moderator(session, name="Mod")
        kept = publish_post(session, author="Bo", caption="a fox", image_bytes=_png_bytes()).id
        gone = publish_post(session, author="Ana", caption="a fox", image_bytes=_png_bytes()).id
        hide_item(session, moderator="Mod", kind="post", item_id=gone, reason="Spam")

    async def run() -> None:
        async with Client(build_server(sqlite_engine, get_settings())) as client:
            latest = await client.call_tool("latest_posts", {})
            assert [post["id"] for post in latest.structured_content["posts"]] == [kept]
            hidden = await client.call_tool("read_post", {"post_id": gone})
            assert hidden.is_error and "does not exist" in _text(hidden)

    asyncio.run(run())


def _png_bytes() -> bytes:
    return base64.b64decode(_png())
