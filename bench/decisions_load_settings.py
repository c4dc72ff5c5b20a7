"""The production settings with persistent database connections off (CONN_MAX_AGE = 0).

Used by ``bench/decisions_load.py --no-persistent-connections``: under ASGI each request runs in
its own thread, so persistent connections pile up one per concurrent request until PostgreSQL
refuses more clients. Django's documentation advises turning them off under ASGI. The project's
settings now do so themselves (``conn_max_age=0``), so this file no longer changes anything;
it is kept so the flag still runs.
"""

from parsoc.web.settings import *  # noqa: F401,F403
from parsoc.web.settings import DATABASES

DATABASES["default"]["CONN_MAX_AGE"] = 0
