"""`plaza`: the operator's command line. Each command is a thin call of a `social` function;
a refusal prints its message and exits with status 1."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Sequence
from datetime import timedelta

from sqlalchemy import Engine

from social import migrate
from social.counters import rescore_posts
from social.db import engine_for, unit_of_work
from social.errors import Invalid, SocialError
from social.moderators import set_moderator
from social.orphan_files import DEFAULT_MIN_AGE, sweep_orphan_files
from social.password_reset import reset_password
from social.reports import list_reports
from social.settings import SocialSettings, get_settings
from social.signing_keys import instance_ca_pem
from social.storage import get_store

Command = Callable[[argparse.Namespace, SocialSettings, Engine], None]


def _migrate(_args: argparse.Namespace, _settings: SocialSettings, engine: Engine) -> None:
    migrate.upgrade(engine)
    print("Database is up to date.")


def _reports(args: argparse.Namespace, _settings: SocialSettings, engine: Engine) -> None:
    with unit_of_work(engine) as session:
        reports = list_reports(session, limit=args.limit)
    if not reports:
        print("No reports.")
        return
    print("id\tpost\tcomment\treporter\tdate\tstatus\treason")
    for report in reports:
        reason = " ".join(report.reason.split())
        when = report.created_at.strftime("%Y-%m-%d %H:%M")
        comment = report.comment_id or "-"
        status = report.resolution or "open"
        print(
            f"{report.id}\t{report.post_id}\t{comment}\t{report.reporter}\t{when}"
            f"\t{status}\t{reason}"
        )


def _moderator(args: argparse.Namespace, _settings: SocialSettings, engine: Engine) -> None:
    with unit_of_work(engine) as session:
        name = set_moderator(session, name=args.name, moderator=not args.revoke)
    print(f"{name} is no longer a moderator." if args.revoke else f"{name} is now a moderator.")


def _passwd(args: argparse.Namespace, _settings: SocialSettings, engine: Engine) -> None:
    if args.stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(f"New password for {args.name}: ")
        if getpass.getpass("Again: ") != password:
            raise Invalid("The two passwords differ; nothing was changed.")
    with unit_of_work(engine) as session:
        name = reset_password(session, name=args.name, new_password=password)
    print(f"Password of {name} changed; their sign-ins have ended.")


def _sweep(args: argparse.Namespace, _settings: SocialSettings, engine: Engine) -> None:
    with unit_of_work(engine) as session:
        store = get_store()
        result = sweep_orphan_files(
            session,
            store,
            delete=args.delete,
            min_age=timedelta(minutes=args.min_age_minutes),
        )
    for item in result.objects:
        print(store.where(item.key))
    verb = "Deleted" if result.deleted else "Would delete"
    print(f"{verb} {len(result.objects)} orphan files ({result.total_bytes} bytes).")
    if result.objects and not result.deleted:
        print("Run again with --delete to remove them.")


def _rescore(_args: argparse.Namespace, _settings: SocialSettings, engine: Engine) -> None:
    with unit_of_work(engine) as session:
        count = rescore_posts(session)
    print(f"Rescored {count} posts for Trending.")


def _reindex(_args: argparse.Namespace, _settings: SocialSettings, engine: Engine) -> None:
    from social.search.__main__ import main as search_command  # Chroma loads only for this

    search_command(["reindex"], engine=engine)


def _ca(_args: argparse.Namespace, _settings: SocialSettings, engine: Engine) -> None:
    print(instance_ca_pem(engine), end="")


def _mcp(args: argparse.Namespace, settings: SocialSettings, _engine: Engine) -> None:
    from social.mcp import serve  # the MCP SDK loads only for this command

    serve(settings, http=args.http, host=args.host, port=args.port)


def parser() -> argparse.ArgumentParser:
    """The `plaza` command line and its subcommands."""
    top = argparse.ArgumentParser(prog="plaza", description="Operate a Plaza server.")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser("migrate", help="bring the database to the newest schema")
    commands.add_parser("reindex", help="rebuild the search index from the database")
    commands.add_parser("rescore", help="recompute Trending scores after changing its settings")

    reports = commands.add_parser(
        "reports", help="list reports of posts and comments, newest first"
    )
    reports.add_argument("--limit", type=int, default=100, help="how many (default 100)")

    moderator = commands.add_parser("moderator", help="make an account a moderator (or --revoke)")
    moderator.add_argument("name", help="the account's name")
    moderator.add_argument("--revoke", action="store_true", help="take the role away")

    passwd = commands.add_parser("passwd", help="set a new password for an account")
    passwd.add_argument("name", help="the account's name")
    passwd.add_argument("--stdin", action="store_true", help="read the password from stdin")

    sweep = commands.add_parser("sweep", help="list (or --delete) image files nothing uses")
    sweep.add_argument("--delete", action="store_true", help="remove them (default: only list)")
    sweep.add_argument(
        "--min-age-minutes",
        type=int,
        default=int(DEFAULT_MIN_AGE.total_seconds() // 60),
        help="leave younger files alone: a publish may still be writing its row (default 60)",
    )

    commands.add_parser(
        "ca", help="print the CA certificate (PEM) that signs this instance's pictures"
    )

    mcp = commands.add_parser("mcp", help="serve the feed to MCP clients (stdio by default)")
    mcp.add_argument("--http", action="store_true", help="streamable HTTP instead of stdio")
    mcp.add_argument("--host", default="127.0.0.1", help="HTTP address (default 127.0.0.1)")
    mcp.add_argument("--port", type=int, default=8765, help="HTTP port (default 8765)")
    return top


COMMANDS: dict[str, Command] = {
    "migrate": _migrate,
    "reindex": _reindex,
    "rescore": _rescore,
    "reports": _reports,
    "moderator": _moderator,
    "passwd": _passwd,
    "sweep": _sweep,
    "ca": _ca,
    "mcp": _mcp,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one `plaza` command; the exit status is 0 on success, 1 on a refusal."""
    args = parser().parse_args(argv)
    settings = get_settings()
    engine = engine_for(settings.url)
    try:
        if args.command not in ("migrate", "mcp"):
            migrate.upgrade(engine)
        COMMANDS[args.command](args, settings, engine)
    except SocialError as error:
        print(f"plaza: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
