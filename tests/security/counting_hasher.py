"""A real password hasher (Django's MD5 hasher, as the tests use) that also counts how many
passwords it checked: in ``CountingMD5PasswordHasher.checks`` for this process, and as one line
per check appended to the file named by ``PARSOC_TEST_PASSWORD_CHECKS`` (for server processes)."""

from __future__ import annotations

import os
import threading

from django.contrib.auth.hashers import MD5PasswordHasher


class CountingMD5PasswordHasher(MD5PasswordHasher):
    checks = 0
    _lock = threading.Lock()

    def verify(self, password, encoded):
        with CountingMD5PasswordHasher._lock:
            CountingMD5PasswordHasher.checks += 1
        log = os.environ.get("PARSOC_TEST_PASSWORD_CHECKS")
        if log:
            fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, b"checked\n")  # one write with O_APPEND: whole lines across processes
            finally:
                os.close(fd)
        return super().verify(password, encoded)
