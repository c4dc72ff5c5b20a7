"""What the shell mounts for the accounts app (see parsoc.web.core.declarations)."""

from parsoc.web.core.declarations import AppDeclaration

APP = AppDeclaration(
    app="parsoc.web.accounts",
    order=10,
    urls="parsoc.web.accounts.urls",
    url_prefix="accounts/",
)
