from __future__ import annotations

from django import forms

from parsoc.web.core.numbers import WholeNumberField
from parsoc.web.lot.models import SeedSource


class SelectionForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="What the people are selected for: a role, a committee, a panel.")
    panel_size = WholeNumberField(label="How many people to select")
    quotas = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One line per feature: category, feature, min, max (e.g. “neighbourhood, north, 1, 3”). "
                  "Volunteers describe themselves by these features.")
    seed_source = forms.ChoiceField(label="The random seed comes from", choices=SeedSource.choices)
    seed_note = forms.CharField(
        max_length=300, required=False, label="Which value, published in advance",
        help_text="For a value published in advance: name it before anyone can know it "
                  "(e.g. “the EuroMillions numbers of 11 December, as listed on euro-millions.com”).")
