"""Every single-winner method and STV against pref_voting on every PrefLib file in tests/data (copied from ../shared/data).

pref_voting reads the same file itself (its own reader), with extended strict preference
(unranked alternatives below ranked ones), and its winner sets must equal ours exactly.
Plurality with tied first places is compared with pref_voting's plurality scores ignoring
overvotes (its ``plurality`` refuses such profiles).
"""

from __future__ import annotations

import pytest

from parsoc.choice import read_preflib, tally
from tests.choice.conftest import PREFLIB_FILES, file_id

pref_voting = pytest.importorskip("pref_voting")
from pref_voting.c1_methods import copeland  # noqa: E402
from pref_voting.io.readers import preflib_to_profile  # noqa: E402
from pref_voting.iterative_methods import instant_runoff  # noqa: E402
from pref_voting.margin_based_methods import beat_path, minimax, ranked_pairs  # noqa: E402
from pref_voting.proportional_methods import stv_wig  # noqa: E402

REFERENCE = {
    "irv": instant_runoff,
    "copeland": copeland,
    "minimax": minimax,
    "schulze": beat_path,
    "ranked-pairs": ranked_pairs,
}


def _reference_profile(path):
    profile = preflib_to_profile(str(path))
    profile.use_extended_strict_preference()
    return profile


def _best(scores: dict) -> list[str]:
    top = max(scores.values())
    return sorted(str(c) for c, s in scores.items() if s == top)


def test_the_data_is_there(shared_data):
    assert len(PREFLIB_FILES) >= 40


@pytest.mark.parametrize("path", PREFLIB_FILES, ids=file_id)
def test_single_winner_methods_match_pref_voting(shared_data, path):
    ours = read_preflib(path)
    ref = _reference_profile(path)
    assert ours.num_voters == ref.num_voters
    expected = {name: sorted(str(c) for c in method(ref)) for name, method in REFERENCE.items()}
    expected["plurality"] = _best(ref.plurality_scores_ignoring_overvotes())
    expected["borda"] = _best(ref.borda_scores())
    for method, winners in expected.items():
        outcome = tally(ours, method)
        assert sorted(outcome.winners) == winners, method
        assert outcome.tied == (len(winners) > 1)


@pytest.mark.parametrize("path", PREFLIB_FILES, ids=file_id)
def test_stv_matches_pref_voting_wig_droop(shared_data, path):
    ours = read_preflib(path)
    ref = preflib_to_profile(str(path))
    for seats in range(1, min(4, ours.num_alternatives)):
        expected = sorted(str(c) for c in stv_wig(ref, num_seats=seats, quota_rule="droop"))
        outcome = tally(ours, "stv", seats)
        assert sorted(outcome.winners) == expected, seats
        assert len(outcome.winners) == seats


def test_margins_match_pref_voting(shared_data):
    from parsoc.choice.pairwise import margin_matrix

    for path in PREFLIB_FILES:
        ours = margin_matrix(read_preflib(path))
        ref = _reference_profile(path)
        cands = ref.candidates
        expected = [[ref.margin(a, b) for b in cands] for a in cands]
        assert ours.tolist() == expected, path.name
