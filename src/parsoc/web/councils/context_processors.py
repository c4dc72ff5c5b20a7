from parsoc.web.councils.services import unread_count


def unread(request):
    """The unread-announcements count shown in the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_count": 0}
    return {"unread_count": unread_count(user)}
