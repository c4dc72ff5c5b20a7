"""An app declares itself once; the shell finds it.

Each domain app under ``src/parsoc/web/<app>/`` has a module ``declaration.py`` whose ``APP``
is an :class:`AppDeclaration`: what the shell needs to know to mount it. The shell reads the
declarations in :func:`declarations` (as the command line finds its subcommands in
``parsoc.cli``) and nowhere else lists the apps:

- ``settings.INSTALLED_APPS`` takes each ``app``;
- the root ``urls.py`` includes each ``urls`` module under ``url_prefix``;
- the API (``parsoc.web.api``) adds each ``api_router`` under ``/api/<api_prefix>``;
- a council's page shows each of ``links`` (``{% council_links council %}``);
- ``parsoc demo`` / ``make demo`` calls each ``demo`` loader with the demo world;
- :func:`notification_kinds` lists each app's ``notification_kinds``.

A declaration is plain data (dotted names, not imported objects): settings read it before
Django is set up, so it must import nothing from Django or from its app.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Link:
    """A button on a council's page: ``label``, to the URL named ``url_name`` (which takes the
    council's slug)."""

    label: str
    url_name: str


@dataclass(frozen=True)
class AppDeclaration:
    """What the shell mounts for one app (see the module's docstring)."""

    app: str
    """The app's module, as in ``INSTALLED_APPS``: ``"parsoc.web.budgeting"``."""
    order: int = 100
    """Where the app comes among the others (settings, URLs, links on a council's page, demo)."""
    urls: str | None = None
    """Its URL module (with ``app_name``), included under ``url_prefix``."""
    url_prefix: str = ""
    """Pages inside a council use paths such as ``c/<slug:slug>/<app>/...`` with prefix ``""``."""
    api_router: str | None = None
    """``"module:attribute"`` of its ninja ``Router``, added at ``/api/<api_prefix>``."""
    api_prefix: str = ""
    links: tuple[Link, ...] = ()
    """Buttons on a council's page, shown to whoever may see the council."""
    demo: str | None = None
    """``"module:function"`` of its demo loader, called with the :class:`parsoc.web.demo.DemoWorld`
    (idempotent: ``make demo`` may run twice)."""
    notification_kinds: tuple[str, ...] = ()
    """The kinds of notification the app sends, as it stores them."""


def load(dotted: str):
    """The object named ``"module:attribute"``."""
    module, _, attribute = dotted.partition(":")
    return getattr(importlib.import_module(module), attribute)


@cache
def declarations() -> tuple[AppDeclaration, ...]:
    """Every app's declaration, in ``order`` (then by name)."""
    import parsoc.web

    found = []
    for info in pkgutil.iter_modules(parsoc.web.__path__):
        name = f"parsoc.web.{info.name}.declaration"
        if info.ispkg and importlib.util.find_spec(name) is not None:
            found.append(importlib.import_module(name).APP)
    return tuple(sorted(found, key=lambda d: (d.order, d.app)))


def notification_kinds() -> tuple[str, ...]:
    """Every kind of notification some app declares."""
    return tuple(kind for d in declarations() for kind in d.notification_kinds)
