"""Meetings: scheduling polls, agendas, rotating roles, quorum and a live progressive stack.

The pure core of the meetings domain; no Django import anywhere in this package.

- :mod:`~parsoc.meetings.stack`: the progressive stack ordering (who speaks next).
- :mod:`~parsoc.meetings.scheduling`: time options with zones and durations, yes /
  if-need-be / no answers, the availability heat-map and the best-slot suggestion.
- :mod:`~parsoc.meetings.ics`: iCalendar (RFC 5545) output of meetings.
- :mod:`~parsoc.meetings.rotation`: the fair role rotation suggestion.
- :mod:`~parsoc.meetings.quorum`: attendance and quorum.
- :mod:`~parsoc.meetings.temperature`: hand-signal temperature checks.
- :mod:`~parsoc.meetings.live`: the state of a live meeting as a versioned value that the
  web shell stores and streams.
"""
