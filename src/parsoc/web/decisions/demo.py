"""Demo decisions for ``make demo`` (idempotent): in the Glasgow Chapter, a closed
modified-consensus decision that went through a block, a second round and the nine-tenths
vote; a proposal under discussion with a question, a concern and an amendment; and an open
secret ballot."""

from __future__ import annotations

from parsoc.councils.kinds import Role


def load_demo_decisions(councils) -> None:
    from parsoc.web.comments import services as discussion
    from parsoc.web.comments.text import handle_of
    from parsoc.web.decisions import services
    from parsoc.web.decisions.models import Proposal

    council = councils.get("glasgow")
    if council is None or Proposal.objects.filter(council=council).exists():
        return
    memberships = list(council.memberships.select_related("user").order_by("user__pk"))
    facilitator = next(m.user for m in memberships if m.role == Role.FACILITATOR)
    members = [m.user for m in memberships if m.user != facilitator]

    kitchen = services.create_proposal(members[0], council, title="Move the kitchen to the north tent",
                                       body="The kitchen moves to the north tent, with a hose from the fountain.")
    services.set_stage(members[0], kitchen, "discussion")
    discussion.post(members[1], kitchen, body="There is no water at the north tent.", tag="concern")
    kitchen = services.open_decision(facilitator, kitchen, rule="modified_consensus")
    everyone = [facilitator, *members]
    blocker = everyone[-1]
    for round_kinds in (("agree", "block"), ("agree", "block"), ("yes", "no")):
        for person in everyone:
            kind = round_kinds[1] if person == blocker else round_kinds[0]
            services.cast(person, kitchen, kind=kind, reason="It cuts the kitchen off from water." if kind == "block" else "")
        if round_kinds[0] == "agree":
            kitchen = services.next_round(facilitator, kitchen)
    services.close(facilitator, kitchen, statement="The kitchen moves north once the hose is in.")

    library = services.create_proposal(members[2], council, title="A lending library of tools",
                                       body="Members lend tools through a shared shelf at the social centre.",
                                       question="What do we do with the back room?")
    services.set_stage(members[2], library, "discussion")
    keys = discussion.post(members[3], library, body="Who keeps the keys?", tag="question")
    asker = handle_of(members[3], discussion.candidates(library))
    discussion.post(members[0], library, parent=keys,
                    body=f"@{asker} the **facilitators** keep a spare set; the rest:\n\n- one at the bar\n- one at the door")
    discussion.post(members[4], library, body="Add a sign-out book.", tag="amendment")

    spoke = services.create_proposal(facilitator, council, title="Send Ewan as spoke to the federation",
                                     body="Ewan speaks for the chapter at the federation's assembly this season.")
    services.set_stage(facilitator, spoke, "discussion")
    spoke = services.open_decision(facilitator, spoke, rule="simple_majority", secret=True, hide_results=True)
    for person in members[:3]:
        token = services.issue_ballot(person, spoke)
        services.cast_ballot(spoke, token=token, kind="yes")


def load(world) -> None:
    """The app's demo loader, as its declaration names it (world: parsoc.web.demo.DemoWorld)."""
    load_demo_decisions(world.councils)
