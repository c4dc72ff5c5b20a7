"""Council forms. Validation that depends on the tree or on roles happens in ``services``."""

from __future__ import annotations

from django import forms

from parsoc.councils.kinds import CouncilKind, JoinPolicy, Visibility, choices
from parsoc.web.core.numbers import IdChoiceField
from parsoc.web.councils.models import Council


class CouncilForm(forms.Form):
    name = forms.CharField(max_length=120)
    kind = forms.ChoiceField(choices=choices(CouncilKind))
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000)
    city = forms.CharField(max_length=80, required=False)
    parent = IdChoiceField(
        queryset=Council.objects.none(), required=False, empty_label="— none (a top-level council) —",
        help_text="Councils nest to any depth. You can nest under a council you belong to.",
    )
    visibility = forms.ChoiceField(choices=choices(Visibility), initial=Visibility.PUBLIC)
    join_policy = forms.ChoiceField(choices=choices(JoinPolicy), initial=JoinPolicy.REQUEST, label="How people join")

    def __init__(self, user, *args, exclude: Council | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Council.objects.all() if user.is_superuser else Council.objects.filter(memberships__user=user)
        if exclude is not None:
            parents = parents.exclude(pk=exclude.pk)
            if exclude.parent_id:  # keep the current parent selectable even if not a member there
                parents = parents | Council.objects.filter(pk=exclude.parent_id)
        self.fields["parent"].queryset = parents.distinct().order_by("name")


class AnnouncementForm(forms.Form):
    title = forms.CharField(max_length=200)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=10000)


class InviteForm(forms.Form):
    emails = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or more email addresses, separated by commas or new lines.",
    )
    make_link = forms.BooleanField(required=False, label="Also make a link I can share by hand")

    def clean_emails(self) -> list[str]:
        raw = self.cleaned_data.get("emails") or ""
        emails = [e.strip() for e in raw.replace(",", "\n").splitlines() if e.strip()]
        field = forms.EmailField()
        bad = []
        for email in emails:
            try:
                field.clean(email)
            except forms.ValidationError:
                bad.append(email)
        if bad:
            raise forms.ValidationError(f"Not an email address: {', '.join(bad)}")
        return emails

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("emails") and not cleaned.get("make_link"):
            raise forms.ValidationError("Give at least one email address, or ask for a link.")
        return cleaned


class JoinForm(forms.Form):
    message = forms.CharField(
        required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional: a word to the facilitators.",
    )


class DelegateForm(forms.Form):
    person = IdChoiceField(queryset=None, label="Delegate")
    start = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    mandate = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text="What the council asks its delegate to carry.")

    def __init__(self, council: Council, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from parsoc.web.accounts.models import User

        self.fields["person"].queryset = User.objects.filter(memberships__council=council).order_by("display_name")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The term cannot end before it starts.")
        return cleaned


class DirectoryForm(forms.Form):
    q = forms.CharField(required=False, label="Name")
    kind = forms.ChoiceField(required=False, choices=[("", "Any kind"), *choices(CouncilKind)])
    city = forms.CharField(required=False)
