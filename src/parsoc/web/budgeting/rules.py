"""Who may do what in a participatory budgeting process (objects carry their council)."""

from __future__ import annotations

import rules

from parsoc.web.councils.rules import can_manage, can_view, is_member


def _council(obj):
    return getattr(obj, "council", None)


@rules.predicate
def can_view_process(user, process) -> bool:
    return process is not None and can_view(user, _council(process))


@rules.predicate
def manages_process(user, process) -> bool:
    return process is not None and can_manage(user, _council(process))


@rules.predicate
def member_of_process(user, process) -> bool:
    return process is not None and is_member(user, _council(process))


def _in_phase(phase):
    @rules.predicate(name=f"in_{phase}")
    def check(user, process) -> bool:
        return process is not None and process.phase == phase

    return check


rules.add_perm("budgeting.view_process", can_view_process)
rules.add_perm("budgeting.create_process", can_manage)  # object: the council
rules.add_perm("budgeting.manage_process", manages_process)
rules.add_perm("budgeting.propose", member_of_process & _in_phase("proposals"))
rules.add_perm("budgeting.review", manages_process & _in_phase("review"))
rules.add_perm("budgeting.vote", member_of_process & _in_phase("voting"))
rules.add_perm("budgeting.view_results", can_view_process & _in_phase("results"))
# The ballots themselves (export.pb): facilitators only while the process is open; once the
# results are out, whoever may see the process (anyone on a public council, else members).
rules.add_perm("budgeting.export_ballots", manages_process | (can_view_process & _in_phase("results")))
