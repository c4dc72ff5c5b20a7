"""Who may see and mark notices: each person only their own."""

import rules


@rules.predicate
def is_recipient(user, notice) -> bool:
    return notice is not None and user.is_authenticated and notice.recipient_id == user.pk


rules.add_perm("notifications.view_inbox", rules.is_authenticated)
rules.add_perm("notifications.read_notice", is_recipient)
