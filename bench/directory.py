"""The directory of organisations at scale: search, filter and "near me" over a generated set.

Fills the directory (PostgreSQL named by DATABASE_URL) with N generated organisations — names
and descriptions from a small vocabulary, kinds and sectors from the core's lists, positions
clustered around 200 towns — then asks the directory page and the API the usual questions
through the whole Django stack (test client: middleware, templates, JSON) and prints the median
and 95th percentile of each, in milliseconds. Target: every question under 200 ms at 100,000.

    DATABASE_URL=postgres://user@host:port/db PARSOC_HOME=/tmp/x \\
        .venv/bin/python bench/directory.py [--size 100000] [--repeat 7]

The directory's table in that database is emptied first (use a database of its own).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time

WORDS = ("solidarity", "bakery", "tools", "housing", "energy", "garden", "credit", "printing", "bicycle", "care",
         "food", "books", "water", "textile", "music", "repair", "seeds", "coffee", "software", "transport")
TOWNS = 200


def organisations(size: int, rng: random.Random):
    from parsoc.orgs.organisation import Organisation
    from parsoc.orgs.vocabulary import SECTORS, Kind

    kinds, sectors = list(Kind), list(SECTORS)
    towns = [(rng.uniform(-45, 65), rng.uniform(-170, 170), f"Town {t}") for t in range(TOWNS)]
    for i in range(size):
        lat, lon, town = towns[i % TOWNS]
        name = f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {i}"
        description = " ".join(rng.choice(WORDS) for _ in range(30))
        yield Organisation(name=name, kind=kinds[i % len(kinds)], sector=sectors[i % len(sectors)],
                           description=description, locality=town, country=("GB", "CA", "ES", "AR", "KE")[i % 5],
                           latitude=round(lat + rng.gauss(0, 0.3), 5), longitude=round(lon + rng.gauss(0, 0.3), 5))


def timed(client, url: str, repeat: int) -> tuple[float, float, int]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        answer = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert answer.status_code == 200, (url, answer.status_code)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(0.95 * len(times)))], len(answer.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("set DATABASE_URL to a PostgreSQL database (see the docstring)")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parsoc.web.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from parsoc.web.orgs.models import Entry
    from parsoc.web.orgs.services import import_organisations

    call_command("migrate", verbosity=0)
    Entry.objects.all().delete()
    start = time.perf_counter()
    count = import_organisations(organisations(args.size, random.Random(7)))
    print(f"{count} organisations written in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE orgs_entry")
    near = Entry.objects.order_by("pk")[count // 2]
    client = Client(HTTP_HOST="localhost")
    questions = {
        "page, no filter": "/organisations/",
        "words": "/organisations/?q=bicycle+repair",
        "kind": "/organisations/?kind=credit_union",
        "kind + country": "/organisations/?kind=worker_coop&country=ES",
        "sector": "/organisations/?sector=Housing",
        "near me, 50 km": f"/organisations/?lat={near.latitude}&lon={near.longitude}&km=50",
        "near me + kind, 200 km": f"/organisations/?lat={near.latitude}&lon={near.longitude}&km=200&kind=housing_coop",
        "page 40": "/organisations/?page=40",
        "API words": "/api/orgs/?q=seeds",
        "API near me, 50 km": f"/api/orgs/?lat={near.latitude}&lon={near.longitude}&km=50",
    }
    client.get("/organisations/")  # warm
    print(f"| question ({count} organisations, PostgreSQL) | median ms | p95 ms |")
    print("|---|---:|---:|")
    for label, url in questions.items():
        median, p95, _ = timed(client, url, args.repeat)
        print(f"| {label} | {median:.0f} | {p95:.0f} |")


if __name__ == "__main__":
    main()
