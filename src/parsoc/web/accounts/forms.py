"""Forms for signing up, logging in and editing a profile."""

from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

from parsoc.web.accounts import throttle
from parsoc.web.accounts.models import User

PHOTO_MAX_BYTES = 2 * 1024 * 1024
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
PHOTO_MAX_PIXELS = 4096 * 4096


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
        ip = throttle.client_ip(self.request)
        if throttle.locked_out(email, ip):
            raise ValidationError(
                "Too many failed attempts. Wait 15 minutes, or reset your password.", code="throttled"
            )
        user = authenticate(self.request, email=email.lower(), password=password)
        if user is None:
            throttle.record_failure(email, ip)
            raise ValidationError("That email address and password do not match.", code="invalid")
        if not user.email_confirmed:
            raise ValidationError(
                "Confirm your email address first: follow the link we sent you.", code="unconfirmed"
            )
        throttle.clear(email)
        self.user = user
        return cleaned


def check_photo(photo) -> None:
    """Refuse uploads that are too large or not a real image of an allowed type."""
    if photo.size > PHOTO_MAX_BYTES:
        raise ValidationError(f"The photo is {photo.size // 1024} KB; the limit is {PHOTO_MAX_BYTES // 1024} KB.")
    try:
        photo.seek(0)
        with Image.open(photo) as image:
            kind = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError("That file is not an image we can read. Use JPEG, PNG, WebP or GIF.") from None
    finally:
        photo.seek(0)
    if kind not in PHOTO_FORMATS:
        raise ValidationError(f"{kind} images are not accepted. Use JPEG, PNG, WebP or GIF.")
    if width * height > PHOTO_MAX_PIXELS:
        raise ValidationError("The photo is too large in pixels (at most 4096 × 4096).")


class ProfileForm(forms.ModelForm):
    photo = forms.FileField(required=False, help_text="JPEG, PNG, WebP or GIF, at most 2 MB.")
    remove_photo = forms.BooleanField(required=False, label="Remove my photo")

    class Meta:
        model = User
        fields = ["display_name", "city", "bio"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo:
            check_photo(photo)
        return photo

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        if self.cleaned_data.get("remove_photo") and user.photo:
            user.photo.delete(save=False)
            user.photo = ""
        photo = self.cleaned_data.get("photo")
        if photo:
            if user.photo:
                user.photo.delete(save=False)
            user.photo = photo
        if commit:
            user.save()
        return user


class TokenForm(forms.Form):
    name = forms.CharField(max_length=80, help_text="What the token is for, e.g. “budget import script”.")
