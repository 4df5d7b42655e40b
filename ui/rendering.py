"""The two ways Plaza shows text, as HTML for `st.html` (never Streamlit markdown):

- `user_text_html`: what a person typed (captions, comments, bios, names, prompts, chat), exactly
  as typed. Web addresses become links that open in a new tab, #tags and @mentions link to
  Plaza's own pages; nothing else takes effect: no markdown structure, no Streamlit directives
  (`:red[…]`, `:material/…:`), no emoji shortcodes, no HTML, no remote images.
- `model_text_html`: what a model wrote, as markdown with its formatting kept, images dropped,
  raw HTML shown as text and links kept only to Plaza's own pages (post, user, tag); any other
  link is shown as its text followed by its address, not clickable.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from urllib.parse import quote, urlencode

from markdown_it import MarkdownIt
from markdown_it.token import Token

# Web addresses, #tags (the same rule `social.hashtags` stores them by) and @mentions.
_URL = r"https?://[^\s<>\"'`]+"
_TAG = r"(?<![\w#&])#(?P<tag>\w*[^\W\d_]\w*)"
_MENTION = r"(?<![\w@.])@(?P<name>\w[\w.-]{0,39})"
_TOKENS = re.compile(rf"(?P<url>{_URL})|{_TAG}|{_MENTION}")
# Punctuation that ends a sentence is not part of the address before it.
_TRAILING = ".,;:!?)]}'\""
_INTERNAL = re.compile(r"^/?\?(?P<kind>post|user|tag)=(?P<value>[^&#\s]{1,100})$")


def internal_href(kind: str, value: str, keep: Mapping[str, str] | None = None) -> str:
    """The link to a Plaza page (`?post=12`, `?user=ana`, `?tag=fox`), keeping `keep`'s params."""
    return "?" + urlencode({kind: value, **(keep or {})}, quote_via=quote)


def _link(href: str, text: str, *, outside: bool) -> str:
    target = ' target="_blank" rel="noopener noreferrer nofollow"' if outside else ' target="_self"'
    return f'<a href="{html.escape(href, quote=True)}"{target}>{html.escape(text)}</a>'


def user_text_html(text: str, keep: Mapping[str, str] | None = None, *, small: bool = False) -> str:
    """`text` as inert HTML: line breaks and spaces kept, addresses, #tags and @names linked."""
    parts: list[str] = []
    position = 0
    for match in _TOKENS.finditer(text):
        start, end = match.span()
        parts.append(html.escape(text[position:start]))
        if url := match.group("url"):
            trimmed = url.rstrip(_TRAILING)
            end = start + len(trimmed)
            parts.append(_link(trimmed, trimmed, outside=True))
        elif tag := match.group("tag"):
            parts.append(
                _link(internal_href("tag", tag.lower(), keep), match.group(0), outside=False)
            )
        else:
            name = match.group("name").rstrip(".-")
            end = start + 1 + len(name)
            parts.append(_link(internal_href("user", name, keep), "@" + name, outside=False))
        position = end
    parts.append(html.escape(text[position:]))
    # Line breaks and runs of spaces are kept by the class's CSS (`ui.styles`).
    size = " plaza-small" if small else ""
    return f'<p class="plaza-text{size}">{"".join(parts)}</p>'


def _markdown() -> MarkdownIt:
    # html=False: raw HTML in the text is escaped; linkify off: bare addresses stay text.
    return MarkdownIt("commonmark", {"html": False, "linkify": False})


_MODEL_MARKDOWN = _markdown()


def _make_safe(tokens: list[Token], keep: Mapping[str, str] | None) -> None:
    """Drop images and unwrap links that do not point at a Plaza page, in place."""
    for block in tokens:
        if not block.children:
            continue
        children: list[Token] = []
        outside: list[str] = []  # the address of each open link that is not ours
        for token in block.children:
            if token.type == "image":
                continue
            if token.type == "link_open":
                href = str(token.attrs.get("href", ""))
                if found := _INTERNAL.match(href):
                    token.attrs = {"href": internal_href(found["kind"], found["value"], keep)}
                    token.attrSet("target", "_self")
                    outside.append("")
                    children.append(token)
                else:
                    outside.append(href)
                continue
            if token.type == "link_close":
                href = outside.pop() if outside else ""
                if not href:
                    children.append(token)
                elif not (children and children[-1].content == href):  # <addr> shows once
                    shown = Token("text", "", 0)
                    shown.content = f" ({href})"
                    children.append(shown)
                continue
            children.append(token)
        block.children = children


def model_text_html(markdown: str, keep: Mapping[str, str] | None = None) -> str:
    """A model's markdown as HTML: formatting kept, images dropped, links only to Plaza pages."""
    tokens = _MODEL_MARKDOWN.parse(markdown)
    _make_safe(tokens, keep)
    body = _MODEL_MARKDOWN.renderer.render(tokens, _MODEL_MARKDOWN.options, {})
    return f'<div class="plaza-answer">{body}</div>'
