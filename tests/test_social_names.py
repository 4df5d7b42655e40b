"""Names cannot impersonate: look-alikes, invisible characters and directives are refused."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from social.accounts import sign_in_external, sign_up
from social.db import unit_of_work
from social.errors import Invalid
from social.models import User
from social.users import MAX_KEY_LENGTH, clean_name, name_key, name_skeleton
from tests.accounts import PASSWORD, make_accounts

LOOK_ALIKES = {
    "cyrillic a": "\u0430lice",
    "cyrillic e": "alic\u0435",
    "zero-width space": "al\u200bice",
    "zero-width joiner": "alice\u200d",
    "bidi override": "\u202eecila",
    "dotless i": "al\u0131ce",
    "combining acute": "alice\u0301",
    "combining overlay": "a\u0336lice",
    "hangul filler": "alice\u3164",
    "braille blank": "alice\u2800",
    "fullwidth": "\uff41\uff4c\uff49\uff43\uff45",
}


def users(engine: Engine) -> int:
    with unit_of_work(engine) as session:
        return session.scalar(select(func.count()).select_from(User)) or 0


@pytest.mark.parametrize("variant", LOOK_ALIKES.values(), ids=LOOK_ALIKES.keys())
def test_look_alikes_of_alice_are_refused(engine: Engine, variant: str) -> None:
    make_accounts(engine, "alice")
    with pytest.raises(Invalid):
        with unit_of_work(engine) as session:
            sign_up(session, name=variant, password=PASSWORD)
    assert users(engine) == 1


@pytest.mark.parametrize("variant", LOOK_ALIKES.values(), ids=LOOK_ALIKES.keys())
def test_look_alike_first_blocks_alice(engine: Engine, variant: str) -> None:
    """Whichever comes first, the other cannot follow (or the variant is refused outright)."""
    try:
        make_accounts(engine, variant)
    except Invalid:
        return  # refused on its own characters
    with pytest.raises(Invalid, match="looks like|taken"):
        make_accounts(engine, "alice")


@pytest.mark.parametrize(
    "name",
    [
        ":material/verified: admin",
        ":red[admin]",
        "admin :star:",
        "[admin](http://x)",
        "**admin**",
        "`admin`",
        "<b>admin</b>",
        "ad\u00a0min",  # no-break space
        "ad  min",
        "ad\u2066min",  # bidi isolate
        "ad\u00admin",  # soft hyphen
        "ad\ufe0fmin",  # variation selector
        "a\u0301\u0301\u0301dmin",
        "\u0301admin",
        "ad\u20ddmin",  # enclosing circle
        "admin \U0001f451",
    ],
)
def test_names_cannot_carry_markup_directives_or_invisibles(name: str) -> None:
    with pytest.raises(Invalid):
        clean_name(name)


@pytest.mark.parametrize(
    "name",
    ["Émile", "José", "Zoë", "O'Brien", "ana-2", "mary_jane", "Dr. Who", "李雷", "क्षिति", "Ørsted"],
)
def test_real_names_are_accepted(engine: Engine, name: str) -> None:
    make_accounts(engine, name)
    assert users(engine) == 1


def test_accented_and_plain_latin_spellings_are_one_name(engine: Engine) -> None:
    make_accounts(engine, "José")
    with pytest.raises(Invalid, match="looks like"):
        make_accounts(engine, "Jose")


def test_a_name_whose_key_would_overflow_is_refused_not_a_database_error(engine: Engine) -> None:
    name = "\ufdfa" * 40  # NFKC spells each out as 18 characters
    with pytest.raises(Invalid, match="too long"):
        make_accounts(engine, name)
    assert users(engine) == 0


def test_every_accepted_name_fits_its_columns() -> None:
    for name in ["ß" * 40, "ﬃ" * 40, "ǰ" * 40, "ŉ" * 40]:
        try:
            clean_name(name)
        except Invalid:
            continue
        assert len(name_key(name)) <= MAX_KEY_LENGTH
        assert len(name_skeleton(name)) <= MAX_KEY_LENGTH


def test_external_sign_in_skips_a_look_alike_name(engine: Engine) -> None:
    make_accounts(engine, "alice")
    with unit_of_work(engine) as session:
        account = sign_in_external(session, identity="a@x.org", name_hint="\u0430lice")
    assert account.name == "\u0430lice-2"
