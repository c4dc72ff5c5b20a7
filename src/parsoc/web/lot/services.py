"""Selections by lot in a council: each action checks its permission and input, then writes.

The phases: *volunteering* (members join the pool with their self-described features) →
the facilitators compute LEXIMIN over the pool (*seeding*: each volunteer sees their
probability; the lottery is published) → the seed is fixed, either from a value published in
advance (typed by a facilitator once it is out) or by commit-reveal among members (members
commit, the facilitators close the commitments, members reveal: *revealing*) → *drawn*.
Anyone who can see the council can download the result and replay the draw
(``parsoc lot replay``).
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils import timezone

from parsoc.errors import InputError
from parsoc.lot.draw import draw_panel, lottery_from_json
from parsoc.lot.instance import Pool, make_instance, parse_quotas
from parsoc.lot.leximin import leximin
from parsoc.lot.seed import MAX_SEED, commitment, seed_from_reveals
from parsoc.numbers import COUNT_MAX, parse_int
from parsoc.web.councils.services import require
from parsoc.web.lot.models import Commitment, Phase, SeedSource, Selection, Volunteer

_HEX64 = re.compile(r"[0-9a-f]{64}")


def categories(selection: Selection) -> list[tuple[str, list[str]]]:
    """Each category with its features, in the order the quotas list them."""
    out: dict[str, list[str]] = {}
    for category, feature, _low, _high in selection.quotas:
        out.setdefault(category, []).append(feature)
    return list(out.items())


def create_selection(user, council, *, title: str, panel_size: Any, quotas: str, seed_source: str,
                     seed_note: str = "") -> Selection:
    require(user, "lot.manage", council, "only facilitators start a selection by lot")
    title = (title or "").strip()
    if not title or "\n" in title or "\r" in title:
        raise InputError("title: a title is one line")
    size = parse_int(panel_size, "panel size", low=1, high=COUNT_MAX)
    parsed = parse_quotas(quotas or "", "quotas")
    for q in parsed:
        if q.min > size:
            raise InputError(f"quotas: {q.where()} asks for more people than the panel of {size}")
    if seed_source not in SeedSource.values:
        raise InputError(f"seed source: {seed_source!r} is not one of {', '.join(SeedSource.values)}")
    seed_note = (seed_note or "").strip()
    if seed_source == SeedSource.ADVANCE and not seed_note:
        raise InputError("seed note: say which value, published later, will be the seed")
    return Selection.objects.create(
        council=council, title=title, panel_size=size, seed_source=seed_source, seed_note=seed_note[:300],
        quotas=[[q.category, q.feature, q.min, q.max] for q in parsed], created_by=user)


def _phase(selection: Selection, *phases: str) -> None:
    if selection.phase not in phases:
        raise InputError(f"this selection is {Phase(selection.phase).label}: that step is over or not yet open")


def volunteer(user, selection: Selection, features: dict[str, str]) -> Volunteer:
    require(user, "lot.take_part", selection.council, "only members volunteer")
    _phase(selection, Phase.VOLUNTEERING)
    chosen = {}
    for category, options in categories(selection):
        value = (features.get(category) or "").strip()
        if value not in options:
            raise InputError(f"{category}: choose one of {', '.join(options)}")
        chosen[category] = value
    with transaction.atomic():
        row, _ = Volunteer.objects.update_or_create(selection=selection, user=user, defaults={"features": chosen})
    return row


def withdraw(user, selection: Selection) -> None:
    require(user, "lot.take_part", selection.council, "only members volunteer")
    _phase(selection, Phase.VOLUNTEERING)
    Volunteer.objects.filter(selection=selection, user=user).delete()


def compute(user, selection: Selection) -> Selection:
    """LEXIMIN over the volunteers; an impossible pool is an InputError naming the quota, nothing written."""
    require(user, "lot.manage", selection.council, "only facilitators compute the probabilities")
    with transaction.atomic():
        selection = Selection.objects.select_for_update().get(pk=selection.pk)
        _phase(selection, Phase.VOLUNTEERING)
        volunteers = list(selection.volunteers.order_by("id"))
        if not volunteers:
            raise InputError("nobody has volunteered yet")
        names = [c for c, _ in categories(selection)]
        pool = Pool(tuple(names), tuple(tuple(v.features[c] for c in names) for v in volunteers))
        from parsoc.lot.instance import Quota

        quotas = tuple(Quota(c, f, int(lo), int(hi), i + 1) for i, (c, f, lo, hi) in enumerate(selection.quotas))
        instance = make_instance(pool, quotas, selection.panel_size, source="the pool of volunteers")
        distribution = leximin(instance)
        probabilities = distribution.probabilities()
        selection.pool = [v.user_id for v in volunteers]
        selection.result = {
            "method": "leximin",
            "probabilities": probabilities,
            "minimum_probability": min(probabilities),
            "profiles": [{"features": list(f), "members": list(m)}
                         for f, m in zip(distribution.profiles.features, distribution.profiles.members, strict=True)],
            "lottery": [{"probability": w, "counts": list(c)}
                        for c, w in zip(distribution.compositions, distribution.weights, strict=True)],
        }
        selection.phase = Phase.SEEDING
        selection.save()
    return selection


def commit(user, selection: Selection, digest: str) -> Commitment:
    require(user, "lot.take_part", selection.council, "only members take part in the seed")
    if selection.seed_source != SeedSource.COMMIT:
        raise InputError("this selection's seed is a value published in advance, not commit-reveal")
    _phase(selection, Phase.SEEDING)
    digest = (digest or "").strip().lower()
    if not _HEX64.fullmatch(digest):
        raise InputError("commitment: 64 hexadecimal digits (the SHA-256 of your secret, as this page computes it)")
    row, _ = Commitment.objects.update_or_create(selection=selection, user=user, defaults={"digest": digest})
    return row


def close_commitments(user, selection: Selection) -> None:
    require(user, "lot.manage", selection.council, "only facilitators close the commitments")
    if selection.seed_source != SeedSource.COMMIT:
        raise InputError("this selection's seed is a value published in advance")
    _phase(selection, Phase.SEEDING)
    if not selection.commitments.exists():
        raise InputError("nobody has committed to a secret yet")
    selection.phase = Phase.REVEALING
    selection.save(update_fields=["phase"])


def reveal(user, selection: Selection, secret: str) -> None:
    require(user, "lot.take_part", selection.council, "only members take part in the seed")
    _phase(selection, Phase.REVEALING)
    row = selection.commitments.filter(user=user).first()
    if row is None:
        raise InputError("you did not commit to a secret in time")
    if not secret or len(secret) > MAX_SEED:
        raise InputError(f"secret: between 1 and {MAX_SEED} characters")
    if commitment(secret) != row.digest:
        raise InputError("secret: it does not match your commitment")
    row.secret = secret
    row.save(update_fields=["secret"])


def draw(user, selection: Selection, published_value: str = "") -> Selection:
    """Fix the seed and draw the panel from the published lottery."""
    require(user, "lot.manage", selection.council, "only facilitators draw")
    with transaction.atomic():
        selection = Selection.objects.select_for_update().get(pk=selection.pk)
        if selection.seed_source == SeedSource.ADVANCE:
            _phase(selection, Phase.SEEDING)
            seed = (published_value or "").strip()
            if not seed or len(seed) > MAX_SEED:
                raise InputError(f"published value: type it exactly as published (1 to {MAX_SEED} characters)")
        else:
            _phase(selection, Phase.REVEALING)
            revealed = {str(c.user_id): c for c in selection.commitments.all() if c.secret}
            if not revealed:
                raise InputError("nobody has revealed their secret yet")
            seed = seed_from_reveals({k: c.digest for k, c in revealed.items()},
                                     {k: c.secret for k, c in revealed.items()})
        result, pool = selection.result or {}, selection.pool or []
        panel = draw_panel(lottery_from_json(result), seed)
        selection.seed = seed
        selection.panel = [pool[i] for i in panel]
        selection.phase = Phase.DRAWN
        selection.drawn_at = timezone.now()
        selection.save()
    return selection


def published_result(selection: Selection) -> dict:
    """What anyone replays the draw from (``parsoc lot replay``): the lottery, the seed, the panel."""
    result = dict(selection.result or {})
    result["title"] = selection.title
    result["panel_size"] = selection.panel_size
    result["quotas"] = selection.quotas
    result["seed_source"] = selection.seed_source
    result["seed"] = selection.seed
    if selection.seed_source == SeedSource.COMMIT:
        result["commitments"] = [{"participant": str(c.user_id), "commitment": c.digest, "secret": c.secret}
                                 for c in selection.commitments.order_by("user_id")]
    pool = selection.pool or []
    result["panel"] = sorted(pool.index(u) for u in (selection.panel or []))
    return result
