"""Reading rendered pages in tests: the visible text, a table's cells, a form's field errors.

Asserting that a string appears *somewhere* in a page passes when it appears in the wrong place
(a navigation link, a hidden field, another row). These helpers let a test say where.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SKIP = {"script", "style", "template", "head"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tables: list[list[list[str]]] = []
        self._skip = 0
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        # text of marked elements: ("role", "alert"), ("role", "status"), ("data-testid", name)
        self.marked: dict[tuple[str, str], list[str]] = {}
        self._open: list[list] = []  # [mark, depth, pieces] of marked elements being read

    def handle_starttag(self, tag, attrs):
        if tag not in _VOID:
            for reading in self._open:
                reading[1] += 1
            for name, value in attrs:
                if name in ("role", "data-testid") and value:
                    self._open.append([(name, value), 1, []])
        if tag in _SKIP:
            self._skip += 1
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag not in _VOID:
            for reading in self._open:
                reading[1] -= 1
            for mark, _, pieces in [r for r in self._open if r[1] == 0]:
                self.marked.setdefault(mark, []).append(_squash(" ".join(pieces)))
            self._open = [r for r in self._open if r[1] > 0]
        if tag in _SKIP:
            self._skip -= 1
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(_squash("".join(self._cell)))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._skip:
            return
        self.text.append(data)
        for reading in self._open:
            reading[2].append(data)
        if self._cell is not None:
            self._cell.append(data)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _read(page) -> _Reader:
    html = page if isinstance(page, str) else page.content.decode()
    reader = _Reader()
    reader.feed(html)
    return reader


def visible_text(page) -> str:
    """The page's text as a reader sees it (no tags, scripts or attributes), spaces squashed."""
    return _squash(" ".join(_read(page).text))


def table_rows(page, index: int = 0) -> list[list[str]]:
    """The cells' text of the ``index``-th table on the page, row by row (header row included)."""
    return _read(page).tables[index]


def alerts(page) -> list[str]:
    """The text of each ``role="alert"`` element (the errors a page shows), in page order."""
    return _read(page).marked.get(("role", "alert"), [])


def statuses(page) -> list[str]:
    """The text of each ``role="status"`` element (what a page says just happened)."""
    return _read(page).marked.get(("role", "status"), [])


def by_test_id(page, test_id: str) -> list[str]:
    """The text of each element with ``data-testid="<test_id>"``."""
    return _read(page).marked.get(("data-testid", test_id), [])


def field_errors(response, field: str, form: str = "form") -> list[str]:
    """The errors the view's form put on ``field`` (``__all__`` for the form's own)."""
    return list(response.context[form].errors.get(field, []))
