"""Optional dependencies: imported where they are needed, and named when they are missing.

Ray (distributed planning) and matplotlib (plots) are extras, not run-time requirements of
every install. A command that needs one and does not find it answers one line saying what to
install, instead of a traceback ending in ``No module named ...``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from parsoc.errors import InputError

#: module -> (what needs it, the extra that brings it)
EXTRAS = {
    "ray": ("running the planning procedure on Ray (--ray)", "ray"),
    "matplotlib": ("plots (--plot)", "plot"),
}


def require(module: str) -> ModuleType:
    """Import ``module`` (one of :data:`EXTRAS`), or raise InputError naming the extra."""
    try:
        return importlib.import_module(module)
    except ImportError:
        what, extra = EXTRAS[module.split(".")[0]]
        raise InputError(
            f"{what} needs the optional package {module.split('.')[0]!r}: "
            f"install it with  pip install 'parsoc[{extra}]'"
        ) from None
