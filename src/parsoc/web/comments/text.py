"""A comment's text: Markdown made safe, and the @mentions in it.

Markdown is rendered by markdown-it-py in CommonMark mode with raw HTML off (so ``<script>``
typed by someone stays text), then passed through :func:`parsoc.usertext.clean_html` (nh3):
only paragraphs, emphasis, links (http, https, mailto), lists, quotes, code and rules survive;
images, ``javascript:`` links and event handlers do not. The result of ``clean_html`` is the
only text of a comment that is ever marked safe.

A mention is ``@handle``: a person's handle is their display name made into a slug
(``Ana García`` → ``@ana-garcia``); when two people who may be mentioned share one, each
answers to it followed by ``-`` and their id (``@ana-garcia-12``), and anyone may be
mentioned that way. Only people who may see the target can be mentioned (members of its
council); any other ``@word`` stays text. Mentions inside code are not mentions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from markdown_it import MarkdownIt
from markdown_it.token import Token

from parsoc.usertext import clean_html

MENTION = re.compile(r"(?<![\w@./-])@([a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?)", re.IGNORECASE)
#: At most this many people are mentioned (and told) by one comment.
MAX_MENTIONS = 20

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def handle_base(person) -> str:
    return slugify(person.display_name) or "person"


def handles(people: Iterable[Any]) -> dict[str, Any]:
    """Handle → person for ``people`` (see the module's note on shared handles)."""
    people = list(people)
    counts: dict[str, int] = {}
    for person in people:
        counts[handle_base(person)] = counts.get(handle_base(person), 0) + 1
    found: dict[str, Any] = {}
    for person in people:
        base = handle_base(person)
        found[f"{base}-{person.pk}"] = person
        if counts[base] == 1:
            found[base] = person
    return found


def handle_of(person, known: Mapping[str, Any]) -> str:
    base = handle_base(person)
    return base if known.get(base) is person else f"{base}-{person.pk}"


def mentioned(body: str, known: Mapping[str, Any]) -> list[Any]:
    """The people ``body`` mentions, in order, each once, outside code; at most MAX_MENTIONS."""
    found: list[Any] = []
    for token in _text_tokens(_md.parse(body or "")):
        for match in MENTION.finditer(token.content):
            person = known.get(match.group(1).lower())
            if person is not None and person not in found:
                found.append(person)
    return found[:MAX_MENTIONS]


def _text_tokens(tokens: list[Token]):
    """The plain-text inline tokens (not code, not inside a link's text)."""
    for block in tokens:
        if block.type != "inline" or not block.children:
            continue
        in_link = 0
        for child in block.children:
            if child.type == "link_open":
                in_link += 1
            elif child.type == "link_close":
                in_link -= 1
            elif child.type == "text" and not in_link:
                yield child


def _with_mentions(block: Token, known: Mapping[str, Any]) -> None:
    children: list[Token] = []
    in_link = 0
    for child in block.children or []:
        if child.type == "link_open":
            in_link += 1
        elif child.type == "link_close":
            in_link -= 1
        if child.type != "text" or in_link or not MENTION.search(child.content):
            children.append(child)
            continue
        at = 0
        for match in MENTION.finditer(child.content):
            person = known.get(match.group(1).lower())
            if person is None:
                continue
            if match.start() > at:
                children.append(Token("text", "", 0, content=child.content[at:match.start()]))
            link = Token("link_open", "a", 1, attrs={
                "href": reverse("accounts:person", args=[person.pk]), "title": person.display_name,
            })
            children += [link, Token("text", "", 0, content=match.group(0)), Token("link_close", "a", -1)]
            at = match.end()
        if at < len(child.content):
            children.append(Token("text", "", 0, content=child.content[at:]))
    block.children = children


def render(body: str, known: Mapping[str, Any] | None = None) -> SafeString:
    """``body`` (Markdown) as safe HTML, its mentions of ``known`` people made links."""
    tokens = _md.parse(body or "")
    if known:
        for block in tokens:
            if block.type == "inline":
                _with_mentions(block, known)
    html = _md.renderer.render(tokens, _md.options, {})
    return mark_safe(clean_html(html))  # noqa: S308 -- the sanitiser's output, nothing else
