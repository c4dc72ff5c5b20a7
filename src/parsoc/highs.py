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


def pass_model(h: Any, highspy: ModuleType, cost: Any, lower: Any, upper: Any, integer: list[bool] | None,
               rows: Any, row_lower: Any, row_upper: Any) -> None:
    """Give ``h`` the problem: minimise ``cost·x`` with ``lower <= x <= upper`` and
    ``row_lower <= rows·x <= row_upper`` (``rows`` any SciPy sparse or dense matrix); the
    columns flagged in ``integer`` are integers (``None``: all continuous)."""
    import numpy as np
    from scipy import sparse

    lp = highspy.HighsLp()
    matrix = sparse.csc_matrix(rows)
    lp.num_col_, lp.num_row_ = matrix.shape[1], matrix.shape[0]
    lp.col_cost_ = np.asarray(cost, dtype=float)
    lp.col_lower_ = np.asarray(lower, dtype=float)
    lp.col_upper_ = np.asarray(upper, dtype=float)
    lp.row_lower_ = np.asarray(row_lower, dtype=float)
    lp.row_upper_ = np.asarray(row_upper, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
    lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
    lp.a_matrix_.value_ = matrix.data.astype(float)
    if integer is not None:
        lp.integrality_ = [highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous
                           for flag in integer]
    h.passModel(lp)
