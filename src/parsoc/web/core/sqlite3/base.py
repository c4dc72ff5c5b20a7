"""Django's SQLite backend, with the writers of one server process queued in arrival order.

SQLite has one write lock for the whole database. With ``transaction_mode: IMMEDIATE`` every
transaction asks for it at ``BEGIN``; a writer that finds it taken waits in SQLite's busy
handler, which sleeps and retries: not in any order, so under load a writer can lose every
retry until its busy timeout runs out ("database is locked") while later ones get through.

Here each server process first queues its transactions on a first-come-first-served gate
(:class:`WriteQueue`); only the transaction at the head of the queue asks SQLite for the lock,
so the busy handler settles at most one contender per process. The gate is held until the
transaction commits or rolls back (or its connection closes). A writing statement outside any
transaction (autocommit: a session saved, a token's last use) queues the same way for the time
of that statement, or it could lose every retry to the queued transactions. Reads are not
queued: in WAL mode readers never wait for the writer.
"""

from __future__ import annotations

import threading
from collections import deque

from django.db import OperationalError
from django.db.backends.sqlite3 import base


class WriteQueue:
    """A lock granted in arrival order (FIFO), with a timeout."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._waiting: deque[threading.Lock] = deque()
        self._held = False

    def acquire(self, timeout: float) -> bool:
        with self._mutex:
            if not self._held:
                self._held = True
                return True
            turn = threading.Lock()
            turn.acquire()
            self._waiting.append(turn)
        if turn.acquire(timeout=timeout):
            return True  # handed over by release()
        with self._mutex:
            try:
                self._waiting.remove(turn)
            except ValueError:
                return True  # handed over just as the wait ran out: ours after all
            return False

    def release(self) -> None:
        with self._mutex:
            if self._waiting:
                self._waiting.popleft().release()  # stays held: handed to the next in line
            else:
                self._held = False


WRITERS = WriteQueue()
"""One queue per process, shared by every connection (each request thread has its own)."""


_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class DatabaseWrapper(base.DatabaseWrapper):
    _queued = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(self._queue_autocommit_write)

    def _wait_time(self) -> float:
        return float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))

    def _queue_autocommit_write(self, execute, sql, params, many, context):
        if self.in_atomic_block or self._queued or not sql.lstrip()[:7].upper().startswith(_WRITES):
            return execute(sql, params, many, context)
        if not WRITERS.acquire(self._wait_time()):
            raise OperationalError(f"database is locked (waited {self._wait_time():g} s for the writers before this one)")
        try:
            return execute(sql, params, many, context)
        finally:
            WRITERS.release()

    def _start_transaction_under_autocommit(self):
        if self.transaction_mode == "IMMEDIATE" and not self._queued:
            timeout = self._wait_time()
            if not WRITERS.acquire(timeout):
                raise OperationalError(f"database is locked (waited {timeout:g} s for the writers before this one)")
            self._queued = True
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._leave_queue()
            raise

    def _leave_queue(self) -> None:
        if self._queued:
            self._queued = False
            WRITERS.release()

    def _commit(self):
        try:
            return super()._commit()
        finally:
            if self.connection is None or not self.connection.in_transaction:
                self._leave_queue()  # committed (a failed COMMIT is rolled back next, which leaves)

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._leave_queue()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._leave_queue()
