"""What the shell mounts for the notifications app (see parsoc.web.core.declarations)."""

from parsoc.web.core.declarations import AppDeclaration

APP = AppDeclaration(
    app="parsoc.web.notifications",
    order=15,
    urls="parsoc.web.notifications.urls",
)
