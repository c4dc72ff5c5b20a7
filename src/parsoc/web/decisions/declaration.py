"""What the shell mounts for the decisions app (see parsoc.web.core.declarations)."""

from parsoc.web.core.declarations import AppDeclaration, Link

APP = AppDeclaration(
    app="parsoc.web.decisions",
    order=50,
    urls="parsoc.web.decisions.urls",
    api_router="parsoc.web.decisions.api:router",
    api_prefix="/decisions",
    links=(Link("Decisions", "decisions:index"),),
    demo="parsoc.web.decisions.demo:load",
    notification_kinds=("opened", "blocked", "closing", "closed", "review"),
)
