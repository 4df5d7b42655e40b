"""Two Plaza servers, one community: both on one PostgreSQL database and one S3-compatible
image store, each with its own data folder. A sign-in, a post (its picture and its signed
Content Credentials included) and a like made through one server are seen through the other,
in real headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, make_url, text

from tests.browser import CHROMIUM, CHROMIUM_ARGS, plaza_server
from tests.conftest import POSTGRES_URL
from tests.test_browser_social import sign_up

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [pytest.mark.browser, pytest.mark.postgres]
expect = playwright_api.expect


def schema_url(engine: Engine) -> str:
    """A DATABASE_URL for another process that lands in `engine`'s own schema."""
    with engine.connect() as connection:
        schema = connection.scalar(text("SELECT current_schema()"))
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture
def two_servers(
    postgres_engine: Engine, s3_storage: str, tmp_path: Path
) -> Iterator[tuple[str, str, list[Path]]]:
    """Two servers sharing the database and the image store: (URL one, URL two, data folders)."""
    shared = {"DATABASE_URL": schema_url(postgres_engine), "PLAZA_STORAGE_URL": s3_storage}
    folders = [tmp_path / "one" / "data", tmp_path / "two" / "data"]
    for folder in folders:
        folder.mkdir(parents=True)
    with plaza_server(folders[0], shared) as one, plaza_server(folders[1], shared) as two:
        yield one, two, folders


def open_page(context, url: str):
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(url)
    expect(page.get_by_role("heading", name="Plaza", exact=True)).to_be_visible(timeout=60_000)
    return page


def test_sign_in_post_and_like_made_on_one_server_show_on_the_other(two_servers) -> None:
    one, two, folders = two_servers
    with playwright_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        ana = chromium.new_context(viewport={"width": 1400, "height": 1000})
        on_one = open_page(ana, one)
        sign_up(on_one, "ana")
        chat_box = on_one.get_by_placeholder("Describe an image", exact=False)
        chat_box.fill("a lighthouse on a cliff at dusk")
        chat_box.press("Enter")
        on_one.get_by_role("button", name="Share", exact=True).click(timeout=60_000)
        expect(on_one.locator(".st-key-post-1")).to_be_visible()

        # Same browser, other server: the sign-in made on one holds, the post is there and
        # its picture comes from the shared store.
        on_two = open_page(ana, two)
        expect(on_two.get_by_text("Signed in as @ana")).to_be_visible()
        picture = on_two.locator(".st-key-post-1 img").first
        expect(picture).to_be_visible()
        on_two.wait_for_function(
            "image => image.complete && image.naturalWidth > 0", arg=picture.element_handle()
        )
        # Server one signed it; server two knows that signer as its own instance.
        credentials = on_two.locator(".st-key-post-1").get_by_text("Content Credentials")
        expect(credentials).to_contain_text("Trusted")

        # Someone else likes it through server two; server one counts the like.
        bo = open_page(chromium.new_context(viewport={"width": 1400, "height": 1000}), two)
        sign_up(bo, "bo")
        like = bo.locator(".st-key-card-1-like button:visible")
        like.click()
        expect(like).to_have_text("favorite 1")
        on_one.reload()
        expect(on_one.locator(".st-key-card-1-like button:visible")).to_have_text(
            "favorite_border 1"
        )
        chromium.close()
    # Neither server kept an image on its own disk.
    assert not [path for folder in folders for path in folder.rglob("*.png")]
