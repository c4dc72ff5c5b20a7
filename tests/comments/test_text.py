"""A comment's text: Markdown made safe (parsoc.web.comments.text) and the mentions in it."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

import pytest

from parsoc.web.comments import text


@dataclass(frozen=True, eq=False)
class Person:
    pk: int
    display_name: str


ANA, BEN, ANA2 = Person(1, "Ana García"), Person(2, "Ben"), Person(3, "Ana García")


def render(body, known=None):
    return str(text.render(body, known or {}))


def test_markdown_keeps_links_lists_quotes_code():
    html = render("**bold** and [a link](https://example.org/x)\n\n- one\n- two\n\n> quoted\n\n`x < y`\n\n```\ncode\n```")
    assert "<strong>bold</strong>" in html
    assert '<a href="https://example.org/x" rel="nofollow noopener noreferrer">a link</a>' in html
    assert "<ul>\n<li>one</li>" in html and "<blockquote>" in html
    assert "<code>x &lt; y</code>" in html and "<pre><code>code\n</code></pre>" in html


@pytest.mark.parametrize("body", [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD4=)",
    "![pic](https://example.org/tracker.png)",
    "![pic](javascript:alert(1))",
    '<div style="color:red" onclick="x()">hi</div>',
    "<iframe src=https://example.org></iframe>",
])
def test_hostile_markdown_and_html_come_out_harmless(body):
    html = render(body)
    parser = Elements()
    parser.feed(html)
    for tag, attrs in parser.seen:
        assert tag in text.clean_html.__globals__["HTML_TAGS"], (body, html)
        for name, value in attrs:
            assert name in ("href", "title", "rel"), (body, html)
            if name == "href":
                assert value.startswith(("https://", "http://", "mailto:", "/")), (body, html)
    assert "<script" not in html.lower() and "<img" not in html.lower()


class Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.seen = []

    def handle_starttag(self, tag, attrs):
        self.seen.append((tag, attrs))


def test_raw_html_is_shown_as_text_not_markup():
    assert render("<b>hi</b>") == "<p>&lt;b&gt;hi&lt;/b&gt;</p>\n"


def test_handles_are_slugs_and_shared_ones_take_the_id():
    known = text.handles([ANA, BEN, ANA2])
    assert known["ben"] is BEN and known["ben-2"] is BEN
    assert "ana-garcia" not in known  # two people share it: only the long forms
    assert known["ana-garcia-1"] is ANA and known["ana-garcia-3"] is ANA2
    assert text.handle_of(BEN, known) == "ben" and text.handle_of(ANA2, known) == "ana-garcia-3"


def test_mentions_only_known_people_once_in_order_and_not_in_code():
    known = text.handles([ANA, BEN])
    body = "@ben and @ana-garcia, again @ben; not @nobody, not me@ben.org, not `@ben` nor\n\n    @ben in code"
    assert text.mentioned(body, known) == [BEN, ANA]
    assert text.mentioned("`@ana-garcia`", known) == []
    assert text.mentioned("@Ben!", known) == [BEN]  # case does not matter


def test_mentions_render_as_links_to_the_person_and_others_stay_text():
    known = text.handles([BEN])
    html = render("hi @ben and @stranger, mail me@ben.org", known)
    assert '<a href="/accounts/people/2/" title="Ben" rel="nofollow noopener noreferrer">@ben</a>' in html
    assert "@stranger" in html and html.count("<a ") == 1


def test_a_mention_inside_a_link_text_stays_the_link():
    known = text.handles([BEN])
    html = render("[ask @ben](https://example.org)", known)
    assert html.count("<a ") == 1 and 'href="https://example.org"' in html


def test_at_most_max_mentions():
    people = [Person(i, f"P{i}") for i in range(1, 40)]
    body = " ".join(f"@p{i}" for i in range(1, 40))
    assert len(text.mentioned(body, text.handles(people))) == text.MAX_MENTIONS
