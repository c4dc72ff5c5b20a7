"""Attacks on the decision record: a consistent rewrite of a council's whole record, and
malformed exports handed to ``parsoc decide verify``.

A forger with write access to the database can rewrite a council's record from its first event
with fresh hashes and outcomes recomputed from the forged stances: it verifies on its own. It
must be caught against the head announced at the close (``--head``) and against the heads its
parent council's record witnessed (``--witness``). Anything ``verify`` cannot read must answer
exit 2 with one line, never a traceback, and never "tampered" (exit 1).
"""

from __future__ import annotations

import copy
import io
import json
import re
import subprocess
import sys
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsoc.decisions.record import Recorder, verify
from tests.decisions.logs import occupy_log

HEAD = re.compile(r"\b[0-9a-f]{64}\b")


# ---- helpers ---------------------------------------------------------------------------------

def cli(*args: str) -> tuple[int, str, str]:
    """``parsoc decide ARGS`` in this process, as the console script runs it: exit status,
    stdout, stderr. An exception escaping it fails the test (that would be a traceback)."""
    from parsoc.cli import main

    out, err, argv = io.StringIO(), io.StringIO(), sys.argv
    sys.argv = ["parsoc", "decide", *args]
    try:
        with redirect_stdout(out), redirect_stderr(err):
            main.run()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = argv
    return code, out.getvalue(), err.getvalue()


def cli_process(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "parsoc.cli.main", "decide", *args],
                          capture_output=True, text=True, timeout=120)


def forge(document: dict, change) -> dict:
    """The record rewritten from its first event, as a forger with database access would:
    ``change(event, data)`` alters an event's data, every event goes through a Recorder (so
    the process holds), every outcome and poll result is recomputed, every hash is fresh."""
    r = Recorder(document["council"])
    for e in document["events"]:
        data = copy.deepcopy(e["data"])
        change(e, data)
        if e["kind"] == "outcome":
            data["result"] = r.ledger.outcome(e["decision"])
        elif e["kind"] == "poll_result":
            data["result"] = r.ledger.poll_result(e["decision"])
        r.append(e["decision"], e["kind"], data, e["at"])
    return r.export()


def write(tmp: Path, name: str, document) -> str:
    path = tmp / name
    if isinstance(document, bytes):
        path.write_bytes(document)
    else:
        path.write_text(json.dumps(document))
    return str(path)


def api(client, url, data=None):
    response = client.post(url, data=json.dumps(data or {}), content_type="application/json")
    assert response.status_code in (200, 201), (url, response.status_code, response.content[:300])
    return response.json()


# ---- the record through the real HTTP interface ----------------------------------------------

@pytest.fixture
def closed_in_group(council_world, client_as, django_capture_on_commit_callbacks):
    """In the quiet group (nested in the chapter): a simple-majority proposal that both members
    agree to, closed by the facilitator through the API. Returns the world, the clients, the
    proposal's id and the mail captured before and after the commit."""
    w = council_world
    fac, member = client_as(w.facilitator), client_as(w.member)
    p = api(fac, "/api/decisions/councils/quiet-group/proposals", {"title": "Buy a kettle", "body": "A big one."})
    api(fac, f"/api/decisions/proposals/{p['id']}/stage", {"to": "discussion"})
    api(fac, f"/api/decisions/proposals/{p['id']}/open", {"rule": "simple_majority"})
    api(fac, f"/api/decisions/proposals/{p['id']}/stances", {"kind": "yes"})
    api(member, f"/api/decisions/proposals/{p['id']}/stances", {"kind": "yes"})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        api(fac, f"/api/decisions/proposals/{p['id']}/close", {"statement": "Kettle it is."})
        mail_before_commit = [m.subject for m in mail.outbox if "with head" in m.body]
    return w, fac, member, p["id"], mail_before_commit, callbacks


def export(client, slug: str) -> dict:
    response = client.get(reverse("decisions:log", args=[slug]))
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.mark.commit_callbacks_by_hand
def test_a_close_announces_the_head_to_members_and_the_pages_show_it(closed_in_group, client_as):
    w, fac, member, pk, mail_before_commit, callbacks = closed_in_group
    group = export(member, "quiet-group")
    head = group["head"]
    assert verify(group).ok and group["events"][-1]["kind"] == "outcome"

    inbox = member.get(reverse("notifications:inbox")).content.decode()
    assert "Decision closed: Buy a kettle — passed" in inbox and head in inbox
    page = member.get(reverse("councils:detail", args=["quiet-group"])).content.decode()
    assert head in page and f"Ends at event {len(group['events'])}" in page
    assert head in member.get(reverse("decisions:index", args=["quiet-group"])).content.decode()
    # nobody outside a members-only council sees its head
    outsider = client_as(w.outsider)
    assert outsider.get(reverse("councils:detail", args=["quiet-group"])).status_code == 404
    assert outsider.get(reverse("decisions:log", args=["quiet-group"])).status_code == 404

    # the email goes out with the head, and only once the close has committed
    assert mail_before_commit == []
    sent = [m for m in mail.outbox if head in m.body]
    assert sorted(m.to[0] for m in sent) == sorted([w.facilitator.email, w.member.email])
    assert "Buy a kettle" in sent[0].subject and "\n" not in sent[0].subject


def test_the_parent_record_witnesses_the_childs_head_and_still_verifies(closed_in_group):
    w, fac, member, pk, *_ = closed_in_group
    group, chapter = export(fac, "quiet-group"), export(fac, "test-chapter")
    witness = [e for e in chapter["events"] if e["kind"] == "witness"]
    assert [e["data"] for e in witness] == [{"council": "quiet-group", "seq": len(group["events"]),
                                              "head": group["head"], "closed": str(pk)}]
    assert verify(chapter).ok


def test_a_consistent_rewrite_of_the_child_verifies_alone_but_not_against_head_or_parent(closed_in_group,
                                                                                          tmp_path):
    w, fac, member, pk, *_ = closed_in_group
    group, chapter = export(fac, "quiet-group"), export(fac, "test-chapter")
    published = HEAD.search(member.get(reverse("notifications:inbox")).content.decode()).group(0)
    assert published == group["head"]

    def turn_member_against(event, data):  # the member said no; the statement follows suit
        if event["kind"] == "stance" and data["member"] == str(w.member.pk):
            data["kind"] = "no"
        if event["kind"] == "outcome":
            data["statement"] = "No kettle."

    forged = forge(group, turn_member_against)
    assert verify(forged).ok and forged["events"][-1]["data"]["result"]["status"] != "passed"
    real, fake, parent = (write(tmp_path, n, d) for n, d in
                          (("group.json", group), ("forged.json", forged), ("chapter.json", chapter)))

    assert cli("verify", fake)[0] == 0  # alone, the rewrite holds
    assert cli("verify", real, "--head", published)[0] == 0
    assert cli("verify", real, "--witness", parent)[0] == 0

    code, out, err = cli("verify", fake, "--head", published)
    assert code == 1 and "is not in this chain" in err and "Traceback" not in err
    code, out, err = cli("verify", fake, "--witness", parent)
    assert code == 1 and f"witnessed event {len(group['events'])} of 'quiet-group'" in err and "(rewritten)" in err

    # cutting the closed decision off the end is caught too
    cut = forge({**group, "events": group["events"][:-2]}, lambda e, d: None)
    code, _, err = cli("verify", write(tmp_path, "cut.json", cut), "--witness", parent)
    assert code == 1 and "(cut short)" in err
    # renaming the council in the rewrite does not escape the witness
    renamed = forge({**group, "council": "other-group",
                     "events": [{**e, "council": "other-group"} for e in group["events"]]}, lambda e, d: None)
    code, _, err = cli("verify", write(tmp_path, "renamed.json", renamed), "--witness", parent)
    assert code == 1 and "witnessed no head of council 'other-group'" in err

    # as real processes, with the words a person reads
    run = cli_process("verify", fake, "--head", published)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    run = cli_process("verify", fake, "--witness", parent)
    assert run.returncode == 1 and "TAMPERED" in run.stderr
    run = cli_process("verify", real, "--head", published, "--witness", parent)
    assert run.returncode == 0, run.stderr
    assert "matches the last event" in run.stdout and "witnessed by 'test-chapter'" in run.stdout


def test_an_earlier_head_is_accepted_and_said_to_cover_only_its_part(closed_in_group, client_as, tmp_path):
    w, fac, member, pk, *_ = closed_in_group
    first_head = export(fac, "quiet-group")["head"]
    poll = api(fac, "/api/decisions/councils/quiet-group/polls",
               {"title": "Which day?", "kind": "approval", "options": ["mon", "sat"]})
    api(fac, f"/api/decisions/polls/{poll['id']}/open")
    api(member, f"/api/decisions/polls/{poll['id']}/votes", {"ballot": ["sat"]})
    api(fac, f"/api/decisions/polls/{poll['id']}/close")
    group = export(fac, "quiet-group")
    assert group["head"] != first_head
    inbox = member.get(reverse("notifications:inbox")).content.decode()
    assert "Poll closed: Which day? — first: sat" in inbox and group["head"] in inbox

    path = write(tmp_path, "group.json", group)
    code, out, err = cli("verify", path, "--head", first_head)
    assert code == 0 and "an earlier point of this chain" in out and "later event(s) are not covered" in out
    chapter = export(fac, "test-chapter")
    assert [e["data"]["closed"] for e in chapter["events"] if e["kind"] == "witness"] == \
        [str(pk), f"poll-{poll['id']}"]
    code, out, err = cli("verify", path, "--witness", write(tmp_path, "chapter.json", chapter))
    assert code == 0 and "2 head(s) witnessed" in out
    code, _, err = cli("verify", path, "--head", "not a head")
    assert code == 2 and err.count("\n") == 1 and "64 hexadecimal digits" in err


def test_a_close_by_tick_announces_and_witnesses_too(council_world, client_as):
    from django.utils import timezone

    from parsoc.web.councils.models import Announcement
    from parsoc.web.decisions.services import tick

    fac = client_as(council_world.facilitator)
    p = api(fac, "/api/decisions/councils/quiet-group/proposals", {"title": "Paint the door", "body": "Blue."})
    api(fac, f"/api/decisions/proposals/{p['id']}/stage", {"to": "discussion"})
    closes = (timezone.now() + timedelta(minutes=5)).isoformat()
    api(fac, f"/api/decisions/proposals/{p['id']}/open", {"rule": "consent", "closes_at": closes})
    from parsoc.web.decisions.models import Proposal

    Proposal.objects.filter(pk=p["id"]).update(closes_at=timezone.now() - timedelta(seconds=1))  # time passes
    assert tick()["closed"] == 1
    group = export(fac, "quiet-group")
    note = Announcement.objects.get(council=council_world.group)
    assert note.author is None and group["head"] in note.body and "Paint the door" in note.title
    chapter = export(fac, "test-chapter")
    assert chapter["events"][-1]["data"]["head"] == group["head"] and verify(chapter).ok


def test_a_council_without_parent_announces_without_witness(council_world, client_as):
    fac = client_as(council_world.facilitator)
    p = api(fac, "/api/decisions/councils/test-chapter/proposals", {"title": "Open on Sundays", "body": "Yes."})
    api(fac, f"/api/decisions/proposals/{p['id']}/stage", {"to": "discussion"})
    api(fac, f"/api/decisions/proposals/{p['id']}/open", {"rule": "consent"})
    response = fac.post(reverse("decisions:close", args=["test-chapter", p["id"]]), {"statement": "Agreed."})
    assert response.status_code in (200, 302)
    chapter = export(fac, "test-chapter")
    page = fac.get(reverse("councils:detail", args=["test-chapter"])).content.decode()
    assert "Decision closed: Open on Sundays" in page and chapter["head"] in page
    assert not any(e["kind"] == "witness" for e in chapter["events"])


@pytest.mark.commit_callbacks_by_hand
def test_a_failing_mail_server_does_not_undo_or_break_the_close(council_world, client_as, settings,
                                                                django_capture_on_commit_callbacks):
    from parsoc.web.councils.models import Announcement

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2  # nothing listens
    fac = client_as(council_world.facilitator)
    p = api(fac, "/api/decisions/councils/quiet-group/proposals", {"title": "Fix the roof", "body": "Now."})
    api(fac, f"/api/decisions/proposals/{p['id']}/stage", {"to": "discussion"})
    api(fac, f"/api/decisions/proposals/{p['id']}/open", {"rule": "consent"})
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        closed = api(fac, f"/api/decisions/proposals/{p['id']}/close")
    assert closed["stage"] == "closed" and len(callbacks) >= 1
    assert Announcement.objects.filter(council=council_world.group, title__startswith="Decision closed").exists()


# ---- witness events in the record itself -----------------------------------------------------

def test_a_witness_going_back_along_a_chain_or_malformed_is_refused():
    from parsoc.decisions.anchors import witness_data
    from parsoc.decisions.record import Head
    from parsoc.errors import InputError

    r = Recorder("parent")
    r.append(None, "witness", witness_data("child", Head(4, "a" * 64), "1"), "t")
    r.append(None, "witness", witness_data("child", Head(4, "a" * 64), "poll-1"), "t")  # nothing new logged
    with pytest.raises(InputError, match="a chain only grows"):
        r.append(None, "witness", witness_data("child", Head(3, "b" * 64), "2"), "t")
    with pytest.raises(InputError, match="not a head"):
        r.append(None, "witness", {"council": "child", "seq": 9, "head": "xyz", "closed": None}, "t")
    with pytest.raises(InputError, match="no nested council"):
        r.append(None, "witness", witness_data("parent", Head(9, "c" * 64), "3"), "t")
    assert verify(r.export()).ok


# ---- malformed exports -----------------------------------------------------------------------

LOG = occupy_log().export()
TEXT = json.dumps(LOG, separators=(",", ":"), ensure_ascii=False)

UNREADABLE = {
    "not JSON": (b"{oops", "not JSON"),
    "not UTF-8": (b"\xff\xfe" + TEXT.encode("utf-16-le"), "not UTF-8"),
    "truncated": (TEXT.encode()[: len(TEXT) // 2], "not JSON"),
    "deeply nested": (b"[" * 200_000 + b"]" * 200_000, "nested too deeply"),
    "nested under the limit of the parser": (
        TEXT.replace('"say":null', '"say":' + '{"a":' * 80 + "1" + "}" * 80, 1).encode(), "nested too deeply"),
    "huge integer": (TEXT.replace('"seq":1,', '"seq":' + "9" * 5000 + ",", 1).encode(), "5000 digits"),
    "integer beyond the limit of the format": (TEXT.replace('"seq":1,', '"seq":' + "9" * 30 + ",", 1).encode(),
                                               "30 digits"),
    "float infinity": (TEXT.replace('"seq":1,', '"seq":1e99999,', 1).encode(), "exponent"),
    "NaN": (TEXT.replace('"seq":1,', '"seq":NaN,', 1).encode(), "NaN"),
    "a key twice": (TEXT.replace('"seq":1,', '"seq":1,"seq":1,', 1).encode(), "appears twice"),
    "lone surrogate": (TEXT.replace('"council":"assembly"', '"council":"\\ud800"', 1).encode(), "not valid Unicode"),
    "events not a list": (json.dumps({**LOG, "events": {"1": 2}}).encode(), "\"events\" is an object"),
    "event missing a field": (json.dumps({**LOG, "events": [{k: v for k, v in LOG["events"][0].items()
                                                             if k != "prev"}]}).encode(), "missing prev"),
    "seq a string": (json.dumps({**LOG, "events": [{**LOG["events"][0], "seq": "1"}]}).encode(),
                     "\"seq\" is a string"),
    "data a list": (json.dumps({**LOG, "events": [{**LOG["events"][0], "data": []}]}).encode(), "\"data\" is a list"),
    "members not strings": (TEXT.replace('"members":["m00"', '"members":[{"x":1}', 1).encode(), "\"members\" item 1"),
    "head missing": (json.dumps({k: v for k, v in LOG.items() if k != "head"}).encode(), "\"head\" is missing"),
    "version true": (json.dumps({**LOG, "version": True}).encode(), "version"),
    "a list": (b"[]", "not a decision log"),
}


@pytest.mark.parametrize("case", list(UNREADABLE))
def test_an_unreadable_export_answers_exit_2_with_one_line(case, tmp_path):
    raw, words = UNREADABLE[case]
    code, out, err = cli("verify", write(tmp_path, "log.json", raw))
    assert (code, out) == (2, ""), err
    assert err.count("\n") == 1 and err.startswith("parsoc: error: ") and words in err, err


def test_missing_files_and_directories_answer_exit_2(tmp_path):
    for path, words in ((tmp_path / "missing.json", "No such file"), (tmp_path, "is a directory")):
        code, out, err = cli("verify", str(path))
        assert code == 2 and err.count("\n") == 1 and words in err
    good = write(tmp_path, "good.json", LOG)
    code, _, err = cli("verify", good, "--witness", str(tmp_path / "nothing.json"))
    assert code == 2 and "nothing.json: cannot read" in err


@pytest.mark.parametrize("case", ["not UTF-8", "deeply nested", "huge integer", "float infinity", "truncated"])
def test_unreadable_exports_as_a_real_process(case, tmp_path):
    run = cli_process("verify", write(tmp_path, "log.json", UNREADABLE[case][0]))
    assert run.returncode == 2 and "Traceback" not in run.stderr and run.stderr.count("\n") == 1, run.stderr


def test_a_readable_but_forged_event_is_tampered_not_a_crash(tmp_path):
    """Types right, content absurd, hashes fresh: the replay reports it (exit 1), one problem
    per line, with the forger's line breaks and terminal escapes shown escaped."""
    def absurd(event, data):
        if event["kind"] == "opened" and event["decision"] == "d1":
            data["rule"] = {"kind": "\x1b[31mmajority\nof one"}
    events = copy.deepcopy(LOG["events"])
    from parsoc.decisions.record import chain, export
    rebuilt, last = [], None
    for e in events:
        absurd(e, e["data"])
        last = chain(last, e["council"], e["decision"], e["kind"], e["at"], e["data"])
        rebuilt.append(last)
    code, out, err = cli("verify", write(tmp_path, "log.json", export("assembly", rebuilt)))
    assert code == 1 and "\x1b" not in err and "TAMPERED" in err
    assert all(line.startswith(("/", "TAMPERED")) for line in err.splitlines())


# the fuzz: any mutation of an export answers 0, 1 or 2, never a traceback

HOSTILE = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=10**18, max_value=10**60),
    st.floats(allow_nan=False), st.text(max_size=20),
    st.sampled_from(["\ud800", "\x00", "\x1b[2J", "1e999999", "9" * 5000, "é" * 3, "0" * 64]),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.recursive(st.integers(), lambda inner: st.lists(inner, max_size=1), max_leaves=80),
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, prefix + (i,))


PATHS = [p for p in _paths(LOG) if p]


@st.composite
def mutated_exports(draw) -> bytes:
    how = draw(st.sampled_from(["replace", "delete", "bytes", "truncate", "insert"]))
    if how in ("replace", "delete"):
        doc = copy.deepcopy(LOG)
        path = draw(st.sampled_from(PATHS))
        target = doc
        for key in path[:-1]:
            target = target[key]
        if how == "delete":
            del target[path[-1]]
        else:
            target[path[-1]] = draw(HOSTILE)
        return json.dumps(doc, allow_nan=True).encode("utf-8", "surrogatepass")
    raw = bytearray(TEXT.encode())
    at = draw(st.integers(0, len(raw) - 1))
    if how == "truncate":
        return bytes(raw[:at])
    if how == "insert":
        return bytes(raw[:at] + draw(st.binary(min_size=1, max_size=8)) + raw[at:])
    raw[at] = draw(st.integers(0, 255))
    return bytes(raw)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_exports())
def test_any_mutation_of_an_export_answers_0_1_or_2_never_a_traceback(raw):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "log.json"
        path.write_bytes(raw)
        code, out, err = cli("verify", str(path))
    assert code in (0, 1, 2)
    assert "Traceback" not in err
    if code == 2:
        assert err.count("\n") == 1 and out == ""
    if code == 0:
        assert verify(json.loads(raw)).ok
