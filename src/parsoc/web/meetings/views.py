"""Meeting pages. Every view asks a permission (``rules``) through the services before it shows
or changes anything. Wrong input comes back as a message on the page (status 303 to the page,
which shows it); JSON actions answer ``{"detail": ...}`` with 400 or 403.
"""

from __future__ import annotations

import json
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from parsoc.errors import InputError
from parsoc.meetings.quorum import Attendance
from parsoc.meetings.rotation import ROLES
from parsoc.meetings.scheduling import Availability
from parsoc.numbers import AGENDA_MINUTES_MAX, COUNT_MAX, parse_id, parse_int
from parsoc.web.accounts.models import User
from parsoc.web.accounts.throttle import admit_write, client_ip
from parsoc.web.core.shortcuts import get_visible_or_404
from parsoc.web.core.views import too_many_requests
from parsoc.web.councils.models import Council
from parsoc.web.meetings import services
from parsoc.web.meetings.models import Meeting, Poll

COMMON_ZONES = ["UTC", "Europe/London", "Europe/Berlin", "Europe/Madrid", "America/New_York",
                "America/Chicago", "America/Los_Angeles", "America/Sao_Paulo", "Asia/Kolkata",
                "Asia/Tokyo", "Australia/Sydney", "Africa/Johannesburg"]


def _council(request, slug) -> Council:
    return get_visible_or_404(request.user, Council, "meetings.view", slug=slug)


def _poll(request, pk) -> Poll:
    return get_visible_or_404(request.user, Poll.objects.select_related("council"), "meetings.view", pk=pk)


def _meeting(request, pk) -> Meeting:
    return get_visible_or_404(request.user, Meeting.objects.select_related("council"), "meetings.view", pk=pk)


def acting(back):
    """Run a POST action; wrong input becomes a message on the page it came from."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                result = view(request, *args, **kwargs)
            except InputError as error:
                messages.error(request, str(error))
                result = None
            if result is None:
                response = redirect(back(request, *args, **kwargs))
                response.status_code = 303
                return response
            return result

        return require_POST(wrapper)

    return decorate


def _member(council, user_id) -> User | None:
    if not user_id:
        return None
    membership = council.memberships.select_related("user").filter(user_id=parse_id(user_id, "person")).first()
    if membership is None:
        raise InputError(f"person {user_id} is not a member of {council.name}")
    return membership.user


# -- council overview ------------------------------------------------------------------------


def council_meetings(request, slug):
    council = _council(request, slug)
    user = request.user
    return render(request, "meetings/council.html", {
        "council": council,
        "polls": council.polls.all(),
        "meetings": council.meetings.all(),
        "settings": services.settings_for(council),
        "can_poll": user.has_perm("meetings.create_poll", council),
        "can_call": user.has_perm("meetings.create_meeting", council),
        "can_configure": user.has_perm("meetings.change_settings", council),
        "zones": COMMON_ZONES,
    })


def _back_to_council(request, slug, **_):
    return reverse("meetings:council", args=[slug])


@login_required
@acting(_back_to_council)
def create_poll(request, slug):
    council = _council(request, slug)
    poll = services.create_poll(
        request.user, council, title=request.POST.get("title", ""),
        description=request.POST.get("description", ""),
        location=request.POST.get("location", ""), open_link=bool(request.POST.get("open_link")),
    )
    return redirect(poll.get_absolute_url())


@login_required
@acting(_back_to_council)
def create_meeting(request, slug):
    council = _council(request, slug)
    meeting = services.create_meeting(
        request.user, council, title=request.POST.get("title", ""),
        start=request.POST.get("start", ""), zone=request.POST.get("zone", ""),
        minutes=request.POST.get("minutes", ""), location=request.POST.get("location", ""),
        description=request.POST.get("description", ""),
    )
    return redirect(meeting.get_absolute_url())


@login_required
@acting(_back_to_council)
def change_settings(request, slug):
    council = _council(request, slug)
    post = request.POST
    minimum = parse_int(post.get("quorum_minimum", "1"), "quorum_minimum", low=0, high=COUNT_MAX)
    services.update_settings(
        request.user, council,
        not_yet_spoken_first=bool(post.get("not_yet_spoken_first")),
        under_heard_first=bool(post.get("under_heard_first")),
        fewest_turns_first=bool(post.get("fewest_turns_first")),
        allow_outside_answers=bool(post.get("allow_outside_answers")),
        remote_counts=bool(post.get("remote_counts")),
        quorum=post.get("quorum", "1/2"), quorum_minimum=minimum,
    )
    messages.success(request, "Meeting settings saved.")


# -- polls -------------------------------------------------------------------------------------


def poll(request, pk):
    found = _poll(request, pk)
    user = request.user
    results = services.poll_results(found)
    mine = {}
    if user.is_authenticated:
        answer = next((a for a in results.answers if a.user_id == user.pk), None)
        mine = answer.choices if answer else {}
    return render(request, "meetings/poll.html", _poll_context(request, found, results, mine) | {
        "can_answer": user.has_perm("meetings.answer_poll", found) and not found.closed,
        "can_manage": user.has_perm("meetings.manage_poll", found),
        "link": request.build_absolute_uri(reverse("meetings:outside_answer", args=[found.link_token]))
        if found.open_link else "",
    })


def _poll_context(request, found, results, mine):
    grid = []
    for answer in results.answers:
        grid.append((answer, [answer.choices.get(str(o.pk), "") for o in results.options]))
    return {
        "poll": found, "results": results, "rows": list(results.rows()), "grid": grid,
        "mine": {int(k): v for k, v in mine.items()},
        "answers": [a.value for a in Availability], "zones": COMMON_ZONES,
    }


def _choices_from(post, options) -> dict[int, str]:
    return {o.pk: post[f"option-{o.pk}"] for o in options if post.get(f"option-{o.pk}")}


def _back_to_poll(request, pk, **_):
    return reverse("meetings:poll", args=[pk])


@login_required
@acting(_back_to_poll)
def answer_poll(request, pk):
    found = _poll(request, pk)
    services.answer_poll(request.user, found, _choices_from(request.POST, found.options.all()),
                         comment=request.POST.get("comment", ""))
    messages.success(request, "Your answer is saved.")


@login_required
@acting(_back_to_poll)
def add_option(request, pk):
    found = _poll(request, pk)
    services.add_option(request.user, found, start=request.POST.get("start", ""),
                        zone=request.POST.get("zone", ""), minutes=request.POST.get("minutes", ""))


@login_required
@acting(_back_to_poll)
def close_poll(request, pk):
    services.close_poll(request.user, _poll(request, pk))


@login_required
@acting(_back_to_poll)
def finalise_poll(request, pk):
    found = _poll(request, pk)
    meeting = services.finalise_poll(request.user, found, request.POST.get("option") or None)
    messages.success(request, "The meeting is scheduled and the invitations are sent.")
    return redirect(meeting.get_absolute_url())


def outside_answer(request, token):
    found = Poll.objects.select_related("council").filter(link_token=token, open_link=True).first()
    if found is None or not services.settings_for(found.council).allow_outside_answers:
        raise Http404("No such poll")
    if request.method == "POST":
        if not admit_write("outside_answer", client_ip(request)):
            return too_many_requests(request)
        try:
            services.answer_poll(request.user, found,
                                 _choices_from(request.POST, found.options.all()),
                                 comment=request.POST.get("comment", ""),
                                 name=request.POST.get("name", ""), token=token)
        except InputError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Thank you, your answer is saved.")
        response = redirect(request.path)
        response.status_code = 303
        return response
    results = services.poll_results(found)
    return render(request, "meetings/poll.html", _poll_context(request, found, results, {}) | {
        "can_answer": not found.closed, "outside": True,
    })


# -- meetings ----------------------------------------------------------------------------------


def _council_proposal(council, raw: str):
    """The proposal of ``council`` with id ``raw`` (empty: none); anything else is refused."""
    from parsoc.web.decisions.models import Proposal

    if not raw:
        return None
    proposal = Proposal.objects.filter(pk=parse_id(raw, "proposal")).first()
    if proposal is None or proposal.council_id != council.pk:
        raise InputError("proposal: no such proposal in this council", field="proposal")
    return proposal


def meeting(request, pk):
    found = _meeting(request, pk)
    user = request.user
    can_change = user.has_perm("meetings.change_meeting", found)
    return render(request, "meetings/meeting.html", {
        "meeting": found, "council": found.council,
        "agenda": found.agenda.select_related("proposal"), "roles": found.roles.select_related("user"),
        "proposals": found.council.proposals.order_by("-pk")[:50] if can_change else [],
        "actions": found.actions.select_related("owner"),
        "attendance": services.attendance(found),
        "records": found.attendance.select_related("user"),
        "members": found.council.memberships.select_related("user"),
        "suggestion": services.role_suggestion(found) if can_change else {},
        "role_names": ROLES,
        "can_change": can_change,
        "can_run": user.has_perm("meetings.run_meeting", found),
        "can_write": user.has_perm("meetings.write_minutes", found),
        "can_read_minutes": user.has_perm("meetings.read_minutes", found),
        "statuses": Attendance.values(),
    })


def _back_to_meeting(request, pk, **_):
    return reverse("meetings:meeting", args=[pk])


@login_required
@acting(_back_to_meeting)
def meeting_change(request, pk, what):
    found = _meeting(request, pk)
    post, user = request.POST, request.user
    if what == "agenda":
        minutes = parse_int(post.get("minutes", "10"), "minutes", low=1, high=AGENDA_MINUTES_MAX)
        services.add_agenda_item(user, found, title=post.get("title", ""), minutes=minutes,
                                 proposal_url=post.get("proposal_url", ""),
                                 proposal=_council_proposal(found.council, post.get("proposal", "")))
    elif what == "attendance":
        services.record_attendance(user, found, _member(found.council, post.get("person")),
                                   post.get("status", ""))
    elif what == "role":
        services.assign_role(user, found, post.get("role", ""),
                             _member(found.council, post.get("person")))
    elif what == "suggested-roles":
        for role, person in services.role_suggestion(found).items():
            if person is not None:
                services.assign_role(user, found, role, person)
    elif what == "end":
        services.end_meeting(user, found)
    elif what == "minutes":
        services.write_minutes(user, found, post.get("text", ""), bool(post.get("publish")))
    elif what == "action":
        services.add_action(user, found, post.get("text", ""),
                            _member(found.council, post.get("owner")), post.get("due") or None)
    else:
        raise Http404("No such change")


def meeting_ics(request, pk):
    found = _meeting(request, pk)
    data = services.ics.calendar_bytes([services.calendar_event(found, _base(request))],
                                       name=found.council.name)
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{found.pk}.ics"'
    return response


def _base(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


# -- live facilitation -------------------------------------------------------------------------


def live(request, pk):
    found = _meeting(request, pk)
    services.live_join(request.user, found)
    found.refresh_from_db(fields=["live_state", "live_version"])
    return render(request, "meetings/live.html", {
        "meeting": found, "council": found.council,
        "snapshot": services.live_snapshot(found),  # to the page through json_script
        "can_take_part": request.user.has_perm("meetings.take_part", found),
        "can_run": request.user.has_perm("meetings.run_meeting", found),
        "me": str(request.user.pk) if request.user.is_authenticated else "",
    })


@require_POST
def live_act(request, pk, action):
    found = _meeting(request, pk)
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return JsonResponse({"detail": "the body is not JSON"}, status=400)
    else:
        data = request.POST.dict()
        data["under_heard"] = data.get("under_heard") in ("1", "on", "true")
    try:
        snapshot = services.live_act(request.user, found.pk, action, **{
            k: v for k, v in data.items() if k in {"kind", "under_heard", "signal", "question", "rules"}
        })
    except InputError as error:
        return JsonResponse({"detail": str(error)}, status=400)
    except PermissionDenied as error:
        status = 403 if request.user.is_authenticated else 401
        return JsonResponse({"detail": str(error)}, status=status)
    return JsonResponse(snapshot)


# -- calendar feeds ----------------------------------------------------------------------------


@login_required
def my_calendar(request):
    if request.method == "POST":
        services.feed_token(request.user, renew=True)
        messages.success(request, "A new calendar address is made; the old one no longer works.")
        return redirect("meetings:my_calendar")
    token = services.feed_token(request.user)
    url = request.build_absolute_uri(reverse("meetings:calendar_feed", args=[token]))
    return render(request, "meetings/calendar.html", {"url": url})


def calendar_feed(request, token):
    data = services.person_calendar(token, _base(request))
    if data is None:
        raise Http404("No such calendar")
    return HttpResponse(data, content_type="text/calendar; charset=utf-8")
