"""One way to look up an object a person asked for by its URL or id."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Manager, Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

M = TypeVar("M", bound=Model)


def get_visible_or_404(user: Any, klass: type[M] | Manager[M] | QuerySet[M], perm: str, *,
                       of: Callable[[M], Any] | None = None, **lookup: Any) -> M:
    """The object ``klass`` finds with ``lookup``, when ``user`` has the ``rules`` permission
    ``perm`` on it (or on ``of(obj)``, such as its council); otherwise 404.

    Missing and hidden answer the same 404, so a page or endpoint never tells an outsider that
    a members-only council, poll or proposal exists. Pages pass ``request.user``, API
    operations ``request.auth``.
    """
    obj = get_object_or_404(klass, **lookup)
    if not user.has_perm(perm, obj if of is None else of(obj)):
        raise Http404(f"No such {obj._meta.verbose_name}")
    return obj
