"""What the shell mounts for the directory of organisations (see parsoc.web.core.declarations)."""

from parsoc.web.core.declarations import AppDeclaration

APP = AppDeclaration(
    app="parsoc.web.orgs",
    order=85,
    urls="parsoc.web.orgs.urls",
    api_router="parsoc.web.orgs.api:router",
    api_prefix="/orgs",
    demo="parsoc.web.orgs.demo:load",
)
