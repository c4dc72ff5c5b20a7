"""What the shell mounts for the work app (see parsoc.web.core.declarations)."""

from parsoc.web.core.declarations import AppDeclaration, Link

APP = AppDeclaration(
    app="parsoc.web.work",
    order=40,
    urls="parsoc.web.work.urls",
    api_router="parsoc.web.work.api:router",
    api_prefix="/work",
    links=(Link("Work", "work:page"),),
    demo="parsoc.web.work.demo:load",
)
