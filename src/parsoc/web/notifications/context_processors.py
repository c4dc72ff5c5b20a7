from parsoc.web.notifications.services import unread_count


def unread(request):
    """The unread-notices count shown on the inbox link in the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_count": 0}
    return {"unread_count": unread_count(user)}
