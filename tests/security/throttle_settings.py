"""The production settings, with passwords hashed by a hasher that counts its checks
(``tests/security/test_throttle.py`` serves parsoc with these)."""

from parsoc.web.settings import *

PASSWORD_HASHERS = ["tests.security.counting_hasher.CountingMD5PasswordHasher"]
