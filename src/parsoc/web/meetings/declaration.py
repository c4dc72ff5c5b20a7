"""What the shell mounts for the meetings app (see parsoc.web.core.declarations)."""

from parsoc.web.core.declarations import AppDeclaration, Link

APP = AppDeclaration(
    app="parsoc.web.meetings",
    order=30,
    urls="parsoc.web.meetings.urls",
    api_router="parsoc.web.meetings.api:router",
    api_prefix="/meetings",
    links=(Link("Meetings", "meetings:council"),),
    demo="parsoc.web.meetings.demo:load",
)
