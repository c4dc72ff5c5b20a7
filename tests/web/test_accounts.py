"""Signing up, confirming, logging in (throttled), resetting a password, editing a profile."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from parsoc.web.accounts.models import User
from tests.fixtures_web import PASSWORD

pytestmark = pytest.mark.django_db

SIGNUP = {"display_name": "Rosa", "email": "Rosa@Example.org", "city": "Gràcia",
          "password1": PASSWORD, "password2": PASSWORD}


def link_in_last_mail(pattern: str) -> str:
    return re.search(pattern, mail.outbox[-1].body).group(0)


def test_sign_up_confirm_and_log_in():
    client = Client()
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 200 and b"Check your email" in response.content
    user = User.objects.get()
    assert user.email == "rosa@example.org" and not user.email_confirmed
    unconfirmed = client.post("/accounts/login/", {"email": "rosa@example.org", "password": PASSWORD})
    assert unconfirmed.status_code == 400 and b"Confirm your email" in unconfirmed.content
    link = link_in_last_mail(r"/accounts/confirm/\S+/")
    client.get(link)  # shows a button; only the button confirms
    user.refresh_from_db()
    assert not user.email_confirmed
    client.post(link)
    user.refresh_from_db()
    assert user.email_confirmed
    assert client.get("/api/me").json()["email"] == "rosa@example.org"  # confirming logs in
    client.post("/accounts/logout/")
    assert client.get("/api/me").status_code == 401
    assert client.post("/accounts/login/", {"email": "ROSA@example.org", "password": PASSWORD}).status_code == 302


def test_tampered_confirmation_link_is_refused():
    Client().post("/accounts/signup/", SIGNUP)
    link = link_in_last_mail(r"/accounts/confirm/\S+/")
    response = Client().get(link[:-6] + "xxxxx/")
    assert response.status_code == 400
    assert not User.objects.get().email_confirmed


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"email": "not-an-email"}, "email", "Enter a valid email address"),
    ({"password2": "something else"}, "password2", "The two passwords differ"),
    ({"password1": "123", "password2": "123"}, "password1", "too short"),
    ({"display_name": ""}, "display_name", "This field is required"),
])
def test_sign_up_with_bad_input_shows_field_errors(change, field, message):
    response = Client().post("/accounts/signup/", {**SIGNUP, **change})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not User.objects.exists()


def test_sign_up_twice_with_one_email_is_refused(make_user):
    make_user("Rosa", email="rosa@example.org")
    response = Client().post("/accounts/signup/", SIGNUP)
    assert "already exists" in " ".join(response.context["form"].errors["email"])


def test_login_is_throttled_after_repeated_failures(make_user):
    user = make_user("Target", email="target@example.org")
    client = Client()
    for _ in range(5):
        assert client.post("/accounts/login/", {"email": user.email, "password": "wrong"}).status_code == 400
    locked = client.post("/accounts/login/", {"email": user.email, "password": PASSWORD})
    assert locked.status_code == 400 and b"Too many failed attempts" in locked.content


def test_login_ignores_foreign_next_url(make_user):
    user = make_user()
    response = Client().post("/accounts/login/?next=https://evil.example/", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"


def test_password_reset_flow(make_user):
    user = make_user("Forgetful", email="forgetful@example.org")
    client = Client()
    client.post("/accounts/password-reset/", {"email": "forgetful@example.org"})
    link = link_in_last_mail(r"/accounts/password-reset/[^/\s]+/[^/\s]+/")
    form_page = client.get(link, follow=True)
    new = "a brand new passphrase 77"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    user.refresh_from_db()
    assert user.check_password(new)


def test_password_reset_does_not_reveal_unknown_addresses():
    response = Client().post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302 and not mail.outbox


def png_bytes(size=(40, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_profile_edit_with_photo(make_user, client_as):
    user = make_user()
    photo = SimpleUploadedFile("me.png", png_bytes(), content_type="image/png")
    response = client_as(user).post("/accounts/profile/", {
        "display_name": "New Name", "city": "Leith", "bio": "Cyclist.", "photo": photo})
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.city, user.bio) == ("New Name", "Leith", "Cyclist.")
    # re-encoded by us: an opaque image is kept as a JPEG (tests/security/test_uploads.py)
    assert user.photo.name.startswith("photos/") and user.photo.name.endswith(".jpg")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("evil.png", b"#!/bin/sh\necho not an image\n", "not an image"),
    ("huge.png", b"\x89PNG" + b"0" * (2 * 1024 * 1024 + 10), "the limit is 2048 KB"),
])
def test_profile_refuses_bad_photos(make_user, client_as, name, content, message):
    user = make_user("Keeps Name")
    response = client_as(user).post("/accounts/profile/", {
        "display_name": "Changed", "photo": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["photo"])
    user.refresh_from_db()
    assert user.display_name == "Keeps Name" and not user.photo  # nothing half-written


def test_profile_refuses_disallowed_image_type(make_user, client_as):
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="BMP")
    response = client_as(make_user()).post("/accounts/profile/", {
        "display_name": "X", "photo": SimpleUploadedFile("x.bmp", buffer.getvalue())})
    assert response.status_code == 400 and "not accepted" in " ".join(response.context["form"].errors["photo"])


def test_api_token_page_issues_and_revokes(make_user, client_as):
    user = make_user()
    client = client_as(user)
    response = client.post("/accounts/tokens/", {"name": "script"})
    key = re.search(r'data-testid="new-token" value="([^"]+)"', response.content.decode()).group(1)
    me = Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/me")
    assert me.status_code == 200 and (me.json()["id"], me.json()["email"]) == (user.pk, user.email)
    assert key not in str(list(user.api_tokens.values()))  # only a hash is stored
    client.post(f"/accounts/tokens/{user.api_tokens.get().pk}/revoke/")
    assert Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/me").status_code == 401


def test_cannot_revoke_someone_elses_token(make_user, client_as):
    from parsoc.web.accounts.models import ApiToken

    owner, other = make_user(), make_user()
    token, _ = ApiToken.issue(owner, "mine")
    assert client_as(other).post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_public_profile_shows_only_visible_councils(council_world, client_as):
    page = client_as(None).get(f"/accounts/people/{council_world.member.pk}/").content
    assert b"Test Chapter" in page and b"Quiet Group" not in page
