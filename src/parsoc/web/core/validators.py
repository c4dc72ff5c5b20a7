"""Django validators over the pure checks in :mod:`parsoc.usertext` (model and form fields)."""

from django.core.exceptions import ValidationError

from parsoc.usertext import link_problem


def validate_link(value) -> None:
    """A user link: http, https or mailto only (blank fields skip validators)."""
    problem = link_problem(value)
    if problem is not None:
        raise ValidationError(problem, code="link")
