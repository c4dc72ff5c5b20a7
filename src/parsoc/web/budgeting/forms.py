from __future__ import annotations

from django import forms

from parsoc.web.budgeting.models import BallotKind, Completion, Rule, Satisfaction
from parsoc.web.core.numbers import MoneyField, WholeNumberField


class ProcessForm(forms.Form):
    title = forms.CharField(max_length=200)
    budget = MoneyField(help_text="The money to share out.")
    currency = forms.CharField(max_length=8, initial="EUR")
    ballot_kind = forms.ChoiceField(label="Ballot", choices=BallotKind.choices())
    max_choices = WholeNumberField(label="Most projects on one ballot", required=False)
    points = WholeNumberField(label="Points per voter (cumulative ballots)", initial=10)
    rule = forms.ChoiceField(label="Rule", choices=Rule.choices())
    satisfaction = forms.ChoiceField(label="Equal Shares: what a voter gains", choices=Satisfaction.choices(),
                                     initial=Satisfaction.COST, required=False)
    completion = forms.ChoiceField(label="Equal Shares: leftover money", choices=Completion.choices(),
                                   initial=Completion.NONE, required=False)

    def clean_satisfaction(self):
        return self.cleaned_data.get("satisfaction") or Satisfaction.COST

    def clean_completion(self):
        return self.cleaned_data.get("completion") or Completion.NONE


class ProposalForm(forms.Form):
    title = forms.CharField(max_length=200, label="Project title")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ImportForm(forms.Form):
    title = forms.CharField(max_length=200, required=False, label="Title of the imported process",
                            help_text="Defaults to the file's description.")
    file = forms.FileField(label=".pb file")
