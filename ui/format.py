"""Small presentation helpers: relative times and inert text."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from social.models import as_utc

MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$])")


def relative_time(moment: datetime, now: datetime | None = None) -> str:
    """'just now', '5 min ago', '3 h ago', '2 d ago' or a date for older moments."""
    now = now or datetime.now(UTC)
    moment = as_utc(moment)
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 45:
        return "just now"
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    if seconds < 7 * 86400:
        return f"{seconds // 86400} d ago"
    return moment.strftime("%-d %b %Y")


def plain(text: str) -> str:
    """Text escaped for st.markdown, so user content shows as typed and never as markup."""
    escaped = MARKDOWN_SPECIALS.sub(r"\\\1", text)
    # Two trailing spaces keep single line breaks; blank lines stay blank (paragraphs).
    return "\n".join(f"{line}  " if line.strip() else "" for line in escaped.split("\n")).rstrip()
