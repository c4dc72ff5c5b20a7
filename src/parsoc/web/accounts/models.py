"""A person, their API tokens, and the counts of recent login attempts used for throttling."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("an email address is required")
        extra.setdefault("display_name", email.split("@")[0])
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True, email_confirmed=True)
        return self.create_user(email, password, **extra)


PHOTO_EXTENSIONS = {"png", "jpg"}  # the formats parsoc.web.accounts.photos writes


def photo_path(user: User, filename: str) -> str:
    """A random name chosen by the server. Only the extension of the file *we* wrote is kept
    (see ``photos.reencode``); anything else is stored as ``.bin`` and served as a download."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return f"photos/{secrets.token_urlsafe(18)}.{suffix if suffix in PHOTO_EXTENSIONS else 'bin'}"


class User(AbstractBaseUser, PermissionsMixin):
    """A person. They log in with their email address once it is confirmed."""

    email = models.EmailField("email address", unique=True)
    display_name = models.CharField("display name", max_length=80)
    city = models.CharField(max_length=80, blank=True)
    bio = models.TextField("short bio", max_length=600, blank=True)
    photo = models.ImageField(upload_to=photo_path, blank=True)
    email_confirmed = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name


class ApiToken(models.Model):
    """A token for scripts: ``Authorization: Bearer <key>``. Only a hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    LAST_USED_EVERY = timedelta(minutes=1)  # how stale last_used_at may get

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str) -> tuple[ApiToken, str]:
        """Create a token; the clear key is returned once and never stored."""
        key = "psk_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=key[4:12], key_hash=cls.hash_key(key))
        return token, key

    @classmethod
    def authenticate(cls, key: str) -> User | None:
        token = cls.objects.select_related("user").filter(key_hash=cls.hash_key(key)).first()
        if token is None or not token.user.is_active:
            return None
        now = timezone.now()
        # the tokens page shows the day of last use: one write a minute is enough, not one a request
        if token.last_used_at is None or now - token.last_used_at >= cls.LAST_USED_EVERY:
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user


class LoginThrottle(models.Model):
    """How many logins were tried lately for one address, or from one network address.

    One row per key (a keyed hash of ``email:<address>`` or ``ip:<address>``: the table holds no
    addresses). ``throttle.admit`` locks the row and counts an attempt *before* any password is
    checked; see :mod:`parsoc.web.accounts.throttle`.
    """

    key = models.CharField(max_length=64, unique=True)
    attempts = models.PositiveIntegerField(default=0)
    last_at = models.DateTimeField(default=timezone.now, db_index=True)
