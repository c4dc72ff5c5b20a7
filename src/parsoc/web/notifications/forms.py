from django import forms

from parsoc.web.notifications.kinds import KINDS, Kind, delivery_choices


class PreferencesForm(forms.Form):
    """One choice per kind of notice: e-mail at once, in the daily digest, or none."""

    def __init__(self, *args, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=KINDS[kind].label, choices=delivery_choices(), initial=current[kind].value,
                widget=forms.RadioSelect,
            )
