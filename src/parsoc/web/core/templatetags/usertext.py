"""Template filters for text people typed (``{% load usertext %}``).

``{{ value|safe_link }}``: the link if it is an allowed user link (http, https, mailto; see
:mod:`parsoc.usertext`), else ``""``. Write links a user entered as
``{% with href=item.link|safe_link %}{% if href %}<a href="{{ href }}" rel="nofollow noopener noreferrer">…</a>{% endif %}{% endwith %}``
so that a link stored before the rules (or written around them) is shown as nothing, never run.
The result is not marked safe: autoescaping still applies.
"""

from django import template

from parsoc.usertext import safe_link as _safe_link

register = template.Library()


@register.filter
def safe_link(value) -> str:
    return _safe_link(value) or ""
