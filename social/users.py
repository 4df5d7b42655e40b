"""People's names: what a name may hold, and the keys that keep two names apart.

A name is letters, digits and marks of any script, single spaces and the punctuation `- _ . '`.
Two names are the same person when their *key* (NFKC + case fold) matches; a new name is
refused when its *skeleton* matches an existing one's: the key folded through Unicode TR39's
confusables (the maintained `disarm` package carries the data), so `аlice` with a Cyrillic а,
`alıce` or `ａｌｉｃｅ` cannot pass for `alice`. Accents on Latin letters are folded too
(`alicé` is `alice`'s look-alike). Invisible, control, bidi and format characters are refused,
as is `:` so a name cannot carry a Streamlit directive such as `:material/verified:`.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from disarm import skeleton_key
from sqlalchemy import select
from sqlalchemy.orm import Session

from social.errors import Invalid
from social.models import User

MAX_NAME_LENGTH = 40
# The width of the name_key and name_skeleton columns.
MAX_KEY_LENGTH = 160
NAME_PUNCTUATION = frozenset("-_.'")
# Letters and marks that render as nothing: Hangul fillers, Khmer inherent vowels, Mongolian
# variation selectors, the combining grapheme joiner and the variation selectors.
_INVISIBLE = frozenset(
    [0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180C, 0x180D, 0x180F, 0x3164, 0xFFA0]
    + list(range(0xFE00, 0xFE10))
    + list(range(0xE0100, 0xE01F0))
)
_MAX_MARKS_IN_A_ROW = 2
_ALLOWED = "A name can hold letters, digits, single spaces and - _ . ' only."


def _refuse_character(char: str) -> Invalid:
    if char == ":":
        return Invalid("A name cannot contain ':'. " + _ALLOWED)
    if char.isspace():
        return Invalid("A name can hold single ordinary spaces only. " + _ALLOWED)
    if unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co", "Cn"} or ord(char) in _INVISIBLE:
        return Invalid("A name cannot contain invisible, control or direction characters.")
    return Invalid(f"A name cannot contain {char!r}. " + _ALLOWED)


def _check_characters(name: str) -> None:
    marks = 0
    previous = ""
    for char in name:
        category = unicodedata.category(char)
        if ord(char) in _INVISIBLE:
            raise _refuse_character(char)
        if category[0] == "M":
            # NFC already joined every mark that has a precomposed letter; one left on a plain
            # Latin letter, a pile of them or one on nothing is decoration, not spelling.
            marks += 1
            base_is_latin = unicodedata.normalize("NFD", previous)[:1].isascii()
            if category == "Me" or base_is_latin or marks > _MAX_MARKS_IN_A_ROW:
                raise Invalid("A name cannot stack accents or marks on its letters.")
            continue
        marks = 0
        if category[0] in "LN":
            previous = char
        elif char in NAME_PUNCTUATION or char == " ":
            previous = " "
        else:
            raise _refuse_character(char)
    if "  " in name:
        raise Invalid("A name can hold single spaces only.")


def clean_name(name: object) -> str:
    """The display name as stored (stripped, NFC); raise Invalid if it is not acceptable."""
    if not isinstance(name, str):
        raise Invalid("Please choose a name.")
    if len(name) > MAX_NAME_LENGTH * 4:
        raise Invalid(f"A name can be at most {MAX_NAME_LENGTH} characters long.")
    if any(unicodedata.category(char) == "Cs" for char in name):
        raise _refuse_character("\ud800")
    name = unicodedata.normalize("NFC", name.strip())
    if not name:
        raise Invalid("Please choose a name.")
    if len(name) > MAX_NAME_LENGTH:
        raise Invalid(f"A name can be at most {MAX_NAME_LENGTH} characters long.")
    _check_characters(name)
    if len(name_key(name)) > MAX_KEY_LENGTH or len(name_skeleton(name)) > MAX_KEY_LENGTH:
        raise Invalid("This name is too long once its letters are spelled out; choose a shorter.")
    return name


def name_key(name: str) -> str:
    """The case-insensitive form two names are compared by ("Émile" and "émile" match)."""
    # Done in Python, not SQL: SQLite's lower() only folds ASCII.
    return unicodedata.normalize("NFKC", name).casefold()


def name_skeleton(name: str) -> str:
    """The look-alike key of a name: its key folded by TR39 confusables, Latin accents dropped."""
    skeleton = skeleton_key(name_key(name), digit_policy="tr39")
    kept: list[str] = []
    for char in unicodedata.normalize("NFD", skeleton):
        if unicodedata.combining(char) and kept and kept[-1].isascii():
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def lookup_key(name: object) -> str:
    """The key to look `name` up by; "" (which matches nobody) for what cannot be a name."""
    if not isinstance(name, str) or len(name) > MAX_NAME_LENGTH * 4:
        return ""
    return _lookup_key(name)


@lru_cache(maxsize=4096)  # every page asks for its viewer's key
def _lookup_key(name: str) -> str:
    if any(char == "\0" or unicodedata.category(char) == "Cs" for char in name):
        return ""
    return name_key(unicodedata.normalize("NFC", name.strip()))[: MAX_KEY_LENGTH + 1]


def find_user(session: Session, name: object) -> User | None:
    """The user called `name` in any letter case, or None."""
    key = lookup_key(name)
    if not key:
        return None
    return session.scalars(select(User).where(User.name_key == key)).one_or_none()


def find_look_alike(session: Session, name: str) -> User | None:
    """Someone else whose name looks like `name` (same skeleton, another key), or None."""
    query = select(User).where(
        User.name_skeleton == name_skeleton(name), User.name_key != name_key(name)
    )
    return session.scalars(query.limit(1)).first()


def new_user(name: str) -> User:
    """A user row for the already cleaned `name`, with its key and skeleton."""
    return User(name=name, name_key=name_key(name), name_skeleton=name_skeleton(name))
