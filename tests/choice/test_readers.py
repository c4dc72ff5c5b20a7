"""The PrefLib and Pabulib readers: real files read whole, malformed files refused by line."""

from __future__ import annotations

import pytest

from parsoc.choice import parse_pabulib, read_preflib, read_ranked
from parsoc.choice.preflib import read_preflib as _read
from parsoc.errors import InputError
from tests.choice.conftest import PABULIB_FILES, PREFLIB_FILES, file_id

HEADER = "# NUMBER ALTERNATIVES: 3\n# NUMBER VOTERS: 5\n"


@pytest.mark.parametrize("path", PREFLIB_FILES, ids=file_id)
def test_every_preflib_file_reads_with_its_voter_count(shared_data, path):
    profile = read_preflib(path)
    declared = next(int(line.split(":")[1]) for line in path.read_text().splitlines() if line.startswith("# NUMBER VOTERS"))
    assert profile.num_voters == declared
    assert profile.counts.min() > 0


@pytest.mark.parametrize(
    "name, body, message",
    [
        ("x.soc", HEADER + "3: 1,2,3\n2: 1,{2,3}\n", "line 4: a tie {2,3} in a strict .soc file"),
        ("x.soc", HEADER + "3: 1,2\n", "line 3: a complete .soc ranking must list all 3 alternatives"),
        ("x.soi", HEADER + "3: 1,4\n", "line 3: alternative 4 is not among 1..3"),
        ("x.soi", HEADER + "3: 1,1\n", "line 3: alternative 1 appears twice"),
        ("x.toi", HEADER + "three: 1,2\n", "line 3: the count must be an integer"),
        ("x.toi", HEADER + "-1: 1,2\n", "line 3: the count must not be negative"),
        ("x.toi", HEADER + "2 1,2\n", "line 3: expected 'count: ranking'"),
        ("x.toi", HEADER + "2: {1,2\n", "line 3: '{' without a closing '}'"),
        ("x.toi", HEADER + "2: 1,,2\n", "line 3: empty alternative"),
        ("x.toi", HEADER + "2: 1,2,\n", "line 3: ranking ends with a comma"),
        ("x.toi", "2: 1,2\n", "line 1: ranking before '# NUMBER ALTERNATIVES'"),
        ("x.toi", "# TITLE: none\n", "no '# NUMBER ALTERNATIVES' header"),
        ("x.txt", HEADER + "2: 1,2\n", "not a PrefLib ordinal file"),
    ],
)
def test_malformed_preflib_is_refused_with_the_line(name, body, message):
    with pytest.raises(InputError, match=".*" + message.replace("{", r"\{").replace("}", r"\}").replace("(", r"\(").replace(")", r"\)").replace(".", r"\.").replace("*", r"\*")):
        _read(name, body)


def test_ties_and_truncation_are_read_as_groups():
    profile = _read("x.toi", HEADER + "2: 3,{1,2}\n3: 2\n0: 1,2,3\n")
    assert profile.num_voters == 5
    ballots = dict(zip(profile.ballots, profile.counts.tolist()))
    assert ballots == {((2,), (0, 1)): 2, ((1,),): 3}


PB = """META
key;value
budget;100
vote_type;{kind}
PROJECTS
project_id;cost;name
a;60;Park
b;50;Bench
VOTES
voter_id;vote{points_col}
1;{vote}
"""


def _pb(kind="approval", vote="a,b", points=None):
    return PB.format(kind=kind, vote=vote + (f";{points}" if points is not None else ""),
                     points_col=";points" if points is not None else "")


@pytest.mark.parametrize(
    "text, message",
    [
        (_pb(vote="a,c"), "line 11: voter 1 votes for unknown project c"),
        (_pb(kind="cumulative", vote="a,b", points="3"), "line 11: voter 1 has 2 projects but 1 points"),
        (_pb(kind="cumulative", vote="a", points="x"), "line 11: points must be a number"),
        (_pb(kind="score"), "vote_type 'score' is not one of"),
        (_pb().replace("a;60;Park", "a;sixty;Park"), "line 7: the cost of project a must be a number"),
        (_pb().replace("a;60;Park", "a;-5;Park"), "line 7: the cost of project a must not be negative"),
        (_pb().replace("b;50;Bench", "a;50;Bench"), "line 8: project a is listed twice"),
        (_pb().replace("budget;100\n", ""), "META has no budget"),
        (_pb().replace("project_id;cost;name", "project_id;name"), "line 6: the PROJECTS header lacks column"),
        (_pb().replace("1;a,b", "1;a,b;extra;more"), "line 11: 4 fields but the VOTES header has 2"),
        ("key;value\n", "line 1: data before the META section"),
    ],
)
def test_malformed_pabulib_is_refused_with_the_line(text, message):
    with pytest.raises(InputError) as caught:
        parse_pabulib(text, "x.pb")
    assert message in str(caught.value)


def test_cumulative_points_and_duplicates_are_read():
    election = parse_pabulib(_pb(kind="cumulative", vote="b,a,b", points="1,2,3"))
    assert election.ballots == ((1, 0),)
    assert election.points == ((4.0, 2.0),)


@pytest.mark.parametrize("path", PABULIB_FILES, ids=file_id)
def test_every_pb_file_reads_as_ranked_ballots(shared_data, path):
    profile = read_ranked(path)
    assert profile.num_alternatives >= 1
    assert profile.num_voters > 0
