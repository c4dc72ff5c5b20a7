"""What the declared apps add to shared pages (``{% load apps %}``).

``{% council_links council as links %}``: the buttons every app declares for a council's page
(:attr:`parsoc.web.core.declarations.AppDeclaration.links`), as ``(label, url)`` pairs.
"""

from django import template
from django.urls import reverse

from parsoc.web.core.declarations import declarations

register = template.Library()


@register.simple_tag
def council_links(council) -> list[tuple[str, str]]:
    return [(link.label, reverse(link.url_name, args=[council.slug])) for declared in declarations()
            for link in declared.links]
