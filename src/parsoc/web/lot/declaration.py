"""What the shell mounts for selection by lot (see parsoc.web.core.declarations)."""

from parsoc.web.core.declarations import AppDeclaration, Link

APP = AppDeclaration(
    app="parsoc.web.lot",
    order=80,
    urls="parsoc.web.lot.urls",
    links=(Link("Selection by lot", "lot:index"),),
)
