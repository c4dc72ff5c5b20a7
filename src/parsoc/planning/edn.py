"""Economies in the original program's EDN layout (``.clj``, gzipped or not), both ways.

The layout (Clojure data; see ``docs/planning.md``)::

    (ns some.namespace)
    (def ccs [{:income 5000 :utility-exponents [...] :public-good-exponents [...] ...} ...])
    (def wcs [{:industry 0 :product 3 :production-inputs [[1 4] [2] [7 9]]
               :input-exponents [...] :nature-exponents [...] :labor-exponents [...]
               :a 5.1 :s 1 :c 0.07 :du 3.4 ...} ...])

Indices in the file are 1-based within their category. The original files have no place for
the endowment (1000 of every natural resource and labour type); we read and write an
optional ``(def endowment [...])`` (one number per natural resource, then per labour type),
written only when it is not 1000 everywhere. Keys other than the ones the model
reads are accepted and ignored on reading; on writing, the original program's bookkeeping
keys are written with their starting values so that program can run our economies.

The reader is our own small tokenizer (a vector of plain numbers is read in one step), about
two orders of magnitude faster than a general EDN parser on these files; the tests check it
against ``edn_format`` on real data.
"""

from __future__ import annotations

import gzip
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from parsoc.errors import InputError
from parsoc.planning.economy import DEFAULT_ENDOWMENT, Economy, make_economy

_TOKEN = re.compile(
    r"""
    (?P<ws>[\s,]+|;[^\n]*)
  | (?P<numvec>\[[\s,0-9eE+.\-]*\](?![^\s,\]\)\}]))
  | (?P<open>[\[\(\{]|\#\{)
  | (?P<close>[\]\)\}])
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<atom>[^\s,\[\]\(\)\{\}";]+)
    """,
    re.VERBOSE,
)
_CLOSER = {"[": "]", "(": ")", "{": "}", "#{": "}"}
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?)[MN]?$")


class Keyword(str):
    """An EDN keyword, without its colon."""


class Symbol(str):
    """An EDN symbol."""


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise InputError(f"{path}: not a readable gzip file ({exc})") from exc
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from exc


def _atom(text: str, where):
    if _NUMBER.match(text):
        body = text.rstrip("MN")
        if re.fullmatch(r"[+-]?\d+", body):
            return int(body)
        return float(body)
    if text == "true":
        return True
    if text == "false":
        return False
    if text == "nil":
        return None
    if text.startswith(":"):
        return Keyword(text[1:])
    if text[0].isdigit():
        raise InputError(f"{where()}: not a number: {text!r}")
    return Symbol(text)


def parse_edn(text: str, source: str = "<edn>") -> list[Any]:
    """All top-level forms of ``text``: vectors and lists as Python lists, maps as dicts."""
    stack: list[tuple[str, list[Any], int]] = []
    top: list[Any] = []
    current = top
    pos = 0
    end = len(text)

    def where(at=None) -> str:
        return f"{source} line {text.count(chr(10), 0, pos if at is None else at) + 1}"

    match = _TOKEN.match
    while pos < end:
        m = match(text, pos)
        if m is None:
            raise InputError(f"{where()}: unexpected character {text[pos]!r}")
        kind = m.lastgroup
        value = m.group(kind)
        if kind == "ws":
            pass
        elif kind == "numvec":
            items = value[1:-1].replace(",", " ").split()
            try:
                current.append([int(x) if x.lstrip("+-").isdigit() else float(x) for x in items])
            except ValueError:
                raise InputError(f"{where()}: malformed number in {value[:40]!r}") from None
        elif kind == "open":
            stack.append((value, current, pos))
            current = []
        elif kind == "close":
            if not stack:
                raise InputError(f"{where()}: unmatched {value!r}")
            opener, parent, start = stack.pop()
            if _CLOSER[opener] != value:
                raise InputError(f"{where()}: {opener!r} opened at {where(start)} closed by {value!r}")
            if opener == "{":
                if len(current) % 2:
                    raise InputError(f"{where(start)}: a map with an odd number of forms")
                form = {
                    (str(k) if isinstance(k, Keyword) else k): v
                    for k, v in zip(current[0::2], current[1::2], strict=False)
                }
            else:
                form = current
            parent.append(form)
            current = parent
        elif kind == "string":
            current.append(value[1:-1])
        else:
            current.append(_atom(value, where))
        pos = m.end()
    if stack:
        raise InputError(f"{where(stack[-1][2])}: {stack[-1][0]!r} is never closed")
    return top


def _definitions(forms: list[Any], source: str) -> dict[str, Any]:
    defs = {}
    for form in forms:
        if isinstance(form, list) and len(form) == 3 and form[0] == "def" and isinstance(form[1], Symbol):
            defs[str(form[1])] = form[2]
    for name in ("ccs", "wcs"):
        if name not in defs or not isinstance(defs[name], list):
            raise InputError(f"{source}: no (def {name} [...]) vector of councils")
    return defs


def _get(council: dict[str, Any], key: str, who: str) -> Any:
    if not isinstance(council, dict):
        raise InputError(f"{who}: not a map")
    if key not in council:
        raise InputError(f"{who}: missing key :{key}")
    return council[key]


def _numbers(value: Any, who: str, key: str) -> list[float]:
    if not isinstance(value, list) or not all(
        isinstance(x, (int, float)) and not isinstance(x, bool) for x in value
    ):
        raise InputError(f"{who}: :{key} must be a vector of numbers")
    return value


def _number(value: Any, who: str, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{who}: :{key} must be a number, got {value!r}")
    return value


def economy_from_edn_forms(forms: list, source: str = "<edn>", sizes=None, endowment=None) -> Economy:
    """Turn parsed EDN forms into a checked :class:`Economy`.

    ``sizes`` (five counts) defaults to what the file implies: the lengths of the consumer
    councils' exponent vectors, and the largest product or input index per category.
    """
    defs = _definitions(forms, source)
    ccs, wcs = defs["ccs"], defs["wcs"]
    income, private, public = [], [], []
    for i, cc in enumerate(ccs):
        who = f"{source}: consumer council {i + 1}"
        income.append(_number(_get(cc, "income", who), who, "income"))
        private.append(_numbers(_get(cc, "utility-exponents", who), who, "utility-exponents"))
        public.append(_numbers(_get(cc, "public-good-exponents", who), who, "public-good-exponents"))
    n_priv = len(private[0]) if private else 0
    n_pub = len(public[0]) if public else 0
    for i, (u, g) in enumerate(zip(private, public, strict=True)):
        if len(u) != n_priv or len(g) != n_pub:
            raise InputError(
                f"{source}: consumer council {i + 1}: has {len(u)} utility-exponents and {len(g)} "
                f"public-good-exponents, consumer council 1 has {n_priv} and {n_pub}"
            )
    industry, product, a, s, c, k = [], [], [], [], [], []
    indptr, inputs, exponents, kinds = [0], [], [], []
    top = [0, 0, 0, 0]  # largest index seen: intermediate, nature, labour, (unused)
    for w, wc in enumerate(wcs):
        who = f"{source}: worker council {w + 1}"
        ind = _get(wc, "industry", who)
        if ind not in (0, 1, 2) or isinstance(ind, bool):
            raise InputError(f"{who}: :industry must be 0, 1 or 2, got {ind!r}")
        prod = _get(wc, "product", who)
        if isinstance(prod, bool) or not isinstance(prod, int) or prod < 1:
            raise InputError(f"{who}: :product must be a whole number from 1, got {prod!r}")
        industry.append(ind)
        product.append(prod - 1)
        if ind == 1:
            top[0] = max(top[0], prod)
        for key, sink in (("a", a), ("s", s), ("c", c), ("du", k)):
            sink.append(_number(_get(wc, key, who), who, key))
        groups = _get(wc, "production-inputs", who)
        if not isinstance(groups, list) or len(groups) != 3:
            raise InputError(f"{who}: :production-inputs must be [[intermediate ids] [nature ids] [labor ids]]")
        for cat, (ids, key) in enumerate(zip(groups, ("input-exponents", "nature-exponents", "labor-exponents"), strict=False)):
            ids = _numbers(ids, who, "production-inputs")
            exps = _numbers(_get(wc, key, who), who, key)
            if len(ids) != len(exps):
                raise InputError(f"{who}: :{key} has {len(exps)} exponents for {len(ids)} production-inputs")
            for x in ids:
                if isinstance(x, float) or x < 1:
                    raise InputError(f"{who}: :production-inputs ids must be whole numbers from 1, got {x!r}")
                top[cat] = max(top[cat], x)
            inputs.extend(ids)
            kinds.extend([cat] * len(ids))
            exponents.extend(exps)
        indptr.append(len(inputs))
    if sizes is None:
        n_int, n_nat, n_lab = top[0], top[1], top[2]
        n_priv = max([n_priv] + [p + 1 for p, i in zip(product, industry, strict=False) if i == 0])
        n_pub = max([n_pub] + [p + 1 for p, i in zip(product, industry, strict=False) if i == 2])
        sizes = (n_priv, n_int, n_nat, n_lab, n_pub)
    offsets = np.array([sizes[0], sizes[0] + sizes[1], sizes[0] + sizes[1] + sizes[2]], dtype=np.int64)
    kinds_arr = np.asarray(kinds, dtype=np.int64)
    ids_arr = np.asarray(inputs, dtype=np.int64)
    limit = np.asarray(sizes[1:4], dtype=np.int64)[kinds_arr] if kinds else ids_arr
    if kinds and np.any(ids_arr > limit):
        bad = int(np.flatnonzero(ids_arr > limit)[0])
        owner = int(np.searchsorted(np.asarray(indptr), bad, side="right")) - 1
        raise InputError(f"{source}: worker council {owner + 1}: :production-inputs id {ids_arr[bad]} is outside its category")
    commodity = (offsets[kinds_arr] + ids_arr - 1) if kinds else np.zeros(0, dtype=np.int64)
    if endowment is None and "endowment" in defs:
        endowment = _numbers(defs["endowment"], source, "endowment")
        if len(endowment) != sizes[2] + sizes[3]:
            raise InputError(f"{source}: (def endowment [...]) needs {sizes[2] + sizes[3]} numbers, one per natural resource and labour type")
    try:
        return make_economy(
            sizes=sizes,
            cc_income=np.asarray(income, dtype=np.float64),
            cc_private=np.asarray(private, dtype=np.float64).reshape(len(ccs), n_priv),
            cc_public=np.asarray(public, dtype=np.float64).reshape(len(ccs), n_pub),
            wc_industry=industry,
            wc_product=product,
            wc_a=a,
            wc_s=s,
            wc_c=c,
            wc_k=k,
            wc_indptr=indptr,
            wc_input_commodity=commodity,
            wc_input_exponent=exponents,
            endowment=endowment,
        )
    except InputError as exc:
        raise InputError(f"{source}: {exc}") from None


def read_edn(path: str | Path, sizes: Sequence[int] | None = None, endowment: Any = None) -> Economy:
    """Read an economy from an EDN ``.clj`` file (gzipped or not)."""
    path = Path(path)
    text = _read_text(path)
    return economy_from_edn_forms(parse_edn(text, str(path)), str(path), sizes, endowment)


def _vec(values: Iterable[float]) -> str:
    return "[" + " ".join(repr(float(x)) for x in values) + "]"


def _ivec(values: Iterable[int]) -> str:
    return "[" + " ".join(str(int(x)) for x in values) + "]"


def _num(x: float) -> str:
    x = float(x)
    return str(int(x)) if x.is_integer() and abs(x) < 2**53 else repr(x)


def write_edn(economy: Economy, path: str | Path, namespace: str = "parsoc.economy") -> None:
    """Write ``economy`` in the original program's EDN layout (gzipped if ``path`` ends .gz)."""
    path = Path(path)
    raw = gzip.open(path, "wb", compresslevel=6) if path.suffix == ".gz" else open(path, "wb")  # noqa: SIM115 -- closed by the `with` below
    with raw, io.TextIOWrapper(raw, encoding="utf-8", newline="\n") as out:
        out.write(f"(ns {namespace})\n\n(def ccs\n[")
        zeros = _ivec([0] * economy.sizes[0])
        for i in range(economy.n_ccs):
            out.write(
                ("" if i == 0 else "\n ")
                + f"{{:effort 1, :num-workers 10, :utility-exponents {_vec(economy.cc_private[i])}, "
                f":final-demands {zeros}, :cy 1, :public-good-exponents {_vec(economy.cc_public[i])}, "
                f":public-good-demands [0], :income {_num(economy.cc_income[i])}}}"
            )
        out.write("])\n\n(def wcs\n[")
        off = economy.offsets
        for w in range(economy.n_wcs):
            lo, hi = economy.wc_indptr[w], economy.wc_indptr[w + 1]
            ids = economy.wc_input_commodity[lo:hi]
            exps = economy.wc_input_exponent[lo:hi]
            groups = []
            for cat in (1, 2, 3):
                sel = (ids >= off[cat]) & (ids < off[cat + 1])
                groups.append((ids[sel] - off[cat] + 1, exps[sel]))
            out.write(
                ("" if w == 0 else "\n ")
                + f"{{:effort 0.5, :labor-exponents {_vec(groups[2][1])}, :industry {int(economy.wc_industry[w])}, "
                f":output 0, :s {_num(economy.wc_s[w])}, :du {_num(economy.wc_k[w])}, :c {_num(economy.wc_c[w])}, "
                f":product {int(economy.wc_product[w]) + 1}, :labor-quantities [0], "
                f":production-inputs [{_ivec(groups[0][0])} {_ivec(groups[1][0])} {_ivec(groups[2][0])}], "
                f":input-exponents {_vec(groups[0][1])}, :toothache false, "
                f":nature-exponents {_vec(groups[1][1])}, :a {_num(economy.wc_a[w])}}}"
            )
        out.write("])\n")
        if not np.all(economy.endowment == DEFAULT_ENDOWMENT):
            out.write(f"\n(def endowment {_vec(economy.endowment)})\n")
