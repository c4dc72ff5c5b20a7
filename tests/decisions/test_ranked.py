"""The interface to ranked choice and STV: ballots are checked, engines are looked up."""

from __future__ import annotations

from fractions import Fraction

import pytest

from parsoc.decisions import ranked
from parsoc.errors import InputError


def test_ranked_ballots_are_checked_before_any_engine_runs():
    with pytest.raises(InputError, match="ranked ballot 2: 'zed' is not an option"):
        ranked.tally("stv", ["a", "b"], [["a"], ["zed"]], seats=1)
    with pytest.raises(InputError, match="ranked ballot 1: an option is ranked twice"):
        ranked.tally("ranked_choice", ["a", "b"], [["a", "a"]])
    with pytest.raises(InputError, match="3 seats for 2 options"):
        ranked.tally("stv", ["a", "b"], [], seats=3)
    with pytest.raises(InputError, match="unknown method 'borda'"):
        ranked.tally("borda", ["a"], [])


def test_a_registered_engine_receives_checked_tuples():
    seen = {}

    def engine(options, ballots, seats):
        seen.update(options=options, ballots=ballots, seats=seats)
        return ranked.RankedResult(("b",), ({"a": Fraction(1), "b": Fraction(3, 2)},))

    previous = ranked._ENGINES.get("stv")
    ranked.register("stv", engine)
    try:
        result = ranked.tally("stv", ["a", "b"], [["b", "a"], ["a"]], seats=1)
    finally:
        ranked._ENGINES.pop("stv")
        if previous is not None:
            ranked._ENGINES["stv"] = previous
    assert seen == {"options": ("a", "b"), "ballots": [("b", "a"), ("a",)], "seats": 1}
    assert result.to_json() == {"elected": ["b"], "tied": False, "rounds": [{"a": "1", "b": "3/2"}]}
