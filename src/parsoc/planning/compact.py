"""Our own compact economy format: one NumPy ``.npz`` file of flat arrays (CSR for inputs).

An uncompressed ``.npz`` (a zip of ``.npy`` arrays, readable from any language with a zip
reader and the documented ``.npy`` header) holding exactly the arrays of
:class:`parsoc.planning.economy.Economy` plus a format tag:

| array | dtype | shape | meaning |
|---|---|---|---|
| ``format`` | str | () | ``"parsoc-economy/1"`` |
| ``sizes`` | int64 | (5,) | commodities per category: private, intermediate, nature, labour, public |
| ``endowment`` | float64 | (nature + labour,) | fixed supply of each natural resource and labour type |
| ``cc_income`` | float64 | (C,) | income m of each consumer council |
| ``cc_private`` | float64 | (C, private) | utility exponents u |
| ``cc_public`` | float64 | (C, public) | public-good exponents g |
| ``wc_industry`` | int8 | (W,) | 0 private, 1 intermediate, 2 public |
| ``wc_product`` | int32 | (W,) | product index within its category, 0-based |
| ``wc_a``, ``wc_s``, ``wc_c``, ``wc_k`` | float64 | (W,) | A, S, c, k (the EDN ``:du``) |
| ``wc_indptr`` | int64 | (W+1,) | inputs of council w are entries ``indptr[w]:indptr[w+1]`` |
| ``wc_input_commodity`` | int32 | (nnz,) | global commodity number of each input (0-based) |
| ``wc_input_exponent`` | float64 | (nnz,) | its exponent b |

Bytes per council: 8 (1 + private + public) per consumer council; 45 + 12 per input per worker
council (about 117 bytes with the generator's average of 6 inputs). Ten million councils (5M +
5M) with 10 commodities per category take about 0.8 GB + 0.6 GB: a seventh of the same
economy as EDN text. Arrays are stored uncompressed so that reading is a plain copy.
"""

from __future__ import annotations

import dataclasses
import zipfile
from pathlib import Path

import numpy as np

from parsoc.errors import InputError
from parsoc.planning.economy import Economy, make_economy

FORMAT = "parsoc-economy/1"
FIELDS = tuple(f.name for f in dataclasses.fields(Economy))


def write_npz(economy: Economy, path: str | Path) -> None:
    """Write ``economy`` in the compact format (the ``.npz`` suffix is added if missing)."""
    arrays = {name: np.asarray(getattr(economy, name)) for name in FIELDS}
    arrays["sizes"] = np.asarray(economy.sizes, dtype=np.int64)
    np.savez(Path(path), format=np.array(FORMAT), **arrays)


def read_npz(path: str | Path) -> Economy:
    """Read and check an economy in the compact format."""
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as data:
            tag = str(data["format"]) if "format" in data.files else None
            if tag != FORMAT:
                raise InputError(f"{path}: not a {FORMAT} file (format tag {tag!r})")
            missing = [name for name in FIELDS if name not in data.files]
            if missing:
                raise InputError(f"{path}: missing array(s) {', '.join(missing)}")
            arrays = {name: data[name] for name in FIELDS}
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(f"{path}: not a readable .npz file ({exc})") from None
    try:
        return make_economy(**arrays)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None


def read_economy(path: str | Path) -> Economy:
    """Read an economy from ``.npz`` (ours) or EDN ``.clj`` / ``.clj.gz`` (the original's)."""
    from parsoc.planning.edn import read_edn

    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic[:2] == b"PK":
        return read_npz(path)
    return read_edn(path)


def write_economy(economy: Economy, path: str | Path) -> None:
    """Write ``.npz`` for a path ending ``.npz``, EDN (gzipped for ``.gz``) otherwise."""
    from parsoc.planning.edn import write_edn

    if str(path).endswith(".npz"):
        write_npz(economy, path)
    else:
        write_edn(economy, path)
