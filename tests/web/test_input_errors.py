"""An ``InputError`` names the field it is about; pages and the API put it there."""

from __future__ import annotations

import pickle

import pytest

from parsoc.errors import InputError
from parsoc.numbers import parse_int
from parsoc.web.core.forms import add_input_error
from parsoc.web.councils.forms import AnnouncementForm


def test_the_field_is_optional_and_survives_pickling():
    plain, named = InputError("wrong"), InputError("title: needs a title", field="title")
    assert (str(plain), plain.field) == ("wrong", None)
    again = pickle.loads(pickle.dumps(named))
    assert (type(again), str(again), again.field) == (InputError, "title: needs a title", "title")


def test_the_number_parser_names_its_field():
    with pytest.raises(InputError) as caught:
        parse_int("12x", "max_uses")
    assert caught.value.field == "max_uses"


@pytest.mark.parametrize("field, where", [("title", "title"), ("body", "body"), (None, "__all__"),
                                          ("no_such_field", "__all__")])
def test_a_form_shows_the_error_on_its_field_or_above_it(field, where):
    form = AnnouncementForm({"title": "Hello", "body": "Text"})
    assert form.is_valid()
    add_input_error(form, InputError("refused", field=field))
    assert form.errors == {where: ["refused"]}
