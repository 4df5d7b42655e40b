"""The `plaza` command line: migrate, reports, moderator, passwd, sweep, reindex, ca (mcp:
test_mcp_server)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine

from social.accounts import authenticate, sign_up
from social.cli import main
from social.credentials import read_credentials
from social.db import unit_of_work
from social.errors import Invalid
from social.media import (
    Provenance,
    image_key,
    read_image,
    read_thumbnail,
    store_image,
    thumbnail_key,
)
from social.moderators import is_moderator
from social.posts import publish_post
from social.reports import report_post
from social.sessions import open_session, user_of_session
from social.settings import get_settings
from tests.test_plugins import _png

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery"


def test_migrate_in_a_subprocess_builds_the_database(data_dir: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "social.cli", "migrate"],
        cwd=ROOT,
        env={**os.environ, "PLAZA_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "up to date" in done.stdout and (data_dir / "plaza.db").exists()


def test_reports_lists_the_queue(sqlite_engine: Engine, capsys: pytest.CaptureFixture) -> None:
    assert main(["reports"]) == 0
    assert capsys.readouterr().out.strip() == "No reports."
    with unit_of_work(sqlite_engine) as session:
        for name in ("Ana", "Bo"):
            sign_up(session, name=name, password=PASSWORD)
        post = publish_post(session, author="Ana", caption="hello", image_bytes=_png("red"))
        report = report_post(session, user="Bo", post_id=post.id, reason="spam,\nlinks everywhere")
    assert main(["reports"]) == 0
    lines = capsys.readouterr().out.splitlines()
    day = report.created_at.strftime("%Y-%m-%d")
    assert lines[0] == "id\tpost\tcomment\treporter\tdate\tstatus\treason"
    assert lines[1].startswith(f"{report.id}\t{post.id}\t-\tBo\t{day} ")
    assert lines[1].endswith("\topen\tspam, links everywhere")


def test_moderator_grants_and_revokes_the_role(
    sqlite_engine: Engine, capsys: pytest.CaptureFixture
) -> None:
    with unit_of_work(sqlite_engine) as session:
        sign_up(session, name="Ana", password=PASSWORD)
    assert main(["moderator", "ana"]) == 0
    assert capsys.readouterr().out.strip() == "Ana is now a moderator."
    with unit_of_work(sqlite_engine) as session:
        assert is_moderator(session, "Ana")
    assert main(["moderator", "Ana", "--revoke"]) == 0
    assert capsys.readouterr().out.strip() == "Ana is no longer a moderator."
    with unit_of_work(sqlite_engine) as session:
        assert not is_moderator(session, "Ana")
    assert main(["moderator", "nobody"]) == 1
    assert "no account called 'nobody'" in capsys.readouterr().err


def test_passwd_from_stdin_changes_the_password_and_ends_sign_ins(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with unit_of_work(sqlite_engine) as session:
        sign_up(session, name="Ana", password=PASSWORD)
        opened = open_session(session, user="Ana")
    monkeypatch.setattr(sys, "stdin", io.StringIO("a brand new secret\n"))
    assert main(["passwd", "ana", "--stdin"]) == 0
    with unit_of_work(sqlite_engine) as session:
        assert authenticate(session, name="Ana", password="a brand new secret").name == "Ana"
        with pytest.raises(Invalid):
            authenticate(session, name="Ana", password=PASSWORD)
        assert user_of_session(session, opened.session_id) is None


@pytest.mark.parametrize(
    ("typed", "name", "message"),
    [
        (["a brand new secret", "a brand new secrex"], "Ana", "differ"),
        (["short", "short"], "Ana", "at least"),
        (["a brand new secret", "a brand new secret"], "Nobody", "no account"),
    ],
)
def test_passwd_refusals_change_nothing(
    sqlite_engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture,
    typed: list[str],
    name: str,
    message: str,
) -> None:
    with unit_of_work(sqlite_engine) as session:
        sign_up(session, name="Ana", password=PASSWORD)
    answers = iter(typed)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["passwd", name]) == 1
    assert message in capsys.readouterr().err
    with unit_of_work(sqlite_engine) as session:
        assert authenticate(session, name="Ana", password=PASSWORD).name == "Ana"


def test_sweep_lists_then_deletes_only_old_orphans(
    sqlite_engine: Engine, capsys: pytest.CaptureFixture
) -> None:
    with unit_of_work(sqlite_engine) as session:
        kept = store_image(session, _png("red")).sha256
    media = get_settings().media_dir
    orphan = media / image_key("ab" * 32)
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(read_image(kept))
    orphan_thumb = media / thumbnail_key("ab" * 32)
    orphan_thumb.write_bytes(read_thumbnail(kept))
    partial = orphan.parent / ".tmp-x1y2"
    partial.write_bytes(b"half a file")
    young = media / image_key("cd" * 32)
    young.parent.mkdir(parents=True, exist_ok=True)
    young.write_bytes(b"a publish still writing its row")
    unrelated = media / "README.txt"
    unrelated.write_text("not Plaza's")
    old = time.time() - 2 * 3600
    kept_files = [media / image_key(kept), media / thumbnail_key(kept)]
    for path in [orphan, orphan_thumb, partial, *kept_files]:
        os.utime(path, (old, old))

    assert main(["sweep"]) == 0
    out = capsys.readouterr().out
    listed = {Path(line) for line in out.splitlines() if line.startswith(str(media))}
    assert listed == {orphan, orphan_thumb, partial}
    assert "Would delete 3 orphan files" in out and "--delete" in out
    assert orphan.exists() and partial.exists()

    assert main(["sweep", "--delete"]) == 0
    assert "Deleted 3 orphan files" in capsys.readouterr().out
    assert not orphan.exists() and not orphan_thumb.exists() and not partial.exists()
    assert all(path.exists() for path in kept_files)
    assert young.exists() and unrelated.exists()


def test_reindex_rebuilds_the_search_index(
    sqlite_engine: Engine, capsys: pytest.CaptureFixture
) -> None:
    from social.search.queries import find_post_ids
    from social.search.sync import sync_index

    with unit_of_work(sqlite_engine) as session:
        sign_up(session, name="Ana", password=PASSWORD)
        post = publish_post(
            session, author="Ana", caption="A fox asleep in the snow", image_bytes=_png("red")
        )
        sync_index(session)
    assert main(["reindex"]) == 0
    assert "Rebuilt the search index: 1 posts." in capsys.readouterr().out
    assert [hit.post_id for hit in find_post_ids("a sleeping fox", limit=1)] == [post.id]


def test_ca_prints_the_certificate_that_makes_the_instances_pictures_trusted(
    sqlite_engine: Engine, capsys: pytest.CaptureFixture
) -> None:
    with unit_of_work(sqlite_engine) as session:
        image = store_image(session, _png("teal"), provenance=Provenance(model="painter"))
    assert main(["ca"]) == 0
    ca_pem = capsys.readouterr().out
    assert ca_pem.startswith("-----BEGIN CERTIFICATE-----")
    picture = read_image(image.sha256)
    assert read_credentials(picture).validation == "Valid"  # intact, signer unknown
    assert read_credentials(picture, trust_anchors=ca_pem).validation == "Trusted"
