"""Planning in the web app at scale: a federation filled with simulated councils imported from a
generated economy, on PostgreSQL. Measures, per size:

- import: the councils created from the economy file (``services.import_economy``);
- close (functions): closing a round where every council answers from its function (read every
  participant, the engine's totals, the rule's new prices, write the round and open the next);
- bulk post: every council but one posts a proposal by hand through ``POST
  /api/planning/years/{id}/proposals`` (Bearer token, 1,000 councils per request, through the
  whole Django stack: middleware, one transaction per request, validation, bulk writes);
- close (proposals): closing that round, now reading every council's stored proposal.

    DATABASE_URL=postgres://user@host:port/db PARSOC_HOME=/tmp/x \\
        .venv/bin/python bench/planning_web.py [--sizes 1000,10000,100000] [--per-request 1000]

The database named in DATABASE_URL is migrated and its planning tables filled (each size in a
new federation; nothing is removed). Half the councils are worker councils, half consumer
councils, 10 goods per category. Target: a round closes in under 2 s at 10,000 councils.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="Numbers of councils, comma-separated.")
    parser.add_argument("--per-request", type=int, default=1000, help="Councils per bulk request.")
    parser.add_argument("--per-category", type=int, default=10, help="Goods per category.")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("set DATABASE_URL to a PostgreSQL database (see the docstring)")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parsoc.web.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from parsoc.councils.kinds import CouncilKind, Role
    from parsoc.planning.councils import consumer_proposals, worker_proposals
    from parsoc.planning.generator import generate
    from parsoc.web.accounts.models import ApiToken, User
    from parsoc.web.councils.models import Council, Membership
    from parsoc.web.planning import services
    from parsoc.web.planning.models import unpack

    call_command("migrate", verbosity=0)
    stamp = int(time.time())
    user = User.objects.create_user(f"bench-{stamp}@example.org", "x" * 20, display_name="Bench", email_confirmed=True)
    _, key = ApiToken.issue(user, "bench")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_HOST="localhost")
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        fed = Council.objects.create(name=f"Bench {size} {stamp}", slug=f"bench-{size}-{stamp}",
                                     kind=CouncilKind.FEDERATION)
        Council.objects.create(name=f"Hall {size} {stamp}", slug=f"bench-hall-{size}-{stamp}",
                               kind=CouncilKind.CHAPTER, parent=fed)
        Membership.objects.create(council=fed, user=user, role=Role.FACILITATOR)
        g = args.per_category
        economy = generate(ccs=size // 2, wcs=size - size // 2, per_category=g, seed=size)
        year = services.open_year(user, fed, title=f"Bench {size}", goods=services.goods_of_economy(economy))
        started = time.perf_counter()
        services.import_economy(user, year, economy)
        import_s = time.perf_counter() - started
        closes = []
        for _ in range(3):
            started = time.perf_counter()
            services.close_round(user, year)
            closes.append(time.perf_counter() - started)
        # every council but the last posts its function's answer to this round's prices by hand
        round_ = services.current_round(year)
        prices = unpack(round_.prices)
        names = economy.commodity_names()
        wp = worker_proposals(economy, prices)
        cp_private, cp_public = consumer_proposals(economy, prices)
        out = economy.wc_output_commodity
        slugs = dict(year.participants.values_list("position", "council__slug").filter(kind="wc"))
        cc_slugs = dict(year.participants.values_list("position", "council__slug").filter(kind="cc"))
        items = []
        off = economy.offsets
        for i in range(economy.n_ccs):
            demand = {names[j]: float(cp_private[i, j]) for j in range(economy.sizes[0])}
            demand |= {names[int(off[4]) + j]: float(cp_public[i, j]) for j in range(economy.sizes[4])}
            items.append({"council": cc_slugs[i], "demand": demand})
        for w in range(economy.n_wcs):
            lo, hi = economy.wc_indptr[w], economy.wc_indptr[w + 1]
            items.append({"council": slugs[w], "supply": {names[out[w]]: float(wp.output[w])},
                          "demand": {names[c]: float(x) for c, x in zip(economy.wc_input_commodity[lo:hi],
                                                                          wp.input_use[lo:hi], strict=True)}})
        # the last council answers by hand and lets this round pass (else the last request would
        # complete the round and close it at once)
        year.participants.filter(council__slug=items[-1]["council"]).update(answers="hand")
        items = items[:-1]
        started = time.perf_counter()
        for start in range(0, len(items), args.per_request):
            body = json.dumps({"proposals": items[start:start + args.per_request]})
            answer = client.post(f"/api/planning/years/{year.pk}/proposals", body, content_type="application/json")
            if answer.status_code != 200:
                sys.exit(f"bulk post refused: {answer.status_code} {answer.content[:300]!r}")
        post_s = time.perf_counter() - started
        started = time.perf_counter()
        closed = services.close_round(user, year)
        close_hand_s = time.perf_counter() - started
        results.append({"councils": size, "import_s": import_s, "close_functions_s": min(closes),
                        "bulk_post_s": post_s, "posted": len(items), "close_proposals_s": close_hand_s,
                        "answered": closed.answered, "max_imbalance_pct": closed.max_imbalance_pct})
        print(json.dumps(results[-1]), flush=True)
    print("\n| councils | import | close a round (functions) | bulk post (all but one) | close a round (stored proposals) |")
    print("|---|---|---|---|---|")
    for r in results:
        print(f"| {r['councils']:,} | {r['import_s']:.2f} s | {r['close_functions_s']:.3f} s | "
              f"{r['bulk_post_s']:.2f} s ({r['posted'] / r['bulk_post_s']:,.0f} councils/s) | {r['close_proposals_s']:.3f} s |")


if __name__ == "__main__":
    main()
