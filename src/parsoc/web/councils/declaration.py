"""What the shell mounts for the councils app (see parsoc.web.core.declarations)."""

from parsoc.web.core.declarations import AppDeclaration

APP = AppDeclaration(
    app="parsoc.web.councils",
    order=20,
    urls="parsoc.web.councils.urls",
    api_router="parsoc.web.councils.api:router",
    api_prefix="/councils",
)
