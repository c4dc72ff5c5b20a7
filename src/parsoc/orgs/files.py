"""Reading a directory file: size, encoding and the report of rows that could not be read.

Every layout reads through here, so that each refuses the same way: a file too large, not
UTF-8, or without the columns its layout needs is refused as a whole; a row that cannot be
read is reported with its number and the reason, and the import takes nothing from a file
with such rows (the person fixes the rows and imports again).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from parsoc.errors import InputError
from parsoc.orgs.organisation import Organisation, checked

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
MAX_FIELD = 100_000
MAX_COLUMNS = 200
MAX_PROBLEMS_SHOWN = 20


@dataclass(frozen=True)
class RowProblem:
    row: int  # 1-based, counting the header as row 1 in CSV; feature index + 1 in GeoJSON
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.reason}"


class FileRefused(InputError):
    """The file as a whole cannot be imported; ``problems`` lists the rows and reasons."""

    def __init__(self, message: str, problems: Iterable[RowProblem] = ()) -> None:
        self.problems = list(problems)
        shown = "; ".join(str(p) for p in self.problems[:MAX_PROBLEMS_SHOWN])
        more = len(self.problems) - MAX_PROBLEMS_SHOWN
        if more > 0:
            shown += f"; and {more} more"
        super().__init__(f"{message}: {shown}" if shown else message)


def text_of(data: bytes) -> str:
    """The file's text: at most ``MAX_BYTES``, UTF-8 (a byte-order mark is allowed)."""
    if len(data) > MAX_BYTES:
        raise FileRefused(f"the file is {len(data) / 1e6:.1f} MB; at most {MAX_BYTES // (1024 * 1024)} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FileRefused(
            "the file is not UTF-8 text", [RowProblem(line, f"byte {error.start} cannot be read as UTF-8; "
                                                            "save the file as UTF-8 and import it again")]
        ) from None
    if "\x00" in text:
        raise FileRefused("the file is not text (it contains NUL characters)")
    return text


def csv_rows(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header and the rows of a CSV text, each row with its line number in the file."""
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader, [])]
        if not any(header):
            raise FileRefused("the file is empty: a CSV file starts with a header row")
        if len(header) > MAX_COLUMNS:
            raise FileRefused(f"the header has {len(header)} columns; at most {MAX_COLUMNS}")
        repeated = sorted(name for name, count in Counter(header).items() if count > 1)
        if repeated:
            raise FileRefused(f"the header names a column twice: {', '.join(repeated[:10])}")
        rows: list[tuple[int, dict[str, str]]] = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise FileRefused(f"the file has more than {MAX_ROWS} rows")
            line = reader.line_num
            if len(values) > len(header):
                rows.append((line, {"\x00extra": str(len(values) - len(header))}))
                continue
            rows.append((line, dict(zip(header, values + [""] * (len(header) - len(values)), strict=True))))
    except csv.Error as error:
        raise FileRefused("the file is not valid CSV", [RowProblem(reader.line_num, str(error))]) from None
    return header, rows


def require_columns(header: list[str], needed: Iterable[str], layout: str) -> None:
    missing = [c for c in needed if c not in header]
    if missing:
        raise FileRefused(f"the file lacks the {layout} layout's column(s) {', '.join(missing)}")


def read_rows(rows: Iterable[tuple[int, dict[str, str]]],
              build: Callable[[dict[str, str]], Organisation]) -> list[Organisation]:
    """Each row built and checked; every unreadable row reported, none half-taken."""
    organisations: list[Organisation] = []
    problems: list[RowProblem] = []
    for line, row in rows:
        extra = row.get("\x00extra")
        if extra is not None:
            problems.append(RowProblem(line, f"{extra} more value(s) than the header has columns"))
            continue
        try:
            organisations.append(checked(build(row)))
        except InputError as error:
            problems.append(RowProblem(line, str(error)))
    if problems:
        raise FileRefused(f"{len(problems)} row(s) could not be read, so nothing was imported", problems)
    return organisations
