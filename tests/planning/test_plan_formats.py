"""Reading and writing economies: EDN (the original layout) and our compact .npz."""

from __future__ import annotations

import dataclasses
import gzip

import numpy as np
import pytest

from parsoc.errors import InputError
from parsoc.planning.compact import read_economy, read_npz, write_economy, write_npz
from parsoc.planning.economy import Economy
from parsoc.planning.edn import parse_edn, read_edn, write_edn


def same_economy(a: Economy, b: Economy) -> bool:
    return a.sizes == b.sizes and all(
        np.array_equal(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(Economy) if f.name != "sizes"
    )


def _plain(form):
    """edn_format's immutable types → plain lists, dicts with str keys, numbers."""
    import edn_format

    if isinstance(form, edn_format.Keyword):
        return str(form.name)
    if isinstance(form, edn_format.Symbol):
        return str(form)
    if isinstance(form, (list, tuple, edn_format.ImmutableList)):
        return [_plain(x) for x in form]
    if isinstance(form, (dict, edn_format.ImmutableDict)):
        return {_plain(k): _plain(v) for k, v in form.items()}
    return form


def test_reader_agrees_with_edn_format_on_real_data(pequod):
    """Our tokenizer against the edn_format library, on an excerpt of a real experiment
    (the first ~140 consumer and ~200 worker councils; the whole file takes edn_format ~5 s)."""
    import edn_format

    text = gzip.open(pequod / "dep1ex03.clj.gz", "rt").read()
    wcs_at = text.index("(def wcs")
    ccs_part = text[:90_000]
    ccs_part = ccs_part[: ccs_part.rindex("\n {")] + "])\n\n"
    wcs_part = text[wcs_at : wcs_at + 70_000]
    wcs_part = wcs_part[: wcs_part.rindex("\n {")] + "])\n"
    excerpt = ccs_part + wcs_part
    ours = parse_edn(excerpt)
    theirs = _plain(list(edn_format.loads_all(excerpt)))
    assert ours == theirs
    assert len(ours[1][2]) > 100 and len(ours[2][2]) > 100


def test_edn_round_trip_is_exact(pequod, tmp_path):
    economy = read_edn(pequod / "dep1ex01.clj.gz")
    assert (economy.n_ccs, economy.n_wcs, economy.sizes) == (3000, 3000, (10,) * 5)
    for name in ("again.clj.gz", "again.clj"):
        write_edn(economy, tmp_path / name)
        assert same_economy(read_edn(tmp_path / name), economy)


def test_npz_round_trip_is_exact(small_economy, tmp_path):
    write_npz(small_economy, tmp_path / "e.npz")
    assert same_economy(read_npz(tmp_path / "e.npz"), small_economy)
    write_economy(small_economy, tmp_path / "f.npz")
    write_economy(small_economy, tmp_path / "f.clj.gz")
    assert same_economy(read_economy(tmp_path / "f.npz"), read_economy(tmp_path / "f.clj.gz"))


def test_npz_is_compact(small_economy, tmp_path):
    write_npz(small_economy, tmp_path / "e.npz")
    write_edn(small_economy, tmp_path / "e.clj")
    size = (tmp_path / "e.npz").stat().st_size
    per_council = size / (small_economy.n_ccs + small_economy.n_wcs)
    assert per_council < 200  # 8 × 21 per consumer council, ~117 per worker council
    assert size * 3 < (tmp_path / "e.clj").stat().st_size


GOOD_CC = "{:income 5000 :utility-exponents [0.1 0.2] :public-good-exponents [0.3]}"
GOOD_WC = [
    "{:industry 0 :product 1 :production-inputs [[1] [1] [1]] :input-exponents [0.2] :nature-exponents [0.2] :labor-exponents [0.2] :a 5 :s 1 :c 0.07 :du 3.5}",
    "{:industry 0 :product 2 :production-inputs [[1] [1] [1]] :input-exponents [0.2] :nature-exponents [0.2] :labor-exponents [0.2] :a 5 :s 1 :c 0.07 :du 3.5}",
    "{:industry 1 :product 1 :production-inputs [[] [1] [1]] :input-exponents [] :nature-exponents [0.3] :labor-exponents [0.3] :a 5 :s 1 :c 0.07 :du 3.5}",
    "{:industry 2 :product 1 :production-inputs [[1] [1] [1]] :input-exponents [0.2] :nature-exponents [0.2] :labor-exponents [0.2] :a 5 :s 1 :c 0.07 :du 3.5}",
]


def write_text(tmp_path, ccs, wcs):
    path = tmp_path / "e.clj"
    path.write_text(f"(ns t)\n(def ccs [{' '.join(ccs)}])\n(def wcs [\n{chr(10).join(wcs)}])\n")
    return path


def test_a_small_hand_written_economy_reads(tmp_path):
    economy = read_edn(write_text(tmp_path, [GOOD_CC, GOOD_CC], GOOD_WC))
    assert economy.sizes == (2, 1, 1, 1, 1)
    assert economy.wc_output_commodity.tolist() == [0, 1, 2, 5]


@pytest.mark.parametrize(
    "change,message",
    [
        (("wc", 1, ":du 3.5", ""), "worker council 2: missing key :du"),
        (("cc", 0, ":income 5000 ", ""), "consumer council 1: missing key :income"),
        (("cc", 1, "[0.1 0.2]", "[0.1 -0.2]"), "consumer council 2: utility-exponents has a negative exponent"),
        (("wc", 3, ":labor-exponents [0.2]", ":labor-exponents [-0.2]"), "worker council 4: labor-exponents must be"),
        (("wc", 0, ":input-exponents [0.2]", ":input-exponents [0.59]"), "worker council 1: .* sum to 0.99.* unbounded"),
        (("wc", 2, ":industry 1", ":industry 7"), "worker council 3: :industry must be 0, 1 or 2"),
        (("wc", 1, ":a 5", ":a -5"), "worker council 2: a must be a finite number above 0"),
        (("wc", 0, ":input-exponents [0.2]", ":input-exponents [0.2 0.1]"), "worker council 1: :input-exponents has 2 exponents for 1"),
        (("cc", 0, "[0.3]", "[0.3 0.1]"), "consumer council 2: has 2 utility-exponents and 1 public-good-exponents, consumer council 1 has 2 and 2"),
        (("wc", 3, ":industry 2", ":industry 0"), "commodity public-1: no council supplies it"),
    ],
)
def test_malformed_economies_are_refused_naming_council_and_field(tmp_path, change, message):
    ccs, wcs = [GOOD_CC, GOOD_CC], list(GOOD_WC)
    kind, index, old, new = change
    target = ccs if kind == "cc" else wcs
    assert old in target[index]
    target[index] = target[index].replace(old, new, 1)
    with pytest.raises(InputError, match=message):
        read_edn(write_text(tmp_path, ccs, wcs))


@pytest.mark.parametrize(
    "text,message",
    [
        ("(def ccs [{:income 5000]", "line 1: '\\{' opened at .* closed by"),
        ("(def ccs [])\n\n(def wcs [{:a 1}]", "line 3: '\\(' is never closed"),
        ("(def ccs [])", "no \\(def wcs"),
        ("(def ccs [{:income 5000 :a}])\n(def wcs [])", "odd number of forms"),
    ],
)
def test_broken_edn_is_refused_with_its_line(tmp_path, text, message):
    path = tmp_path / "broken.clj"
    path.write_text(text)
    with pytest.raises(InputError, match=message):
        read_edn(path)


def test_not_an_economy_file(tmp_path):
    path = tmp_path / "x.npz"
    np.savez(path, a=np.zeros(3))
    with pytest.raises(InputError, match="not a parsoc-economy/1 file"):
        read_economy(path)
    with pytest.raises(InputError, match="no such file"):
        read_economy(tmp_path / "missing.clj")
