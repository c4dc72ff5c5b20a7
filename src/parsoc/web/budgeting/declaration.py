"""What the shell mounts for the budgeting app (see parsoc.web.core.declarations)."""

from parsoc.web.core.declarations import AppDeclaration, Link

APP = AppDeclaration(
    app="parsoc.web.budgeting",
    order=60,
    urls="parsoc.web.budgeting.urls",
    api_router="parsoc.web.budgeting.api:router",
    api_prefix="/budgeting",
    links=(Link("Participatory budgeting", "budgeting:index"),),
    demo="parsoc.web.budgeting.demo:load",
)
