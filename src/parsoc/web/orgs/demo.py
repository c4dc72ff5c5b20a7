"""Demo organisations near the demo federation's chapters (Glasgow, Winnipeg, Barcelona)."""

from __future__ import annotations

from parsoc.orgs.organisation import Organisation, checked
from parsoc.orgs.vocabulary import Kind

DEMO = [
    Organisation(name="Clydeside Bakers", kind=Kind.WORKER_COOP, sector="Retail", locality="Glasgow", country="GB",
                 latitude=55.8642, longitude=-4.2518, size="6-20",
                 description="A worker-owned bakery: every baker is a member, and the members decide together."),
    Organisation(name="Glasgow Tool Library", kind=Kind.MUTUAL_AID, sector="Community", locality="Glasgow",
                 country="GB", latitude=55.8554, longitude=-4.2420,
                 description="Lends tools to neighbours, run by volunteers."),
    Organisation(name="Paisley Credit Union", kind=Kind.CREDIT_UNION, sector="Banking and credit",
                 locality="Paisley", country="GB", latitude=55.8456, longitude=-4.4239,
                 description="Savings and loans owned by the people who use them."),
    Organisation(name="Assiniboine Credit Union", kind=Kind.CREDIT_UNION, sector="Banking and credit",
                 locality="Winnipeg", country="CA", latitude=49.8951, longitude=-97.1384),
    Organisation(name="Red River Housing Co-op", kind=Kind.HOUSING_COOP, sector="Housing", locality="Winnipeg",
                 country="CA", latitude=49.8844, longitude=-97.1470),
    Organisation(name="Som Energia", kind=Kind.CONSUMER_COOP, sector="Environment", locality="Girona",
                 country="ES", latitude=41.9794, longitude=2.8214,
                 description="Cooperativa de consumo de energía renovable."),
    Organisation(name="Coop57", kind=Kind.COOPERATIVE, sector="Banking and credit", locality="Barcelona",
                 country="ES", latitude=41.3851, longitude=2.1734,
                 description="Cooperativa de servicios financieros éticos y solidarios."),
]


def load(world) -> None:
    """Idempotent: adds the demo organisations that are not in the directory yet."""
    from parsoc.web.orgs.models import Entry

    added_by = world.people[0] if world.people else None
    for organisation in DEMO:
        if not Entry.objects.filter(name=organisation.name).exists():
            Entry.objects.create(added_by=added_by, **Entry.fields_of(checked(organisation)))
