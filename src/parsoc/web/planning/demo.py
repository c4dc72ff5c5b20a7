"""Demo data for planning: a planning year in progress in the demo federation — the Winnipeg
worker co-op and the Barcelona neighbourhood consumer councils with real people, three hundred
simulated councils from a generated economy, and a few rounds already run."""

from __future__ import annotations

NAMES = {
    "private": [("bread", "loaf"), ("books", "book"), ("coffee", "kg")],
    "intermediate": [("flour", "t"), ("paper", "t"), ("green beans", "t")],
    "nature": [("farmland", "ha"), ("water", "ML"), ("timber", "m3")],
    "labor": [("care work", "h"), ("manual work", "h"), ("skilled work", "h")],
    "public": [("parks", "ha"), ("libraries", "branch"), ("transit", "km")],
}
ROUNDS = 4


def load_planning_demo(simulated: int = 300) -> None:
    """Idempotent: only when the federation has no planning year yet."""
    from parsoc.planning.generator import generate
    from parsoc.web.councils.models import Council
    from parsoc.web.planning import services

    fed = Council.objects.filter(slug="demo-iops").first()
    if fed is None or fed.planning_years.exists():
        return
    facilitator = fed.facilitators().select_related("user").first()
    user = facilitator.user if facilitator else None
    economy = generate(ccs=simulated // 2, wcs=simulated - simulated // 2, per_category=3, seed=2027)
    goods = services.goods_of_economy(economy)
    for good in goods:
        category, number = good["name"].rsplit("-", 1)
        good["name"], good["unit"] = NAMES[category][int(number) - 1]
    year = services.open_year(user, fed, title="The federation's plan for 2027", goods=goods, rule="hahnel2021")
    services.import_economy(user, year, economy)
    real = {p.council.slug: p for p in
            year.participants.select_related("council").filter(council__memberships__isnull=False).distinct()}
    coop = real.get("demo-winnipeg-coop")
    if coop is not None:
        services.set_function(None, coop, {"output": "books", "a": 5, "s": 1, "c": 0.08, "k": 3.5,
                                           "inputs": {"paper": 0.2, "skilled work": 0.15, "care work": 0.1}})
    sants = real.get("demo-barcelona-sants")
    if sants is not None:  # answers by hand (its utility is stored, for when it chooses to answer from it)
        services.set_function(None, sants, {"income": 5000, "exponents": {
            "bread": 0.03, "books": 0.02, "coffee": 0.02, "parks": 0.03, "libraries": 0.02, "transit": 0.03}},
            answers=False)
        member = sants.council.memberships.select_related("user").order_by("pk").first()
        if member is not None:
            services.save_request(member.user, sants, {"bread": 2, "coffee": 1}, public={"transit": 0.5})
    gracia = real.get("demo-barcelona-gracia")
    if gracia is not None:  # answers by hand: two members' requests and the public goods it asks for
        members = [m.user for m in gracia.council.memberships.select_related("user").order_by("pk")][:2]
        for n, person in enumerate(members):
            services.save_request(person, gracia, {"bread": 1.5 + n, "books": 1, "coffee": 0.5},
                                  public={"parks": 0.3, "libraries": 0.2} if n == 0 else None)
    while year.rounds.filter(closed_at__isnull=False).count() < ROUNDS and services.current_round(year):
        services.close_round(None, year)


def load(world) -> None:
    """The demo loader the app declares (``world`` is unused: the planning year finds its federation)."""
    load_planning_demo()
