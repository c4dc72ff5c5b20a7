"""What every form-handling view does with a service's refusal."""

from __future__ import annotations

from django import forms

from parsoc.errors import InputError


def add_input_error(form: forms.Form, error: InputError) -> None:
    """Show ``error`` on the form field it names (:attr:`InputError.field`), or above the form
    when it names none, or a field this form does not have."""
    form.add_error(error.field if error.field in form.fields else None, str(error))
