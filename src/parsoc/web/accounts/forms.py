"""Forms for signing up, logging in and editing a profile."""

from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from parsoc.web.accounts import photos, throttle
from parsoc.web.accounts.models import User


class SignupForm(forms.ModelForm):
    password1 = forms.CharField(label="Password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label="Password again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    class Meta:
        model = User
        fields = ["display_name", "email", "city"]
        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "email"})}

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError("An account with this email address already exists. Log in or reset your password.")
        return email

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The two passwords differ.")
        elif p1:
            candidate = User(email=cleaned.get("email") or "", display_name=cleaned.get("display_name") or "")
            try:
                password_validation.validate_password(p1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.set_password(self.cleaned_data["password1"])
        user.email_confirmed = False
        if commit:
            user.save()
        return user


class LoginForm(forms.Form):
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}))
    password = forms.CharField(widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user: User | None = None
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        email, password = cleaned.get("email"), cleaned.get("password")
        if not email or not password:
            return cleaned
        # the attempt is counted before the password is checked (throttle.admit is atomic)
        if not throttle.admit(email, throttle.client_ip(self.request)):
            raise ValidationError(
                "Too many failed attempts. Wait 15 minutes, or reset your password.", code="throttled"
            )
        user = authenticate(self.request, email=email.lower(), password=password)
        if user is None:
            raise ValidationError("That email address and password do not match.", code="invalid")
        throttle.succeeded(email)
        if not user.email_confirmed:
            raise ValidationError(
                "Confirm your email address first: follow the link we sent you.", code="unconfirmed"
            )
        self.user = user
        return cleaned


class ProfileForm(forms.ModelForm):
    photo = forms.FileField(
        required=False,
        help_text="JPEG, PNG, WebP or GIF, at most 2 MB and 4096 × 4096 pixels. "
        "We keep a copy of the first frame, at most 1024 pixels on its longer side, without metadata.",
    )
    remove_photo = forms.BooleanField(required=False, label="Remove my photo")

    class Meta:
        model = User
        fields = ["display_name", "city", "bio"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        # decoded and written again by us; the uploaded bytes and name go no further
        return photos.reencode(upload) if upload else None

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        if self.cleaned_data.get("remove_photo") and user.photo:
            user.photo.delete(save=False)
            user.photo = ""
        photo = self.cleaned_data.get("photo")
        if photo:
            if user.photo:
                user.photo.delete(save=False)
            user.photo.save(f"photo.{photo.extension}", ContentFile(photo.data), save=False)
        if commit:
            user.save()
        return user


class TokenForm(forms.Form):
    name = forms.CharField(max_length=80, help_text="What the token is for, e.g. “budget import script”.")
