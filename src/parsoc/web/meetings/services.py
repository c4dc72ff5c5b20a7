"""What people do with polls and meetings, in one place for the web pages and the API alike.

Each function checks the permission, checks the input against the pure rules in
:mod:`parsoc.meetings`, and writes inside one transaction. Refusals raise ``PermissionDenied``
(not allowed) or :class:`~parsoc.errors.InputError` (wrong input, with a message that says
what and where).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from parsoc.errors import InputError
from parsoc.meetings import ics, quorum, rotation, scheduling
from parsoc.meetings.live import LiveMeeting
from parsoc.meetings.stack import StackRules
from parsoc.numbers import AGENDA_MINUTES_MAX, COUNT_MAX, parse_id, parse_int
from parsoc.usertext import check_link
from parsoc.web.core.mail import has_line_break
from parsoc.web.councils.services import require
from parsoc.web.meetings.models import (
    ActionItem,
    AgendaItem,
    AttendanceRecord,
    CalendarFeed,
    Meeting,
    MeetingSettings,
    Poll,
    PollAnswer,
    RoleAssignment,
    TimeOption,
)
from parsoc.web.notifications.kinds import Kind
from parsoc.web.notifications.services import notify


def settings_for(council) -> MeetingSettings:
    found, _ = MeetingSettings.objects.get_or_create(council=council)
    return found


def update_settings(user, council, **fields) -> MeetingSettings:
    require(user, "meetings.change_settings", council)
    found = settings_for(council)
    if "quorum" in fields:
        # refuses a malformed rule; stored in its short canonical form (fits the 16-character column)
        fields["quorum"] = str(quorum.QuorumRule.parse(fields["quorum"]).fraction)
    if "quorum_minimum" in fields:
        fields["quorum_minimum"] = parse_int(fields["quorum_minimum"], "quorum_minimum", low=0, high=COUNT_MAX)
    for name, value in fields.items():
        setattr(found, name, value)
    found.save()
    return found


# -- scheduling polls --------------------------------------------------------------------------


def create_poll(user, council, *, title: str, description: str = "", location: str = "",
                open_link: bool = False) -> Poll:
    require(user, "meetings.create_poll", council, "only members of the council can start a poll")
    title = _one_line_title(title, "a poll")
    if open_link and not settings_for(council).allow_outside_answers:
        raise InputError("open_link: this council does not allow answers from outside", field="open_link")
    with transaction.atomic():
        poll = Poll.objects.create(council=council, title=title, description=description.strip(),
                                   location=location.strip(), open_link=open_link, created_by=user)
        notify(Kind.POLL_OPENED, [m.user for m in council.memberships.select_related("user")], actor=user,
               council=council, title=f"When shall we meet? {title}", url=poll.get_absolute_url(),
               context={"scheduling_poll": poll.pk})
    return poll


def add_option(user, poll: Poll, *, start: str | datetime, zone: str, minutes: int,
               now: datetime | None = None) -> TimeOption:
    require(user, "meetings.manage_poll", poll, "only the poll's author or a facilitator can add times")
    if poll.closed:
        raise InputError(f"the poll {poll.title!r} is closed")
    option = scheduling.time_option(start, zone, minutes, now or timezone.now())
    return TimeOption.objects.create(poll=poll, start=option.start, minutes=int(option.duration.total_seconds()) // 60, zone=option.zone)


def _parse_choices(poll: Poll, choices: Mapping[Any, str]) -> dict[str, str]:
    ids = {str(pk) for pk in poll.options.values_list("pk", flat=True)}
    parsed: dict[str, str] = {}
    for key, value in choices.items():
        if str(key) not in ids:
            raise InputError(f"option {key} is not a time in the poll {poll.title!r}")
        parsed[str(key)] = scheduling.Availability.parse(value).value
    return parsed


def answer_poll(user, poll: Poll, choices: Mapping[Any, str], *, comment: str = "",
                name: str = "", token: str | None = None) -> PollAnswer:
    """Record an answer: a member's (replacing their earlier one), or an outsider's by link."""
    if token is None:
        require(user, "meetings.answer_poll", poll,
                "only members of the council can answer this poll")
    elif not (poll.open_link and token == poll.link_token
              and settings_for(poll.council).allow_outside_answers):
        raise PermissionDenied("this link does not let you answer the poll")
    if poll.closed:
        raise InputError(f"the poll {poll.title!r} is closed; answers are no longer taken")
    parsed = _parse_choices(poll, choices)
    with transaction.atomic():
        if token is None:
            answer, _ = PollAnswer.objects.update_or_create(
                poll=poll, user=user, defaults={"choices": parsed, "comment": comment.strip()}
            )
            return answer
        name = (name or "").strip()
        if not name:
            raise InputError("name: tell the council who you are", field="name")
        return PollAnswer.objects.create(poll=poll, name=name[:120], choices=parsed,
                                         comment=comment.strip())


@dataclass
class PollResults:
    options: list[TimeOption]
    answers: list[PollAnswer]
    tally: scheduling.PollTally
    best: int | None

    def rows(self) -> list[dict[str, Any]]:
        """One row per option for the heat-map table (counts, heat in percent, best or not)."""
        return [
            {"option": option, "yes": int(self.tally.yes[i]),
             "ifneedbe": int(self.tally.if_need_be[i]), "no": int(self.tally.no[i]),
             "heat": round(float(self.tally.heat[i]) * 100),
             "alpha": f"{float(self.tally.heat[i]) * 0.6:.2f}", "best": i == self.best}
            for i, option in enumerate(self.options)
        ]


def poll_results(poll: Poll) -> PollResults:
    options = list(poll.options.all())
    index = {str(o.pk): i for i, o in enumerate(options)}
    answers = list(poll.answers.select_related("user"))
    by_person = {
        a.pk: {index[k]: v for k, v in a.choices.items() if k in index} for a in answers
    }
    counts = scheduling.tally(len(options), by_person)
    core_options = [scheduling.TimeOption(o.start, o.duration, o.zone) for o in options]
    return PollResults(options, answers, counts, scheduling.best_slot(core_options, counts))


def close_poll(user, poll: Poll) -> None:
    require(user, "meetings.manage_poll", poll, "only the poll's author or a facilitator can close it")
    poll.closed = True
    poll.save(update_fields=["closed"])


def finalise_poll(user, poll: Poll, option_id: int | None = None) -> Meeting:
    """Close the poll, create the meeting at the chosen (default: best) time, invite members."""
    require(user, "meetings.manage_poll", poll, "only the poll's author or a facilitator can finalise it")
    if poll.meeting_id:
        raise InputError(f"the poll {poll.title!r} is already finalised")
    results = poll_results(poll)
    if option_id is None:
        if results.best is None:
            raise InputError(f"the poll {poll.title!r} has no times to choose from")
        option = results.options[results.best]
    else:
        option = next((o for o in results.options if o.pk == parse_id(option_id, "option")), None)
        if option is None:
            raise InputError(f"option {option_id} is not a time in the poll {poll.title!r}")
    with transaction.atomic():
        meeting = Meeting.objects.create(
            council=poll.council, title=poll.title, start=option.start,
            minutes_long=option.minutes, zone=option.zone, location=poll.location,
            description=poll.description,
        )
        poll.closed, poll.chosen, poll.meeting = True, option, meeting
        poll.save(update_fields=["closed", "chosen", "meeting"])
        send_invitation(meeting, actor=user)
    return meeting


def calendar_event(meeting: Meeting, base_url: str = "") -> ics.CalendarEvent:
    return ics.CalendarEvent(
        uid=f"{meeting.uid}@parsoc", title=f"{meeting.title} ({meeting.council.name})",
        start=meeting.start, duration=meeting.duration, location=meeting.location,
        description=meeting.description, url=base_url + meeting.get_absolute_url(),
        sequence=meeting.sequence, cancelled=meeting.status == Meeting.Status.CANCELLED,
    )


def _one_line_title(title, what: str) -> str:
    """A title is one line (it becomes an e-mail subject and a calendar summary)."""
    title = (title or "").strip()
    if not title:
        raise InputError(f"title: {what} needs a title", field="title")
    if has_line_break(title):
        raise InputError("title: a title is one line (no line breaks)", field="title")
    return title


def send_invitation(meeting: Meeting, actor=None) -> int:
    """Tell every member of the council about the meeting (parsoc.web.notifications): the
    e-mail sent at once carries the meeting as an ``.ics`` file; sent once the meeting is
    committed (a failed send is logged; the meeting stands). Returns how many were told."""
    local = meeting.start.astimezone(scheduling.parse_zone(meeting.zone))
    body = (
        f"{meeting.council.name} meets: {meeting.title}\n"
        f"{local:%A %d %B %Y, %H:%M} ({meeting.zone}), {meeting.minutes_long} minutes\n"
        + (f"Where: {meeting.location}\n" if meeting.location else "")
    )
    members = [m.user for m in meeting.council.memberships.select_related("user")]
    return notify(Kind.MEETING_SCHEDULED, members, actor=actor, council=meeting.council,
                  title=f"Invitation: {meeting.title}", url=meeting.get_absolute_url(),
                  context={"body": body, "meeting": meeting.pk},
                  attachments=[("meeting.ics", ics.calendar_bytes([calendar_event(meeting)]).decode(), "text/calendar")])


# -- meetings --------------------------------------------------------------------------------


def create_meeting(user, council, *, title: str, start: str | datetime, zone: str, minutes: int,
                   location: str = "", description: str = "",
                   now: datetime | None = None) -> Meeting:
    require(user, "meetings.create_meeting", council, "only facilitators can call a meeting")
    title = _one_line_title(title, "a meeting")
    if has_line_break(location):
        raise InputError("location: write the place on one line", field="location")
    option = scheduling.time_option(start, zone, minutes, now or timezone.now())
    with transaction.atomic():
        meeting = Meeting.objects.create(
            council=council, title=title, start=option.start,
            minutes_long=int(option.duration.total_seconds()) // 60,
            zone=option.zone, location=location.strip(), description=description.strip(),
        )
        send_invitation(meeting, actor=user)
    return meeting


def add_agenda_item(user, meeting: Meeting, *, title: str, minutes: int = 10,
                    proposal_url: str = "", proposal=None) -> AgendaItem:
    require(user, "meetings.change_meeting", meeting)
    if proposal is not None and proposal.council_id != meeting.council_id:
        raise InputError("proposal: that proposal belongs to another council", field="proposal")
    title = (title or "").strip()
    if not title:
        raise InputError("title: an agenda item needs a title", field="title")
    minutes = parse_int(minutes, "minutes", low=1, high=AGENDA_MINUTES_MAX)
    proposal_url = check_link(proposal_url, "proposal_url")
    position = meeting.agenda.count()
    return AgendaItem.objects.create(meeting=meeting, title=title, minutes=minutes,
                                     proposal_url=proposal_url, proposal=proposal, position=position)


def record_attendance(user, meeting: Meeting, person, status: str) -> AttendanceRecord:
    require(user, "meetings.run_meeting", meeting)
    if person is None:
        raise InputError("person: choose a member", field="person")
    status = quorum.Attendance.parse(status).value
    record, _ = AttendanceRecord.objects.update_or_create(
        meeting=meeting, user=person, defaults={"status": status}
    )
    return record


def attendance(meeting: Meeting) -> quorum.AttendanceSummary:
    found = settings_for(meeting.council)
    rule = quorum.QuorumRule.parse(found.quorum, found.quorum_minimum, found.remote_counts)
    members = meeting.council.memberships.values_list("user_id", flat=True)
    records = dict(meeting.attendance.values_list("user_id", "status"))
    return quorum.attendance_summary(members, records, rule)


def role_suggestion(meeting: Meeting, recent: int = 20) -> dict[str, Any]:
    """Who should take each role: who held it least in the council's recent meetings."""
    members = list(
        meeting.council.memberships.select_related("user").order_by("joined_at", "pk")
    )
    past = (Meeting.objects.filter(council=meeting.council, start__lt=meeting.start)
            .order_by("-start")[:recent])
    history = [list(m.roles.values_list("user_id", "role")) for m in reversed(list(past))]
    users = {m.user_id: m.user for m in members}
    chosen = rotation.suggest_roles(list(rotation.ROLES), list(users), history)
    return {role: users.get(pk) for role, pk in chosen.items()}


def assign_role(user, meeting: Meeting, role: str, person) -> RoleAssignment:
    require(user, "meetings.change_meeting", meeting)
    if role not in rotation.ROLES:
        raise InputError(f"role: {role!r} is not one of {', '.join(rotation.ROLES)}", field="role")
    if not meeting.council.memberships.filter(user=person).exists():
        raise InputError(f"{person} is not a member of {meeting.council.name}")
    assignment, _ = RoleAssignment.objects.update_or_create(
        meeting=meeting, role=role, defaults={"user": person}
    )
    return assignment


def end_meeting(user, meeting: Meeting) -> None:
    """Close the meeting: the live page stops taking hands; minutes can still be written."""
    require(user, "meetings.change_meeting", meeting)
    if meeting.status == Meeting.Status.ENDED:
        raise InputError(f"the meeting {meeting.title!r} has already ended")
    meeting.status = Meeting.Status.ENDED
    meeting.save(update_fields=["status"])


def write_minutes(user, meeting: Meeting, text: str, publish: bool = False) -> None:
    require(user, "meetings.write_minutes", meeting, "only the note taker or a facilitator can write minutes")
    meeting.minutes_text = text
    meeting.minutes_published = bool(publish)
    meeting.save(update_fields=["minutes_text", "minutes_published"])


def add_action(user, meeting: Meeting, text: str, owner=None, due=None) -> ActionItem:
    require(user, "meetings.write_minutes", meeting, "only the note taker or a facilitator can add action items")
    text = (text or "").strip()
    if not text:
        raise InputError("text: an action item needs a description", field="text")
    if owner is not None and not meeting.council.memberships.filter(user=owner).exists():
        raise InputError(f"owner: {owner} is not a member of {meeting.council.name}", field="owner")
    return ActionItem.objects.create(meeting=meeting, text=text, owner=owner, due=due)


# -- calendar feeds --------------------------------------------------------------------------


def feed_token(user, renew: bool = False) -> str:
    feed, created = CalendarFeed.objects.get_or_create(user=user)
    if renew and not created:
        feed.token = CalendarFeed._meta.get_field("token").default()
        feed.save(update_fields=["token"])
    return feed.token


def council_calendar(council, base_url: str = "") -> bytes:
    meetings = council.meetings.select_related("council").order_by("start")
    return ics.calendar_bytes([calendar_event(m, base_url) for m in meetings], name=council.name)


def person_calendar(token: str, base_url: str = "") -> bytes | None:
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None:
        return None
    meetings = (Meeting.objects.filter(council__memberships__user=feed.user)
                .select_related("council").order_by("start").distinct())
    return ics.calendar_bytes([calendar_event(m, base_url) for m in meetings],
                              name=f"parsoc: {feed.user.display_name}")


# -- live facilitation -----------------------------------------------------------------------

PERSON_ACTIONS = {"raise", "lower", "signal"}
KEEPER_ACTIONS = {"next", "finish", "check", "end_check", "rules"}


def live_state(meeting: Meeting) -> LiveMeeting:
    """The meeting's live state; a meeting not yet in session starts with its council's rules."""
    if meeting.live_state:
        return LiveMeeting.from_json(meeting.live_state)
    found = settings_for(meeting.council)
    return LiveMeeting(rules=StackRules(found.not_yet_spoken_first, found.under_heard_first,
                                        found.fewest_turns_first))


def live_snapshot(meeting: Meeting) -> dict[str, Any]:
    return live_state(meeting).snapshot()


def live_act(user, meeting_id: int, action: str, **data) -> dict[str, Any]:
    """Apply one live change under a row lock and return the new snapshot."""
    if action not in PERSON_ACTIONS | KEEPER_ACTIONS:
        raise InputError(f"unknown action {action!r}")
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().select_related("council").get(pk=meeting_id)
        if action in KEEPER_ACTIONS:
            require(user, "meetings.run_meeting", meeting,
                    "only the facilitator or stack keeper can do that")
        else:
            require(user, "meetings.take_part", meeting,
                    "you are not in this meeting: only members of the council can raise hands")
        if meeting.status in (Meeting.Status.ENDED, Meeting.Status.CANCELLED):
            done = "ended" if meeting.status == Meeting.Status.ENDED else "been cancelled"
            raise InputError(f"the meeting {meeting.title!r} has {done}")
        live = live_state(meeting)
        me = str(user.pk)
        if action in PERSON_ACTIONS and me not in live.names:
            live.join(me, user.display_name)
        if action == "raise":
            live.raise_hand(me, data.get("kind", "new"), bool(data.get("under_heard")))
        elif action == "lower":
            live.lower_hand(me, data.get("kind") or None)
        elif action == "signal":
            live.show_signal(me, data.get("signal", ""))
        elif action == "next":
            live.call_next()
        elif action == "finish":
            live.finish_speaking()
        elif action == "check":
            live.start_check(data.get("question", ""))
        elif action == "end_check":
            live.end_check()
        elif action == "rules":
            rules = StackRules.from_dict(data.get("rules") or {})
            live.set_rules(rules)
        if meeting.status == Meeting.Status.SCHEDULED:
            meeting.status = Meeting.Status.LIVE
            notify(Kind.MEETING_STARTING, [m.user for m in meeting.council.memberships.select_related("user")],
                   actor=user, council=meeting.council, title=f"Starting now: {meeting.title}",
                   url=reverse("meetings:live", args=[meeting.pk]), context={"meeting": meeting.pk})
        meeting.live_state, meeting.live_version = live.to_json(), live.version
        meeting.save(update_fields=["live_state", "live_version", "status"])
        transaction.on_commit(lambda: _announce(meeting.pk))
        return live.snapshot()


def _announce(meeting_id: int) -> None:
    """Wake this process's stream watcher at once (other processes see it at their next tick)."""
    from parsoc.web.meetings.stream import FEED

    FEED.poke(meeting_id)


def live_join(user, meeting: Meeting) -> None:
    """Count a member who opened the live page as present in the room (once)."""
    if not user.has_perm("meetings.take_part", meeting):
        return
    if str(user.pk) in meeting.live_state.get("names", {}):
        return
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        live = live_state(locked)
        live.join(str(user.pk), user.display_name)
        locked.live_state, locked.live_version = live.to_json(), live.version
        locked.save(update_fields=["live_state", "live_version"])
