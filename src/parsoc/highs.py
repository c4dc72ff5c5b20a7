"""A quiet HiGHS solver instance.

HiGHS prints a one-time banner from C++ straight to file descriptor 1 when the first instance is
made, which would corrupt the JSON the command line prints; the first instance is made with
standard output pointed at /dev/null, and output is switched off on every instance.
"""

from __future__ import annotations

import os
import sys
from types import ModuleType
from typing import Any

_banner_shown = False


def new_highs() -> tuple[Any, ModuleType]:
    """A HiGHS instance with output off, and the ``highspy`` module."""
    global _banner_shown
    import highspy

    if _banner_shown:
        h = highspy.Highs()
    else:
        sys.stdout.flush()
        saved = os.dup(1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 1)
            h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(devnull)
        _banner_shown = True
    h.setOptionValue("output_flag", False)
    return h, highspy
