"""What the shell mounts for the comments app (see parsoc.web.core.declarations)."""

from parsoc.web.core.declarations import AppDeclaration

APP = AppDeclaration(
    app="parsoc.web.comments",
    order=70,
    urls="parsoc.web.comments.urls",
    api_router="parsoc.web.comments.api:router",
    api_prefix="/comments",
    notification_kinds=("mention", "reply"),
)
