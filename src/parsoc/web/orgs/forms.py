from __future__ import annotations

from django import forms

from parsoc.errors import InputError
from parsoc.orgs.layouts import Layout
from parsoc.orgs.organisation import Organisation, RecordRefused, checked, coordinate
from parsoc.orgs.vocabulary import Kind
from parsoc.web.orgs.models import Entry

EDITABLE = ["name", "kind", "sector", "description", "legal_form", "street", "locality", "region", "postcode",
            "country", "latitude", "longitude", "website", "email", "phone", "size"]


class EntryForm(forms.ModelForm):
    country = forms.CharField(max_length=80, required=False, help_text="Its name or two-letter code.")
    latitude = forms.CharField(max_length=40, required=False, help_text="Degrees north, e.g. 55.8642")
    longitude = forms.CharField(max_length=40, required=False, help_text="Degrees east, e.g. -4.2518")

    class Meta:
        model = Entry
        fields = EDITABLE
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.value, k.label) for k in Kind]  # type: ignore[attr-defined]
        self.organisation: Organisation | None = None

    def _coordinate(self, name: str, bound: float) -> float | None:
        try:
            return coordinate(self.cleaned_data.get(name) or None, name, bound)
        except InputError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_latitude(self) -> float | None:
        return self._coordinate("latitude", 90.0)

    def clean_longitude(self) -> float | None:
        return self._coordinate("longitude", 180.0)

    def clean(self):
        data = super().clean() or {}
        if self.errors:
            return data
        values = {name: data.get(name) or "" for name in EDITABLE if name not in {"kind", "latitude", "longitude"}}
        try:
            self.organisation = checked(Organisation(
                kind=Kind(data.get("kind") or Kind.COOPERATIVE.value),
                latitude=data.get("latitude"), longitude=data.get("longitude"), **values))
        except RecordRefused as refused:
            for field, message in refused.problems.items():
                self.add_error(field if field in self.fields else None, message)
        return data

    def _post_clean(self) -> None:
        """The model instance is written by the service from ``organisation``, not from here."""


class ImportForm(forms.Form):
    file = forms.FileField(help_text="Standard CSV, GeoJSON, or the ICA youth network's CSV (UTF-8, at most 20 MB).")
    layout = forms.ChoiceField(choices=[("", "Recognise it from the content")] + [(item.value, item.label) for item in Layout],
                               required=False)
