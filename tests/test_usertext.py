"""The one sanitiser for user links and HTML (``parsoc.usertext``), on its own (no Django)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsoc.errors import InputError
from parsoc.usertext import check_link, clean_html, link_problem, safe_link

GOOD = ["https://example.org/a?b=1&c=2#d", "http://example.org", "HTTPS://EXAMPLE.ORG/", "mailto:fay@example.org",
        "  https://example.org/trimmed  "]
BAD = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "java\nscript:alert(1)",
       "\x01javascript:alert(1)", "&#106;avascript:alert(1)", "data:text/html,<script>alert(1)</script>",
       "vbscript:msgbox(1)", "file:///etc/passwd", "//evil.example/", "/relative", "example.org",
       "https:evil.example", "https://", "mailto:", "http://[::1", "https://exa mple.org",
       "https://example.org\\@evil.example", "\u202ehttps://example.org", "https://" + "a" * 600]


@pytest.mark.parametrize("link", GOOD)
def test_allowed_links_are_kept_trimmed(link):
    assert safe_link(link) == link.strip()
    assert check_link(link, "url") == link.strip()


@pytest.mark.parametrize("link", BAD)
def test_everything_else_is_refused_with_a_field_error(link):
    assert safe_link(link) is None
    with pytest.raises(InputError, match=r"^url: "):
        check_link(link, "url")


def test_blank_is_no_link():
    assert check_link("", "url") == check_link("   ", "url") == check_link(None, "url") == ""
    assert safe_link("") is None and link_problem(None) is not None


_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*):")


@settings(max_examples=300, deadline=None)
@given(st.one_of(
    st.text(max_size=60),
    st.builds(lambda s, rest: s + rest, st.sampled_from(["javascript:", "JAVASCRIPT:", "data:", "http://", "https://",
                                                          "mailto:", "java\tscript:", " javascript:"]),
              st.text(max_size=40)),
))
def test_any_accepted_link_is_http_https_or_mailto_without_invisible_characters(text):
    link = safe_link(text)
    if link is not None:
        assert _SCHEME.match(link).group(1).lower() in {"http", "https", "mailto"}
        assert not any(ch.isspace() or ord(ch) < 32 or ch == "\x7f" for ch in link)


def test_clean_html_keeps_text_and_safe_links_only():
    cleaned = clean_html('<p onclick="x()">Hi <a href="javascript:alert(1)">bad</a> <a href="https://ok.example">ok</a>'
                         '<script>alert(1)</script><img src=x onerror=alert(1)><style>p{}</style><!-- c --></p>')
    assert cleaned == ('<p>Hi <a rel="nofollow noopener noreferrer">bad</a> '
                       '<a href="https://ok.example" rel="nofollow noopener noreferrer">ok</a></p>')
