"""The embedded SQLite database file: readable by its owner only, in write-ahead-log mode.

Settings call :func:`private_database_file` before Django opens a connection. SQLite creates
the write-ahead log (``-wal``) and the shared-memory index (``-shm``) with the mode of the
database file, so those are private too. The journal mode is a property of the file: it is
set here once per process, not on every connection (switching modes needs the database to
itself, so checking it on each new connection would queue behind the writer).
Imported by the settings: no Django here.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

PRIVATE = 0o600


def _is_file_name(name) -> bool:
    text = str(name or "")
    return bool(text) and text != ":memory:" and not text.startswith("file:") and "mode=memory" not in text


def private_database_file(name) -> None:
    """Create the database file with mode 600 if it is missing; tighten it (and an existing
    ``-wal``/``-shm``) to 600 if it is looser; put it in WAL mode. In-memory databases are
    left alone."""
    if not _is_file_name(name):
        return
    path = Path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
    except FileExistsError:
        pass
    else:
        os.close(fd)
    for each in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            mode = stat.S_IMODE(each.stat().st_mode)
            if mode & 0o077:
                os.chmod(each, PRIVATE)
        except FileNotFoundError:
            continue
        except PermissionError:  # someone else's file: leave it, SQLite will say if it cannot open it
            continue
    write_ahead_log(path)


def write_ahead_log(path: Path, timeout: float = 30.0) -> None:
    """Put the database in WAL mode (a no-op when it is already)."""
    try:
        db = sqlite3.connect(path, timeout=timeout)
    except sqlite3.Error:
        return  # not ours to open: Django's connection will report it
    try:
        if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            db.execute("PRAGMA journal_mode=WAL")
    except sqlite3.Error:
        pass  # e.g. busy past the timeout: the next start sets it; nothing is lost meanwhile
    finally:
        db.close()
