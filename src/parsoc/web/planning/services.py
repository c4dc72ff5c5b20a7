"""What federations and councils do in a planning year, for the pages, the API and the CLI.

The arithmetic is the engine's: a round's totals come from :class:`parsoc.planning.councils.
CouncilBlock` (councils answering from their functions) plus the quantities councils typed, and
its new prices from the chosen rule of :mod:`parsoc.planning.board`, so a year exported with
:func:`export_economy` and run by ``parsoc plan run`` gives the same prices round by round.

A round close reads every participant in one query (tuples, not model objects), totals with
NumPy and writes two rows; see ``bench/planning_web.py`` for its cost at 10,000+ councils.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from parsoc.councils.kinds import CouncilKind, JoinPolicy
from parsoc.errors import InputError
from parsoc.numbers import parse_float, parse_int
from parsoc.planning.board import colour, imbalance, rule_named
from parsoc.planning.councils import CouncilBlock
from parsoc.planning.economy import CATEGORIES, DEFAULT_ENDOWMENT, Economy, make_economy
from parsoc.planning.procedure import STARTING_PRICE
from parsoc.web.councils.models import Council
from parsoc.web.councils.services import require
from parsoc.web.planning.models import (
    Good,
    Participant,
    PersonalRequest,
    PlanningYear,
    PlanProposal,
    Round,
    pack,
    unpack,
)

PARTICIPANT_KINDS = {CouncilKind.WORKER_COUNCIL.value: "wc", CouncilKind.CONSUMER_COUNCIL.value: "cc"}
QUANTITY_MAX = 1e15
#: What each kind of council may put in its proposal: (supplies, demands), as category numbers.
SUPPLY_CATEGORIES = {"wc": (0, 1, 4), "cc": ()}
DEMAND_CATEGORIES = {"wc": (1, 2, 3), "cc": (0, 4)}
BATCH = 2000


class FieldErrors(InputError):
    """Wrong input, field by field (``fields``: field name → message); nothing was written."""

    def __init__(self, fields: dict[str, str]):
        self.fields = fields
        super().__init__("; ".join(f"{k}: {v}" if not v.startswith(k) else v for k, v in fields.items()))


# --- the catalogue -------------------------------------------------------------------------


def _category(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 5:
        return value
    if isinstance(value, str) and value in CATEGORIES:
        return CATEGORIES.index(value)
    raise InputError(f"category: {value!r} is not one of {', '.join(CATEGORIES)}")


def sizes_of(year: PlanningYear) -> tuple[int, int, int, int, int]:
    counts = [0] * 5
    for category in year.goods.values_list("category", flat=True):
        counts[category] += 1
    return (counts[0], counts[1], counts[2], counts[3], counts[4])


def catalogue(year: PlanningYear) -> list[Good]:
    """The goods in the engine's commodity order."""
    return list(year.goods.order_by("category", "position"))


def endowment_of(goods: list[Good]) -> np.ndarray:
    return np.array([g.endowment for g in goods if g.category in (2, 3)], dtype=np.float64)


def goods_of_economy(economy: Economy) -> list[dict[str, Any]]:
    """A catalogue for an economy file: the engine's names (``private-1`` ...), one unit each."""
    names = economy.commodity_names()
    out, nat_lab = [], iter(economy.endowment.tolist())
    for index, name in enumerate(names):
        category = CATEGORIES.index(name.rsplit("-", 1)[0])
        out.append({"category": category, "name": name, "unit": "unit",
                    "endowment": next(nat_lab) if category in (2, 3) else None})
        del index
    return out


# --- participants --------------------------------------------------------------------------


def member_councils(federation: Council) -> list[tuple[int, str]]:
    """(id, kind) of every worker and consumer council at any depth below ``federation``."""
    seen, frontier, out = {federation.pk}, [federation.pk], []
    while frontier:
        found: list[tuple[int, str]] = []
        for start in range(0, len(frontier), BATCH):
            part = frontier[start:start + BATCH]
            found.extend(Council.objects.filter(parent_id__in=part).values_list("pk", "kind"))
        frontier = []
        for pk, kind in sorted(found):
            if pk in seen:
                continue
            seen.add(pk)
            frontier.append(pk)
            if kind in PARTICIPANT_KINDS:
                out.append((pk, PARTICIPANT_KINDS[kind]))
    return out


def sync_participants(year: PlanningYear) -> int:
    """Add the worker and consumer councils below the federation that do not take part yet."""
    have = set(year.participants.values_list("council_id", flat=True))
    nxt = {k: (year.participants.filter(kind=k).order_by("-position").values_list("position", flat=True).first()
               or -1) + 1 if year.participants.filter(kind=k).exists() else 0 for k in ("wc", "cc")}
    new = []
    for pk, kind in member_councils(year.federation):
        if pk not in have:
            new.append(Participant(year=year, council_id=pk, kind=kind, position=nxt[kind]))
            nxt[kind] += 1
    Participant.objects.bulk_create(new, batch_size=BATCH)
    return len(new)


# --- opening a year ------------------------------------------------------------------------


def open_year(user, federation: Council, *, title: str, goods: Iterable[Mapping[str, Any]], rule: str = "hahnel2021",
              threshold_pct: Any = 3.0, round_days: Any = 7, income_per_person: Any = 5000.0,
              now: datetime | None = None) -> PlanningYear:
    """Open a planning year in ``federation`` (a council with member councils)."""
    if user is not None:
        require(user, "planning.open_year", federation, "only the federation's facilitators open a planning year")
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title or len(title) > 200 or "\n" in title:
        errors["title"] = "title: one line of 1 to 200 characters"
    try:
        board_rule = rule_named(rule)
    except InputError:
        errors["rule"] = f"rule: {rule!r} is not hahnel2021 or broyden"
        board_rule = None
    values: dict[str, Any] = {}
    for field, raw, low, high in (("threshold_pct", threshold_pct, 0.001, 100.0),
                                  ("income_per_person", income_per_person, 0.01, 1e12)):
        try:
            values[field] = parse_float(raw, field, low=low, high=high)
        except InputError as error:
            errors[field] = str(error)
    try:
        values["round_days"] = parse_int(round_days, "round_days", low=1, high=365)
    except InputError as error:
        errors["round_days"] = str(error)
    rows: list[Good] = []
    counts = [0] * 5
    names: set[str] = set()
    for i, good in enumerate(goods):
        try:
            category = _category(good.get("category"))
            name = str(good.get("name") or "").strip()
            if not name or len(name) > 80 or "\n" in name:
                raise InputError("a good's name is one line of 1 to 80 characters")
            if name in names:
                raise InputError(f"two goods are named {name!r}")
            names.add(name)
            unit = str(good.get("unit") or "").strip()[:40]
            endowment = None
            if category in (2, 3):
                endowment = parse_float(good.get("endowment") if good.get("endowment") is not None else DEFAULT_ENDOWMENT,
                                        f"endowment of {name}", low=1e-9, high=QUANTITY_MAX)
            rows.append(Good(category=category, position=counts[category], name=name, unit=unit, endowment=endowment))
            counts[category] += 1
        except InputError as error:
            errors[f"goods[{i}]"] = str(error)
    if not rows and "goods" not in errors:
        errors["goods"] = "goods: the catalogue needs at least one good"
    if not Council.objects.filter(parent=federation).exists():
        errors["federation"] = "federation: this council has no member councils to plan with"
    if errors:
        raise FieldErrors(errors)
    assert board_rule is not None
    n = len(rows)
    with transaction.atomic():
        year = PlanningYear.objects.create(
            federation=federation, title=title, rule=rule, created_by=user if user and user.is_authenticated else None,
            board_state=pack(board_rule.initial_state(n)), **values)
        for g in rows:
            g.year = year
        Good.objects.bulk_create(rows)
        now = now or timezone.now()
        Round.objects.create(year=year, number=1, prices=pack(np.full(n, STARTING_PRICE)), opened_at=now,
                             deadline=now + timedelta(days=year.round_days))
        sync_participants(year)
    return year


# --- function parameters -------------------------------------------------------------------


def _offsets(sizes) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)


def _index_by_name(year: PlanningYear) -> dict[str, tuple[int, int]]:
    """Good name → (global commodity number, category)."""
    goods = catalogue(year)
    off = _offsets(sizes_of(year))
    return {g.name: (int(off[g.category]) + g.position, g.category) for g in goods}


def _wc_params(output: int, a: float, s: float, c: float, k: float, inputs: list[tuple[int, float]]) -> bytes:
    flat = [float(output), a, s, c, k]
    for commodity, exponent in inputs:
        flat += [float(commodity), exponent]
    return pack(flat)


def check_worker_function(params: Mapping[str, Any], goods: dict[str, tuple[int, int]]) -> bytes:
    """A worker council's production function (the engine's model), checked like an economy file."""
    errors: dict[str, str] = {}
    output = str(params.get("output") or "")
    if output not in goods or goods[output][1] not in (0, 1, 4):
        errors["output"] = "output: name a private, intermediate or public good of the catalogue"
    numbers = {}
    for key in ("a", "s", "c", "k"):
        try:
            numbers[key] = parse_float(params.get(key), key, low=1e-12, high=1e12)
        except InputError as error:
            errors[key] = str(error)
    inputs: list[tuple[int, float]] = []
    raw_inputs = params.get("inputs") or {}
    if not raw_inputs:
        errors["inputs"] = "inputs: name at least one input and its exponent"
    for name, value in dict(raw_inputs).items():
        if name not in goods or goods[name][1] not in (1, 2, 3):
            errors[f"input {name}"] = f"input {name}: not an intermediate good, natural resource or labour type of the catalogue"
            continue
        try:
            inputs.append((goods[name][0], parse_float(value, f"exponent of {name}", low=1e-12, high=1.0)))
        except InputError as error:
            errors[f"input {name}"] = str(error)
    if not errors:
        big_b = sum(e for _, e in inputs)
        if numbers["k"] * (1.0 - big_b) - numbers["c"] <= 0:
            errors["inputs"] = (f"inputs: the exponents sum to {big_b:.6g}, at least 1 - c/k = "
                                f"{1 - numbers['c'] / numbers['k']:.6g}: the council's problem is unbounded")
    if errors:
        raise FieldErrors(errors)
    return _wc_params(goods[output][0], numbers["a"], numbers["s"], numbers["c"], numbers["k"], sorted(inputs))


def check_consumer_function(params: Mapping[str, Any], goods: dict[str, tuple[int, int]], sizes) -> bytes:
    """A consumer council's Cobb-Douglas utility: income and exponents over private and public goods."""
    errors: dict[str, str] = {}
    income = 0.0
    try:
        income = parse_float(params.get("income"), "income", low=0.01, high=1e12)
    except InputError as error:
        errors["income"] = str(error)
    off = _offsets(sizes)
    private = np.zeros(sizes[0])
    public = np.zeros(sizes[4])
    for name, value in dict(params.get("exponents") or {}).items():
        if name not in goods or goods[name][1] not in (0, 4):
            errors[f"exponent {name}"] = f"exponent {name}: not a private or public good of the catalogue"
            continue
        try:
            number = parse_float(value, f"exponent of {name}", low=0.0, high=1e6)
        except InputError as error:
            errors[f"exponent {name}"] = str(error)
            continue
        commodity, category = goods[name]
        if category == 0:
            private[commodity] = number
        else:
            public[commodity - int(off[4])] = number
    if not errors and private.sum() + public.sum() <= 0:
        errors["exponents"] = "exponents: at least one must be above 0"
    if errors:
        raise FieldErrors(errors)
    return pack(np.concatenate([[income], private, public]))


def set_function(user, participant: Participant, params: Mapping[str, Any], *, answers: bool = True) -> Participant:
    """Store a council's function parameters; with ``answers`` it answers from them from now on."""
    if user is not None:
        require(user, "planning.set_function", participant, "only this council's facilitators state its function")
    year = participant.year
    goods = _index_by_name(year)
    if participant.kind == "wc":
        packed = check_worker_function(params, goods)
    else:
        packed = check_consumer_function(params, goods, sizes_of(year))
    participant.params = packed
    if answers:
        participant.answers = Participant.Answers.FUNCTION
    participant.save(update_fields=["params", "answers"])
    return participant


def function_of(participant: Participant) -> dict[str, Any] | None:
    """The stored parameters, by good name, for a page or the API."""
    params = unpack(participant.params)
    if params.size == 0:
        return None
    names = [g.name for g in catalogue(participant.year)]
    if participant.kind == "wc":
        pairs = params[5:].reshape(-1, 2)
        return {"output": names[int(params[0])], "a": params[1], "s": params[2], "c": params[3], "k": params[4],
                "inputs": {names[int(c)]: e for c, e in pairs}}
    sizes = sizes_of(participant.year)
    off = _offsets(sizes)
    exps = params[1:]
    chosen = list(range(sizes[0])) + list(range(int(off[4]), int(off[5])))
    return {"income": params[0], "exponents": {names[c]: e for c, e in zip(chosen, exps, strict=True) if e > 0}}


# --- the economy of the councils' functions ------------------------------------------------


def _economy(sizes, endowment: np.ndarray, wc_rows: list[Any], cc_rows: list[Any]) -> Economy:
    """An :class:`Economy` of the given function parameters, in the given order (not checked:
    each council was checked when its parameters were stored; use :func:`export_economy` for
    the checked whole)."""
    n_priv, n_pub = sizes[0], sizes[4]
    cc = np.array([np.frombuffer(bytes(r), dtype=np.float64) for r in cc_rows]).reshape(len(cc_rows), 1 + n_priv + n_pub)
    wcs = [np.frombuffer(bytes(r), dtype=np.float64) for r in wc_rows]
    head = np.array([w[:5] for w in wcs]).reshape(len(wcs), 5)
    pairs = np.concatenate([w[5:] for w in wcs]).reshape(-1, 2) if wcs else np.zeros((0, 2))
    counts = np.array([(w.size - 5) // 2 for w in wcs], dtype=np.int64)
    off = _offsets(sizes)
    out = head[:, 0].astype(np.int64)
    category = np.searchsorted(off, out, side="right") - 1
    industry = np.select([category == 0, category == 1], [0, 1], 2).astype(np.int8)
    product = (out - off[category]).astype(np.int32)
    return Economy(
        sizes=tuple(int(s) for s in sizes),  # type: ignore[arg-type]
        cc_income=np.ascontiguousarray(cc[:, 0]),
        cc_private=np.ascontiguousarray(cc[:, 1:1 + n_priv]),
        cc_public=np.ascontiguousarray(cc[:, 1 + n_priv:]),
        wc_industry=industry,
        wc_product=product,
        wc_a=np.ascontiguousarray(head[:, 1]),
        wc_s=np.ascontiguousarray(head[:, 2]),
        wc_c=np.ascontiguousarray(head[:, 3]),
        wc_k=np.ascontiguousarray(head[:, 4]),
        wc_indptr=np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
        wc_input_commodity=np.ascontiguousarray(pairs[:, 0]).astype(np.int32),
        wc_input_exponent=np.ascontiguousarray(pairs[:, 1]),
        endowment=endowment,
    )


def export_economy(year: PlanningYear) -> Economy:
    """The year's councils that have function parameters, as the engine's (checked) economy:
    worker councils and consumer councils each in participant order."""
    rows = list(year.participants.exclude(params=b"").order_by("kind", "position").values_list("kind", "params"))
    goods = catalogue(year)
    e = _economy(sizes_of(year), endowment_of(goods), [p for k, p in rows if k == "wc"],
                 [p for k, p in rows if k == "cc"])
    return make_economy(**{f: getattr(e, f) for f in (
        "sizes", "cc_income", "cc_private", "cc_public", "wc_industry", "wc_product", "wc_a", "wc_s", "wc_c",
        "wc_k", "wc_indptr", "wc_input_commodity", "wc_input_exponent", "endowment")})


# --- importing simulated councils ----------------------------------------------------------


def import_economy(user, year: PlanningYear, economy: Economy) -> tuple[int, int]:
    """Fill the federation with one new (member-less, simulated) council per council of
    ``economy``, each answering from its function; returns (worker councils, consumer councils)."""
    if user is not None:
        require(user, "planning.run_year", year, "only the federation's facilitators import councils")
    sizes = sizes_of(year)
    if tuple(economy.sizes) != sizes:
        raise InputError(f"economy: its commodities per category {tuple(economy.sizes)} differ from the "
                         f"year's catalogue {sizes}")
    federation = year.federation
    off = _offsets(sizes)
    with transaction.atomic():
        pos = {k: (year.participants.filter(kind=k).order_by("-position").values_list("position", flat=True).first())
               for k in ("wc", "cc")}
        start = {k: (v + 1 if v is not None else 0) for k, v in pos.items()}
        tag = f"{federation.slug[:60]}-y{year.pk}"
        councils: list[Council] = []
        params: list[tuple[str, int, bytes]] = []
        cc_all = np.concatenate([economy.cc_income[:, None], economy.cc_private, economy.cc_public], axis=1)
        for i in range(economy.n_ccs):
            n = start["cc"] + i
            councils.append(Council(name=f"Simulated consumer council {n + 1}", slug=f"{tag}-cc{n + 1}",
                                    kind=CouncilKind.CONSUMER_COUNCIL, parent=federation,
                                    visibility=federation.visibility, join_policy=JoinPolicy.INVITATION))
            params.append(("cc", n, pack(cc_all[i])))
        out = economy.wc_output_commodity
        ptr = economy.wc_indptr
        for w in range(economy.n_wcs):
            n = start["wc"] + w
            councils.append(Council(name=f"Simulated worker council {n + 1}", slug=f"{tag}-wc{n + 1}",
                                    kind=CouncilKind.WORKER_COUNCIL, parent=federation,
                                    visibility=federation.visibility, join_policy=JoinPolicy.INVITATION))
            lo, hi = int(ptr[w]), int(ptr[w + 1])
            flat = np.empty(5 + 2 * (hi - lo))
            flat[:5] = (out[w], economy.wc_a[w], economy.wc_s[w], economy.wc_c[w], economy.wc_k[w])
            flat[5::2] = economy.wc_input_commodity[lo:hi]
            flat[6::2] = economy.wc_input_exponent[lo:hi]
            params.append(("wc", n, pack(flat)))
        made = Council.objects.bulk_create(councils, batch_size=BATCH)
        if any(c.pk is None for c in made):  # backends without RETURNING
            by_slug = dict(Council.objects.filter(slug__startswith=tag).values_list("slug", "pk"))
            for c in made:
                c.pk = by_slug[c.slug]
        Participant.objects.bulk_create(
            [Participant(year=year, council_id=c.pk, kind=k, position=n, params=p, answers=Participant.Answers.FUNCTION)
             for c, (k, n, p) in zip(made, params, strict=True)], batch_size=BATCH)
        goods = [g for g in catalogue(year) if g.category in (2, 3)]
        for good, value in zip(goods, economy.endowment.tolist(), strict=True):
            good.endowment = value
        Good.objects.bulk_update(goods, ["endowment"])
        del off
    return economy.n_wcs, economy.n_ccs


# --- rounds --------------------------------------------------------------------------------


def current_round(year: PlanningYear) -> Round | None:
    """The open round, if any."""
    return year.rounds.filter(closed_at__isnull=True).order_by("-number").first()


def last_round(year: PlanningYear) -> Round | None:
    return year.rounds.order_by("-number").first()


def _pairs(data) -> np.ndarray:
    return unpack(data).reshape(-1, 2)


def totals(year: PlanningYear, round: Round) -> tuple[np.ndarray, np.ndarray, int, int]:
    """(supply, demand, councils that answered this round, councils taking part) at ``round``'s
    prices: councils answering from functions through the engine, the others from their
    latest proposal (a council that did not answer keeps its last one)."""
    goods = catalogue(year)
    sizes = sizes_of(year)
    n = len(goods)
    prices = unpack(round.prices)
    rows = year.participants.order_by("kind", "position").values_list(
        "kind", "answers", "params", "latest__round_id", "latest__supply", "latest__demand")
    wc_rows: list[Any] = []
    cc_rows: list[Any] = []
    hand_supply: list[np.ndarray] = []
    hand_demand: list[np.ndarray] = []
    cc_demand: list[np.ndarray] = []
    answered = count = n_cc = 0
    for kind, answers, params, round_id, supply, demand in rows:
        count += 1
        if kind == "cc":
            n_cc += 1
        if answers == "function" and params:
            (wc_rows if kind == "wc" else cc_rows).append(params)
            answered += 1
        elif round_id is not None:
            answered += round_id == round.pk
            hand_supply.append(_pairs(supply))
            (cc_demand if kind == "cc" else hand_demand).append(_pairs(demand))
    block = CouncilBlock.of(_economy(sizes, endowment_of(goods), wc_rows, cc_rows))
    answer = block.answer(prices)
    supply_total, demand_total = answer.supply.copy(), answer.demand.copy()
    if hand_supply or hand_demand or cc_demand:
        supply_total += _bincount(hand_supply, n)
        demand_total += _bincount(hand_demand, n)
        if cc_demand:
            cc = _bincount(cc_demand, n)
            public = slice(int(_offsets(sizes)[4]), n)
            cc[public] /= max(n_cc, 1)  # the mean of the councils' public-good statements
            demand_total += cc
    return supply_total, demand_total, answered, count


def _bincount(parts: list[np.ndarray], n: int) -> np.ndarray:
    if not parts:
        return np.zeros(n)
    pairs = np.concatenate(parts)
    return np.bincount(pairs[:, 0].astype(np.int64), weights=pairs[:, 1], minlength=n)


def close_round(user, year: PlanningYear, *, now: datetime | None = None) -> Round:
    """Close the open round: totals, imbalance, the rule's new prices; open the next round
    unless the largest imbalance is below the threshold (then the plan may be put to a vote)."""
    if user is not None:
        require(user, "planning.run_year", year, "only the federation's facilitators close a round")
    now = now or timezone.now()
    with transaction.atomic():
        year = PlanningYear.objects.select_for_update().get(pk=year.pk)
        round = current_round(year)
        if round is None:
            raise InputError("round: this year has no open round")
        prices = unpack(round.prices)
        supply, demand, answered, count = totals(year, round)
        rule = rule_named(year.rule)
        # A good nobody supplies (or demands) yet: the rule sees a tiny amount instead of 0, so
        # its price moves towards balance instead of becoming undefined.
        tiny = 1e-9 * max(float(np.max(np.concatenate([supply, demand]), initial=0.0)), 1.0)
        seen_supply = np.where(supply > 0, supply, tiny)
        seen_demand = np.where(demand > 0, demand, tiny)
        board = rule.answer(prices, seen_supply, seen_demand, unpack(year.board_state))
        _, v = imbalance(seen_supply, seen_demand)
        round.supply, round.demand, round.prices_after = pack(supply), pack(demand), pack(board.prices)
        round.max_imbalance_pct = float(100.0 * v.max()) if v.size else 0.0
        round.answered, round.participants, round.closed_at = answered, count, now
        round.save()
        year.board_state = pack(board.state)
        year.save(update_fields=["board_state"])
        # the plan is ready only when every good of the catalogue is both supplied and demanded
        complete = bool(np.all(supply > 0) and np.all(demand > 0))
        if round.max_imbalance_pct >= year.threshold_pct or not complete:
            _open_round(year, round.number + 1, board.prices, now)
    return round


def _open_round(year: PlanningYear, number: int, prices: np.ndarray, now: datetime) -> Round:
    nxt = Round.objects.create(year=year, number=number, prices=pack(prices), opened_at=now,
                               deadline=now + timedelta(days=year.round_days))
    announce_round(year, nxt)
    return nxt


def announce_round(year: PlanningYear, round: Round) -> None:
    """The one place a new round is announced to the participating councils (inbox and mail).

    The members of every council that answers by hand are told (each by their own preference
    for "planning round"); councils that answer from their functions need nobody to act.
    """
    from parsoc.web.councils.models import Membership
    from parsoc.web.notifications.kinds import Kind
    from parsoc.web.notifications.services import notify

    people = {m.user for m in Membership.objects.filter(
        council__planning_participations__year=year,
        council__planning_participations__answers=Participant.Answers.HAND).select_related("user")}
    if people:
        notify(Kind.PLANNING_ROUND, people, actor=None, council=year.federation,
               title=f"{year.title}: round {round.number} is open", url=year.get_absolute_url(),
               context={"body": "New indicative prices are out: see what the board asks of your council "
                                "and revise its proposal before the round's deadline."})


def converged(year: PlanningYear) -> bool:
    """The last round met the threshold (so no next round was opened)."""
    last = last_round(year)
    return bool(last and last.closed_at and last.max_imbalance_pct is not None
                and last.max_imbalance_pct < year.threshold_pct)


def close_due_rounds(now: datetime | None = None) -> int:
    """Close every open round whose deadline has passed (run from a periodic job)."""
    now = now or timezone.now()
    closed = 0
    for year in PlanningYear.objects.filter(rounds__closed_at__isnull=True, rounds__deadline__lte=now,
                                            status=PlanningYear.Status.OPEN).distinct():
        close_round(None, year, now=now)
        closed += 1
    return closed


# --- proposals -----------------------------------------------------------------------------


def _quantities(mapping: Mapping[str, Any], goods: dict[str, tuple[int, int]], allowed: tuple[int, ...],
                what: str, errors: dict[str, str]) -> list[tuple[int, float]]:
    out = []
    for name, value in dict(mapping or {}).items():
        if name not in goods:
            errors[name] = f"{name}: not a good in this year's catalogue"
            continue
        if goods[name][1] not in allowed:
            errors[name] = f"{name}: a {CATEGORIES[goods[name][1]]} good is not among a council's {what}"
            continue
        try:
            quantity = parse_float(value, name, low=0.0, high=QUANTITY_MAX)
        except InputError as error:
            errors[name] = str(error)
            continue
        if quantity:
            out.append((goods[name][0], quantity))
    return sorted(out)


def _check_open(year: PlanningYear, round: Round | None) -> Round:
    if year.status != PlanningYear.Status.OPEN or round is None:
        raise FieldErrors({"round": "round: no round is open for proposals"})
    if round.closed_at is not None:
        raise FieldErrors({"round": f"round: round {round.number} is closed"})
    return round


def post_proposal(user, participant: Participant, *, supply: Mapping[str, Any] | None = None,
                  demand: Mapping[str, Any] | None = None, round_number: int | None = None,
                  now: datetime | None = None) -> PlanProposal:
    """A council's proposal for the open round, by hand (good name → quantity). A worker council
    supplies private, intermediate or public goods and demands intermediate goods, natural
    resources and labour; a consumer council demands private and public goods. When every
    participating council has answered, the round closes."""
    if user is not None:
        require(user, "planning.act_for", participant, "only this council's members act for it")
    year = participant.year
    goods = _index_by_name(year)
    with transaction.atomic():
        round = current_round(year)
        round = _check_open(year, round)
        if round_number is not None and round_number != round.number:
            raise FieldErrors({"round": f"round: round {round_number} is closed; round {round.number} is open"})
        errors: dict[str, str] = {}
        s = _quantities(supply or {}, goods, SUPPLY_CATEGORIES[participant.kind], "outputs", errors)
        d = _quantities(demand or {}, goods, DEMAND_CATEGORIES[participant.kind], "inputs" if participant.kind == "wc"
                        else "consumption", errors)
        if errors:
            raise FieldErrors(errors)
        proposal, _ = PlanProposal.objects.update_or_create(
            participant=participant, round=round,
            defaults={"supply": pack(np.array(s).ravel()), "demand": pack(np.array(d).ravel()),
                      "made_by": user if user is not None and user.is_authenticated else None})
        Participant.objects.filter(pk=participant.pk).update(latest=proposal, answers=Participant.Answers.HAND)
        participant.latest, participant.answers = proposal, Participant.Answers.HAND
        _close_if_all_answered(year, round, now)
    return proposal


def post_bulk(user, year: PlanningYear, items: list[Mapping[str, Any]], now: datetime | None = None) -> int:
    """Many councils' proposals at once: ``[{"council": slug, "supply": {...}, "demand": {...}}]``.
    All or nothing: one wrong item refuses the lot, naming it."""
    goods = _index_by_name(year)
    slugs = [str(item.get("council", "")) for item in items]
    if len(set(slugs)) != len(slugs):
        raise InputError("council: a council appears twice in one bulk post")
    found: dict[str, tuple[int, str, int]] = {}
    for start in range(0, len(slugs), BATCH):
        part = slugs[start:start + BATCH]
        found.update({s: (pk, k, c) for pk, s, k, c in year.participants.filter(council__slug__in=part)
                      .values_list("pk", "council__slug", "kind", "council_id")})
    missing = [s for s in slugs if s not in found]
    if missing:
        raise InputError(f"council {missing[0]!r}: not a council taking part in this year")
    if user is not None:
        _require_act_for_many(user, year, [found[s][2] for s in slugs])
    made_by = user if user is not None and user.is_authenticated else None
    with transaction.atomic():
        round = _check_open(year, current_round(year))
        rows = []
        for i, item in enumerate(items):
            pk, kind, _ = found[slugs[i]]
            errors: dict[str, str] = {}
            s = _quantities(item.get("supply") or {}, goods, SUPPLY_CATEGORIES[kind], "outputs", errors)
            d = _quantities(item.get("demand") or {}, goods, DEMAND_CATEGORIES[kind], "inputs", errors)
            if errors:
                raise InputError(f"council {slugs[i]!r}: " + "; ".join(errors.values()))
            rows.append(PlanProposal(participant_id=pk, round=round, supply=pack(np.array(s).ravel()),
                                     demand=pack(np.array(d).ravel()), made_by=made_by))
        ids = [found[s][0] for s in slugs]
        for start in range(0, len(ids), BATCH):
            PlanProposal.objects.filter(round=round, participant_id__in=ids[start:start + BATCH]).delete()
        PlanProposal.objects.bulk_create(rows, batch_size=BATCH)
        _link_latest(round, ids)
        _close_if_all_answered(year, round, now)
    return len(rows)


def _link_latest(round: Round, participant_ids: list[int]) -> None:
    """Point each participant at its proposal of ``round`` and make it answer by hand: one
    joined UPDATE per batch (PostgreSQL, and SQLite from 3.33)."""
    from django.db import connection

    participant = connection.ops.quote_name(Participant._meta.db_table)
    proposal = connection.ops.quote_name(PlanProposal._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(participant_ids), BATCH):
            part = participant_ids[start:start + BATCH]
            marks = ", ".join(["%s"] * len(part))
            cursor.execute(
                f"UPDATE {participant} SET latest_id = pp.id, answers = %s FROM {proposal} AS pp "
                f"WHERE pp.participant_id = {participant}.id AND pp.round_id = %s AND {participant}.id IN ({marks})",
                [Participant.Answers.HAND.value, round.pk, *part])


def _require_act_for_many(user, year: PlanningYear, council_ids: list[int]) -> None:
    """The bulk form of ``planning.act_for``: each council is one the user is a member of, or a
    simulated (member-less) council of a federation the user facilitates."""
    from parsoc.web.councils.models import Membership

    if not user.is_authenticated:
        raise PermissionDenied("log in first")
    mine = set(Membership.objects.filter(user=user, council_id__in=council_ids).values_list("council_id", flat=True))
    rest = [c for c in council_ids if c not in mine]
    if not rest:
        return
    if not user.has_perm("planning.run_year", year):
        raise PermissionDenied("only a council's members act for it")
    peopled = set()
    for start in range(0, len(rest), BATCH):
        peopled |= set(Membership.objects.filter(council_id__in=rest[start:start + BATCH])
                       .values_list("council_id", flat=True))
    if peopled:
        raise PermissionDenied("only a council's members act for it; a facilitator acts only for simulated councils")


def _close_if_all_answered(year: PlanningYear, round: Round, now: datetime | None) -> None:
    count = year.participants.count()
    answered = year.participants.filter(answers=Participant.Answers.FUNCTION).exclude(params=b"").count() + \
        PlanProposal.objects.filter(round=round).exclude(participant__answers=Participant.Answers.FUNCTION).count()
    if count and answered >= count:
        close_round(None, year, now=now)


def set_answers_by_function(user, participant: Participant) -> Participant:
    """Let the council's stored function answer from now on (instead of its typed proposals)."""
    require(user, "planning.set_function", participant)
    if not participant.params:
        raise FieldErrors({"answers": "answers: the council has no function parameters yet"})
    participant.answers = Participant.Answers.FUNCTION
    participant.save(update_fields=["answers"])
    return participant


# --- what a council sees -------------------------------------------------------------------


def council_answer(participant: Participant, round: Round) -> tuple[np.ndarray, np.ndarray, str]:
    """(supply, demand, how) of one council at ``round``: its proposal of that round, else its
    function's answer, else its latest earlier proposal ("none" when it has none)."""
    year = participant.year
    n = year.goods.count()
    own = PlanProposal.objects.filter(participant=participant, round=round).first()
    if own is None and participant.answers == "function" and participant.params:
        sizes = sizes_of(year)
        goods = catalogue(year)
        e = _economy(sizes, np.zeros_like(endowment_of(goods)), [participant.params] if participant.kind == "wc" else [],
                     [participant.params] if participant.kind == "cc" else [])
        p = unpack(round.prices)
        answer = CouncilBlock.of(e, with_endowment=False).answer(p)
        demand = answer.demand.copy()
        if participant.kind == "cc":  # show the council's statement, not its share of the mean
            public = slice(int(_offsets(sizes)[4]), n)
            demand[public] *= max(year.participants.filter(kind="cc").count(), 1)
        return answer.supply, demand, "function"
    if own is None:
        own = (PlanProposal.objects.filter(participant=participant, round__number__lt=round.number)
               .order_by("-round__number").first())
        how = "kept" if own is not None else "none"
    else:
        how = "hand"
    if own is None:
        return np.zeros(n), np.zeros(n), how
    return _bincount([_pairs(own.supply)], n), _bincount([_pairs(own.demand)], n), how


def ratio_view(participant: Participant, round: Round) -> dict[str, Any]:
    """Social benefit (value of outputs) against social cost (value of inputs), their ratio, and
    for each good the council touches whether it is in excess demand or supply (last round's totals)."""
    supply, demand, how = council_answer(participant, round)
    prices = unpack(round.prices)
    goods = catalogue(participant.year)
    previous = participant.year.rounds.filter(number=round.number - 1).first()
    excess = None
    if previous is not None and previous.supply is not None:
        excess = unpack(previous.supply) - unpack(previous.demand)
    rows = []
    for i, g in enumerate(goods):
        if supply[i] or demand[i]:
            state = ""
            if excess is not None:
                state = "excess supply" if excess[i] > 0 else ("excess demand" if excess[i] < 0 else "balanced")
            rows.append({"good": g, "supply": float(supply[i]), "demand": float(demand[i]), "price": float(prices[i]),
                         "value": float(prices[i] * (supply[i] - demand[i])), "state": state})
    benefit = float(prices @ supply)
    cost = float(prices @ demand)
    return {"rows": rows, "benefit": benefit, "cost": cost, "ratio": benefit / cost if cost else None, "how": how}


# --- consumer councils: personal requests --------------------------------------------------


def budget_of(user, participant: Participant) -> float:
    """A member's income for the year: the federation's equal share."""
    return float(participant.year.income_per_person)


def save_request(user, participant: Participant, quantities: Mapping[str, Any],
                 public: Mapping[str, Any] | None = None) -> PersonalRequest:
    """A member's personal request of private goods (within their budget at this round's
    prices); the council's proposal becomes the sum of its members' requests plus its public
    goods (``public``, kept from before when not given)."""
    require(user, "planning.request", participant, "only members of this consumer council make requests in it")
    year = participant.year
    goods = _index_by_name(year)
    sizes = sizes_of(year)
    with transaction.atomic():
        round = _check_open(year, current_round(year))
        errors: dict[str, str] = {}
        pairs = _quantities(quantities, goods, (0,), "private goods", errors)
        public_pairs = _quantities(public, goods, (4,), "public goods", errors) if public is not None else None
        prices = unpack(round.prices)
        cost = sum(prices[c] * q for c, q in pairs)
        budget = budget_of(user, participant)
        if not errors and cost > budget * (1 + 1e-12):
            errors["budget"] = f"budget: your request costs {cost:,.2f} at this round's prices, above your budget {budget:,.2f}"
        if errors:
            raise FieldErrors(errors)
        mine = np.zeros(sizes[0])
        for c, q in pairs:
            mine[c] = q
        request, _ = PersonalRequest.objects.update_or_create(
            participant=participant, user=user, defaults={"round": round, "quantities": pack(mine)})
        if public_pairs is not None:
            participant.public_request = pack(np.array(public_pairs).ravel())
            participant.save(update_fields=["public_request"])
        _aggregate_requests(participant, round, user)
        _close_if_all_answered(year, round, None)
    return request


def _aggregate_requests(participant: Participant, round: Round, user) -> PlanProposal:
    private = np.zeros(sizes_of(participant.year)[0])
    for data in participant.requests.values_list("quantities", flat=True):
        private += unpack(data)
    pairs = [(float(i), q) for i, q in enumerate(private) if q > 0] + [tuple(p) for p in _pairs(participant.public_request)]
    proposal, _ = PlanProposal.objects.update_or_create(
        participant=participant, round=round,
        defaults={"supply": b"", "demand": pack(np.array(pairs).ravel()), "made_by": user})
    Participant.objects.filter(pk=participant.pk).update(latest=proposal, answers=Participant.Answers.HAND)
    return proposal


def request_of(user, participant: Participant) -> np.ndarray | None:
    if not user.is_authenticated:
        return None
    data = participant.requests.filter(user=user).values_list("quantities", flat=True).first()
    return None if data is None else unpack(data)


# --- reading a year ------------------------------------------------------------------------


def round_table(year: PlanningYear) -> list[dict[str, Any]]:
    """One row per closed round: number, largest imbalance, its colour, answered/taking part."""
    out = []
    for r in year.rounds.filter(closed_at__isnull=False).order_by("number"):
        out.append({"round": r, "max_pct": r.max_imbalance_pct, "colour": colour(r.max_imbalance_pct or 0.0)})
    return out


def imbalance_by_category(year: PlanningYear) -> list[dict[str, Any]]:
    """Per closed round, the largest imbalance (percent) in each category and the prices."""
    sizes = sizes_of(year)
    off = _offsets(sizes)
    out = []
    for r in year.rounds.filter(closed_at__isnull=False).order_by("number"):
        _, v = imbalance(unpack(r.supply), unpack(r.demand))
        v = np.nan_to_num(v, nan=0.0)
        per = [float(100 * v[off[c]:off[c + 1]].max()) if sizes[c] else None for c in range(5)]
        out.append({"round": r.number, "categories": per, "prices": unpack(r.prices_after).tolist()})
    return out


def furthest_from_balance(year: PlanningYear, how_many: int = 5) -> list[dict[str, Any]]:
    last = year.rounds.filter(closed_at__isnull=False).order_by("-number").first()
    if last is None:
        return []
    goods = catalogue(year)
    s, d = unpack(last.supply), unpack(last.demand)
    _, v = imbalance(s, d)
    v = np.nan_to_num(v, nan=0.0)
    order = np.argsort(-v)[:how_many]
    return [{"good": goods[i], "pct": float(100 * v[i]), "supply": float(s[i]), "demand": float(d[i]),
             "side": "excess supply" if s[i] > d[i] else "excess demand"} for i in order]


def not_answered(year: PlanningYear, round: Round | None, limit: int = 50) -> tuple[list[Council], int]:
    """Councils answering by hand that have not answered ``round`` (a sample and the count)."""
    if round is None:
        return [], 0
    qs = (year.participants.exclude(answers=Participant.Answers.FUNCTION, params__gt=b"")
          .exclude(proposals__round=round).select_related("council"))
    qs = year.participants.filter(pk__in=qs.values("pk")).exclude(answers=Participant.Answers.FUNCTION)
    return [p.council for p in qs.select_related("council")[:limit]], qs.count()


# --- export --------------------------------------------------------------------------------


def rounds_csv(year: PlanningYear) -> str:
    """One row per closed round and good: prices before and after, supply, demand, imbalance."""
    goods = catalogue(year)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["round", "good", "category", "unit", "price", "supply", "demand", "imbalance_pct", "new_price"])
    for r in year.rounds.filter(closed_at__isnull=False).order_by("number"):
        s, d = unpack(r.supply), unpack(r.demand)
        _, v = imbalance(s, d)
        for i, g in enumerate(goods):
            writer.writerow([r.number, g.name, CATEGORIES[g.category], g.unit, repr(float(unpack(r.prices)[i])),
                             repr(float(s[i])), repr(float(d[i])), repr(float(100 * v[i])),
                             repr(float(unpack(r.prices_after)[i]))])
    return out.getvalue()


def plan_hash(year: PlanningYear) -> str:
    """SHA-256 of the final plan: the prices the last round answered and every council's
    answer to them (council slug, supply and demand bytes), in participant order."""
    last = year.rounds.filter(closed_at__isnull=False).order_by("-number").first()
    if last is None:
        raise InputError("plan: no round has closed yet")
    h = hashlib.sha256()
    for data in (last.prices, last.supply, last.demand):
        h.update(bytes(data or b""))
    for slug, params, answers, supply, demand in year.participants.order_by("kind", "position").values_list(
            "council__slug", "params", "answers", "latest__supply", "latest__demand"):
        h.update(slug.encode())
        h.update(bytes(params) if answers == "function" else bytes(supply or b"") + bytes(demand or b""))
    return h.hexdigest()


def economy_edn(year: PlanningYear) -> str:
    """The year's economy (councils with function parameters) in the engine's EDN layout."""
    import tempfile
    from pathlib import Path

    from parsoc.planning.edn import write_edn

    economy = export_economy(year)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "economy.clj"
        write_edn(economy, path)
        return path.read_text(encoding="utf-8")


# --- adopting the plan ---------------------------------------------------------------------


def put_plan_to_decision(user, year: PlanningYear, *, rule: str = "simple_majority", closes_at: datetime | None = None,
                         **rule_options: Any):
    """Once the threshold is met, a facilitator puts the final plan to the federation as a proposal
    under the decision rule they choose (the decisions domain: its hash-chained record gets the
    plan's SHA-256 in the proposal's title). Returns the decision proposal."""
    from parsoc.web.decisions import services as decisions

    require(user, "planning.run_year", year, "only the federation's facilitators put the plan to a decision")
    if year.status != PlanningYear.Status.OPEN:
        raise InputError(f"plan: the year is {year.get_status_display().lower()}")
    if not converged(year):
        raise InputError("plan: the last round's imbalances have not met the threshold yet")
    digest = plan_hash(year)
    last = last_round(year)
    assert last is not None
    goods = catalogue(year)
    prices = unpack(last.prices)
    lines = [f"The plan of {year.title} after round {last.number}: largest imbalance "
             f"{last.max_imbalance_pct:.2f}% (threshold {year.threshold_pct}%), {last.participants} councils.",
             "", f"Plan hash (SHA-256): {digest}", "", "| good | unit | price | supply | demand |", "|---|---|---|---|---|"]
    s, d = unpack(last.supply), unpack(last.demand)
    lines += [f"| {g.name} | {g.unit} | {prices[i]:.2f} | {s[i]:.2f} | {d[i]:.2f} |" for i, g in enumerate(goods)]
    with transaction.atomic():
        proposal = decisions.create_proposal(user, year.federation, title=f"Adopt the plan {digest[:16]}: {year.title}"[:200],
                                             body="\n".join(lines), question=f"planning-year-{year.pk}")
        proposal = decisions.set_stage(user, proposal, "discussion")
        proposal = decisions.open_decision(user, proposal, rule=rule, closes_at=closes_at, **rule_options)
        year.status, year.decision, year.plan_hash = PlanningYear.Status.VOTING, proposal, digest
        year.save(update_fields=["status", "decision", "plan_hash"])
    return proposal


def settle(year: PlanningYear, now: datetime | None = None) -> str:
    """Follow the plan's decision: "adopted" once it passed; a failed plan reopens the rounds
    (a new round at the prices the board last announced); "" while it is still open."""
    if year.status != PlanningYear.Status.VOTING or year.decision_id is None:
        return ""
    from parsoc.decisions.lifecycle import Stage

    decision = year.decision
    if decision is None or decision.stage != Stage.CLOSED.value:
        return ""
    with transaction.atomic():
        locked = PlanningYear.objects.select_for_update().get(pk=year.pk)
        if locked.status != PlanningYear.Status.VOTING:
            return ""
        if decision.status == "passed":
            locked.status = PlanningYear.Status.ADOPTED
            locked.save(update_fields=["status"])
            outcome = "adopted"
        else:
            last = last_round(locked)
            assert last is not None
            locked.status = PlanningYear.Status.OPEN
            locked.save(update_fields=["status"])
            _open_round(locked, last.number + 1, unpack(last.prices_after), now or timezone.now())
            outcome = "reopened"
    year.refresh_from_db()
    return outcome


def targets_of(participant: Participant) -> list[dict[str, Any]] | None:
    """Once the plan is adopted: the council's output targets and input allocations (a worker
    council) or its allocation (a consumer council): its answer in the plan's last round."""
    year = participant.year
    if year.status != PlanningYear.Status.ADOPTED:
        return None
    last = year.rounds.filter(closed_at__isnull=False).order_by("-number").first()
    if last is None:
        return None
    supply, demand, _ = council_answer(participant, last)
    return [{"good": g, "output": float(supply[i]), "input": float(demand[i])}
            for i, g in enumerate(catalogue(year)) if supply[i] or demand[i]]
