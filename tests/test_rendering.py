"""The one rendering function for people's text and the one sanitiser for models' text, against
a table of hostile inputs with the markup each produces."""

from __future__ import annotations

import pytest

from ui.format import WORD_JOINER, plain
from ui.rendering import model_text_html, user_text_html

OPEN = '<p class="plaza-text">'
OUT = 'target="_blank" rel="noopener noreferrer nofollow"'

USER_TEXT = [
    # A setext underline, an indent and markdown emphasis stay as typed.
    ("Sunset\n===", "Sunset\n==="),
    ("Sunset\n---", "Sunset\n---"),
    ("    four spaces", "    four spaces"),
    ("*not bold* _nor this_ `nor code`", "*not bold* _nor this_ `nor code`"),
    (
        "# not a heading\n> not a quote\n- not a list",
        "# not a heading\n&gt; not a quote\n- not a list",
    ),
    # Streamlit's directives and emoji shortcodes are just text.
    (":material/verified: admin", ":material/verified: admin"),
    (":red[alarm] :smile: $x^2$", ":red[alarm] :smile: $x^2$"),
    # HTML and images never take effect; no remote image is loaded.
    ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("![x](javascript:alert(1))", "![x](javascript:alert(1))"),
    # Addresses link to themselves exactly (no backslashes), punctuation after them stays out.
    (
        "see https://127.0.0.1:8501/?post=2.",
        f'see <a href="https://127.0.0.1:8501/?post=2" {OUT}>https://127.0.0.1:8501/?post=2</a>.',
    ),
    (
        "(http://a.example/x_y*z)",
        f'(<a href="http://a.example/x_y*z" {OUT}>http://a.example/x_y*z</a>)',
    ),
    (
        '"http://a.example/?q=1&r=2"',
        f'&quot;<a href="http://a.example/?q=1&amp;r=2" {OUT}>http://a.example/?q=1&amp;r=2</a>&quot;',
    ),
    (
        "![x](http://h.example/p.png)",
        f'![x](<a href="http://h.example/p.png" {OUT}>http://h.example/p.png</a>)',
    ),
    ("javascript:alert(1)", "javascript:alert(1)"),
    # #tags and @mentions link to Plaza's own pages; years and e-mail addresses do not.
    ("#Fox at dawn", '<a href="?tag=fox" target="_self">#Fox</a> at dawn'),
    ("hi @ana.", 'hi <a href="?user=ana" target="_self">@ana</a>.'),
    ("#2025 and mail@example.com", "#2025 and mail@example.com"),
    # Invisible and odd characters pass through untouched (escaped where needed).
    ("a\u200bb \u202eevil", "a\u200bb \u202eevil"),
    ("tab\there & 'quotes'", "tab\there &amp; &#x27;quotes&#x27;"),
]


@pytest.mark.parametrize(("typed", "inner"), USER_TEXT)
def test_user_text_renders_exactly_as_typed(typed: str, inner: str) -> None:
    assert user_text_html(typed) == f"{OPEN}{inner}</p>"


def test_plaza_links_keep_the_open_chat() -> None:
    produced = user_text_html("#fox by @ana", {"chat": "c0ffee"})
    assert 'href="?tag=fox&amp;chat=c0ffee"' in produced
    assert 'href="?user=ana&amp;chat=c0ffee"' in produced


MODEL_TEXT = [
    ("**bold** and *italic*", "<p><strong>bold</strong> and <em>italic</em></p>"),
    ("1. one\n2. two", "<ol>\n<li>one</li>\n<li>two</li>\n</ol>"),
    # Images are dropped, inline or by reference, whatever their address.
    ("look ![x](http://h.example/p.png)", "<p>look </p>"),
    ("![x][1]\n\n[1]: http://h.example/p.png", "<p></p>"),
    # Links to Plaza's own pages stay; any other link is shown, not followed.
    ("[a post](?post=12)", '<p><a href="?post=12" target="_self">a post</a></p>'),
    ("[ana](/?user=ana)", '<p><a href="?user=ana" target="_self">ana</a></p>'),
    ("[click](http://evil.example/)", "<p>click (http://evil.example/)</p>"),
    ("<http://evil.example/a.png>", "<p>http://evil.example/a.png</p>"),
    ("[js](javascript:alert(1))", "<p>[js](javascript:alert(1))</p>"),
    ("[p](?post=1&x=2)", "<p>p (?post=1&amp;x=2)</p>"),
    # Raw HTML is text.
    ("<img src=x onerror=alert(1)>", "<p>&lt;img src=x onerror=alert(1)&gt;</p>"),
    ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
]


@pytest.mark.parametrize(("written", "body"), MODEL_TEXT)
def test_model_text_is_sanitised(written: str, body: str) -> None:
    assert model_text_html(written) == f'<div class="plaza-answer">{body}\n</div>'


def test_no_image_or_outside_link_survives_the_sanitiser() -> None:
    hostile = "\n\n".join(written for written, _ in MODEL_TEXT)
    produced = model_text_html(hostile)
    assert "<img" not in produced and "<script" not in produced
    assert 'href="http' not in produced and 'href="javascript' not in produced


def test_labels_keep_streamlits_directives_from_forming() -> None:
    # Button labels are markdown: a name or title must not become an icon, a colour or a link.
    label = plain(":material/verified: admin :red[x] [link](http://a.example)")
    assert ":material/" not in label and ":red[" not in label and "](" not in label
    assert label.replace(WORD_JOINER, "").replace("\\", "") == (
        ":material/verified: admin :red[x] [link](http://a.example)"
    )
