"""The author chooses per post whether the prompt is shown: hidden from everyone else in cards,
feeds, search, the image file and the assistant's tools; shown by default."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from social.credentials import read_credentials
from social.db import unit_of_work
from social.errors import Invalid
from social.media import Provenance, image_lineage, read_image, read_provenance, store_image
from social.posts import get_post, latest_feed, publish_post
from social.search.sync import post_documents
from tests.accounts import make_accounts
from tests.openai_server import make_png

SECRET = "a lighthouse in my grandmother's handwriting"


@pytest.fixture
def accounts(engine: Engine) -> Engine:
    make_accounts(engine, "ana", "bo")
    return engine


def generated(engine: Engine) -> str:
    """An image the assistant made and edited, with its prompt and edits in its file."""
    provenance = Provenance(model="offline-painter-1", prompt=SECRET, edits=("wider",))
    with unit_of_work(engine) as session:
        return store_image(session, make_png(32, 24, "x"), provenance=provenance).sha256


def publish(engine: Engine, sha256: str, **options: object) -> int:
    with unit_of_work(engine) as session:
        return publish_post(
            session,
            author="ana",
            caption="by the sea",
            prompt=SECRET,
            model="offline-painter-1",
            image_sha256=sha256,
            edit_steps=("wider",),
            **options,  # type: ignore[arg-type]
        ).id


def test_prompt_is_shown_by_default(accounts: Engine) -> None:
    post_id = publish(accounts, generated(accounts))
    with unit_of_work(accounts) as session:
        card = get_post(session, post_id, viewer="bo")
    assert card.prompt_public and card.prompt == SECRET and card.edit_steps == ("wider",)


def test_hidden_prompt_shows_to_its_author_only(accounts: Engine) -> None:
    post_id = publish(accounts, generated(accounts), prompt_public=False)
    with unit_of_work(accounts) as session:
        mine = get_post(session, post_id, viewer="ana")
        theirs = get_post(session, post_id, viewer="bo")
        anyone = get_post(session, post_id)  # what the MCP server and a guest read
        feed = latest_feed(session, viewer="bo", limit=10).posts
    assert mine.prompt == SECRET and mine.edit_steps == ("wider",) and not mine.prompt_public
    for card in (theirs, anyone, feed[0]):
        assert card.prompt == "" and card.edit_steps == () and card.lineage == ""
        assert card.ai_generated  # the model and the AI badge stay


def test_hidden_prompt_is_not_in_the_downloadable_file(accounts: Engine) -> None:
    original = generated(accounts)
    post_id = publish(accounts, original, prompt_public=False)
    with unit_of_work(accounts) as session:
        card = get_post(session, post_id, viewer="bo")
    assert card.image_sha256 != original
    assert SECRET not in read_image(card.image_sha256).decode("latin-1")
    assert "plaza:prompt" not in read_provenance(card.image_sha256)
    # A remix of it starts from the file: nothing of the prompt to carry over.
    assert image_lineage(card.image_sha256).prompt == ""
    summary = read_credentials(read_image(card.image_sha256))
    assert summary.validation == "Valid" and summary.ai_generated
    assert summary.model == "offline-painter-1"
    assert summary.edits == ()  # a copy, not an edit
    assert [i.generator.split()[0] for i in summary.ingredients] == ["Plaza"]


def test_hidden_prompt_of_new_bytes_stays_out_of_the_file(accounts: Engine) -> None:
    with unit_of_work(accounts) as session:
        card = publish_post(
            session,
            author="ana",
            caption="upload",
            prompt=SECRET,
            model="m",
            image_bytes=make_png(16, 16, "y"),
            prompt_public=False,
        )
    assert "plaza:prompt" not in read_provenance(card.image_sha256)


def test_search_does_not_index_a_hidden_prompt(accounts: Engine) -> None:
    hidden = publish(accounts, generated(accounts), prompt_public=False)
    shown = publish(accounts, generated(accounts))
    with unit_of_work(accounts) as session:
        documents = {d.post_id: d.text for d in post_documents(session, [hidden, shown])}
    assert SECRET not in documents[hidden] and "by the sea" in documents[hidden]
    assert SECRET in documents[shown]


def test_visibility_must_be_a_yes_or_no(accounts: Engine) -> None:
    with unit_of_work(accounts) as session, pytest.raises(Invalid):
        publish_post(
            session,
            author="ana",
            caption="x",
            image_bytes=make_png(8, 8),
            prompt_public="no",  # type: ignore[arg-type]
        )
