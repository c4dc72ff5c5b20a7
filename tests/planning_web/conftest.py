from __future__ import annotations

from dataclasses import dataclass

import pytest

GOODS = [
    {"category": "private", "name": "bread", "unit": "loaf"},
    {"category": "intermediate", "name": "flour", "unit": "kg"},
    {"category": "nature", "name": "land", "unit": "ha", "endowment": 1000},
    {"category": "labor", "name": "hours", "unit": "h", "endowment": 1000},
    {"category": "public", "name": "park", "unit": "m2"},
]


@dataclass
class PlanWorld:
    federation: object
    bakery: object
    mill: object
    north: object
    south: object
    facilitator: object
    baker: object
    miller: object
    neighbour: object
    other_neighbour: object
    outsider: object
    year: object

    def participant(self, council):
        return self.year.participants.get(council=council)


@pytest.fixture
def plan_world(db, make_user) -> PlanWorld:
    from parsoc.councils.kinds import CouncilKind, Role, Visibility
    from parsoc.web.councils.models import Council, Membership
    from parsoc.web.planning import services

    people = {n: make_user(n) for n in ("Fran Facilitator", "Bea Baker", "Milo Miller", "Nell Neighbour",
                                        "Ola Other", "Otto Outsider")}
    fed = Council.objects.create(name="Valley Federation", slug="valley", kind=CouncilKind.FEDERATION,
                                 visibility=Visibility.PUBLIC)
    district = Council.objects.create(name="District", slug="district", kind=CouncilKind.CHAPTER, parent=fed)
    bakery = Council.objects.create(name="Bakery", slug="bakery", kind=CouncilKind.WORKER_COUNCIL, parent=fed)
    mill = Council.objects.create(name="Mill", slug="mill", kind=CouncilKind.WORKER_COUNCIL, parent=district)
    north = Council.objects.create(name="North", slug="north", kind=CouncilKind.CONSUMER_COUNCIL, parent=fed)
    south = Council.objects.create(name="South", slug="south", kind=CouncilKind.CONSUMER_COUNCIL, parent=district)
    Membership.objects.create(council=fed, user=people["Fran Facilitator"], role=Role.FACILITATOR)
    Membership.objects.create(council=bakery, user=people["Bea Baker"], role=Role.FACILITATOR)
    Membership.objects.create(council=mill, user=people["Milo Miller"], role=Role.FACILITATOR)
    Membership.objects.create(council=north, user=people["Nell Neighbour"])
    Membership.objects.create(council=north, user=people["Ola Other"])
    Membership.objects.create(council=south, user=people["Ola Other"])
    year = services.open_year(people["Fran Facilitator"], fed, title="Plan 2027", goods=GOODS)
    return PlanWorld(fed, bakery, mill, north, south, people["Fran Facilitator"], people["Bea Baker"],
                     people["Milo Miller"], people["Nell Neighbour"], people["Ola Other"], people["Otto Outsider"], year)
