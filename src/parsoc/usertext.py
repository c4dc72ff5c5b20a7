"""Links and rich text that people type, made safe to put in a page: the one sanitiser.

Every link a person enters (an agenda item's link today; links in Markdown later) goes through
:func:`check_link` when it is saved and through :func:`safe_link` again when it is shown, so a
value stored before these rules (or written around them) still cannot run as script. HTML made
from user Markdown goes through :func:`clean_html`. Both are built on nh3 and allow only the
schemes in :data:`LINK_SCHEMES`.

A link is accepted only when it is absolute, ``http://`` or ``https://`` with a host, or
``mailto:`` with an address, has no white space or control characters anywhere (browsers drop
tabs and line breaks inside URLs, so ``java\\tscript:`` would become ``javascript:``) and is at
most :data:`MAX_LINK_LENGTH` characters long. ``javascript:``, ``data:``, ``vbscript:``,
entity-encoded schemes (``&#106;avascript:``) and relative links are refused.
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import urlsplit

import nh3

from parsoc.errors import InputError

#: The only schemes a user link may use.
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
#: Longest link accepted (characters).
MAX_LINK_LENGTH = 500
#: Tags kept in HTML made from user Markdown; everything else is removed (its text kept).
HTML_TAGS = frozenset({
    "a", "p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "h3", "h4", "hr",
})
HTML_ATTRIBUTES = {"a": {"href", "title"}}
LINK_REL = "nofollow noopener noreferrer"

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


def _has_invisible(text: str) -> bool:
    return any(
        ch.isspace() or ch == "\\" or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")
        for ch in text
    )


def _nh3_keeps(link: str) -> bool:
    """nh3's own verdict on ``link`` as an ``href`` (a second, independent check)."""
    cleaned = nh3.clean(
        f'<a href="{html.escape(link, quote=True)}">x</a>',
        tags={"a"}, attributes={"a": {"href"}}, url_schemes=set(LINK_SCHEMES), link_rel=None,
    )
    return "href=" in cleaned


def link_problem(text: object) -> str | None:
    """Why ``text`` is not an acceptable link, or None when it is (blank is not a link)."""
    if not isinstance(text, str):
        return "a link must be text"
    link = text.strip()
    if not link:
        return "the link is empty"
    if len(link) > MAX_LINK_LENGTH:
        return f"a link may be at most {MAX_LINK_LENGTH} characters long"
    if _has_invisible(link):
        return "a link may not contain spaces, line breaks, backslashes or control characters"
    match = _SCHEME.match(link)
    if match is None:
        return "give a full link starting with https://, http:// or mailto:"
    scheme = match.group(1).lower()
    if scheme not in LINK_SCHEMES:
        return f"links with {scheme}: are not allowed; only https://, http:// and mailto:"
    try:
        parts = urlsplit(link)
    except ValueError:
        return "that is not a well-formed link"
    if scheme in ("http", "https"):
        if not link[match.end():].startswith("//") or not parts.hostname:
            return f"a link needs a host name, like {scheme}://example.org/"
    elif not link[match.end():]:
        return "a mailto link needs an address"
    if not _nh3_keeps(link):
        return "that link is not allowed"
    return None


def safe_link(text: object) -> str | None:
    """The link to put into ``href`` (trimmed), or None when ``text`` is not a safe link."""
    if link_problem(text) is not None:
        return None
    return str(text).strip()


def check_link(text: str | None, field: str = "link") -> str:
    """The link to store: ``""`` for a blank one, else the trimmed link; a link that is not
    allowed raises :class:`InputError` ``"<field>: <why>"``."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return ""
    problem = link_problem(text)
    if problem is not None:
        raise InputError(f"{field}: {problem}")
    return str(text).strip()


def clean_html(fragment: str) -> str:
    """HTML made from user text (Markdown) with only :data:`HTML_TAGS`, ``href``/``title`` on
    links, only :data:`LINK_SCHEMES` in links (``rel`` set to :data:`LINK_REL`), no scripts,
    styles, event handlers or comments."""
    return nh3.clean(
        fragment, tags=set(HTML_TAGS), attributes={k: set(v) for k, v in HTML_ATTRIBUTES.items()},
        url_schemes=set(LINK_SCHEMES), link_rel=LINK_REL, strip_comments=True,
    )
