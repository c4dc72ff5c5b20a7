"""What the shell mounts for planning (see parsoc.web.core.declarations)."""

from parsoc.web.core.declarations import AppDeclaration, Link

APP = AppDeclaration(
    app="parsoc.web.planning",
    order=90,
    urls="parsoc.web.planning.urls",
    api_router="parsoc.web.planning.api:router",
    api_prefix="/planning",
    links=(Link("Planning", "planning:index"),),
    demo="parsoc.web.planning.demo:load",
    notification_kinds=("planning_round",),
)
