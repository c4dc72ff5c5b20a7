"""Meetings in the web shell: scheduling polls, meetings, agendas, roles, minutes, action items,
calendar feeds and the live facilitation page. The rules live in :mod:`parsoc.meetings`."""
