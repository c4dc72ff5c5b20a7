"""Councils in the web shell: nesting, members and roles, joining, invitations, announcements, delegates."""
