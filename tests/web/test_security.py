"""Security settings: Argon2, secret key generated and kept out of the code, secure cookies and
DEBUG off when served for real, CSRF on forms, friendly error pages."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def settings_in_subprocess(tmp_path, **env) -> dict:
    code = (
        "import json, parsoc.web.settings as s; print(json.dumps({k: str(getattr(s, k)) for k in "
        "['DEBUG','SESSION_COOKIE_SECURE','CSRF_COOKIE_SECURE','SECURE_SSL_REDIRECT','SECURE_HSTS_SECONDS',"
        "'SECRET_KEY','PASSWORD_HASHERS','SESSION_COOKIE_HTTPONLY']}))"
    )
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("PARSOC_", "DATABASE_URL"))}
    full_env.update({"PARSOC_HOME": str(tmp_path), **env})
    out = subprocess.run([sys.executable, "-c", code], env=full_env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_argon2_is_the_password_hasher(tmp_path):
    from django.contrib.auth.hashers import Argon2PasswordHasher

    values = settings_in_subprocess(tmp_path)
    assert "Argon2PasswordHasher" in values["PASSWORD_HASHERS"].split(",")[0]
    encoded = Argon2PasswordHasher().encode("secret", Argon2PasswordHasher().salt())
    assert encoded.startswith("argon2$") and Argon2PasswordHasher().verify("secret", encoded)


def test_secret_key_is_generated_once_and_private(tmp_path):
    first = settings_in_subprocess(tmp_path)["SECRET_KEY"]
    second = settings_in_subprocess(tmp_path)["SECRET_KEY"]
    assert first == second and len(first) >= 50
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600
    other = settings_in_subprocess(tmp_path / "elsewhere")["SECRET_KEY"]
    assert other != first


def test_no_secret_key_in_the_code():
    import re

    literal_key = re.compile(r"SECRET_KEY\s*=\s*[\"'][^\"']{16,}[\"']")
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert tracked, "not a git checkout"
    for name in tracked:
        if name.endswith((".py", ".toml", ".cfg", ".ini", ".env", ".json")):
            assert not literal_key.search((ROOT / name).read_text(errors="ignore")), name


def test_debug_off_by_default_and_secure_cookies_when_served_for_real(tmp_path):
    plain = settings_in_subprocess(tmp_path)
    assert plain["DEBUG"] == "False" and plain["SESSION_COOKIE_HTTPONLY"] == "True"
    real = settings_in_subprocess(tmp_path, PARSOC_SECURE="1")
    assert real["DEBUG"] == "False"
    assert real["SESSION_COOKIE_SECURE"] == real["CSRF_COOKIE_SECURE"] == real["SECURE_SSL_REDIRECT"] == "True"
    assert int(real["SECURE_HSTS_SECONDS"]) >= 31536000


@pytest.mark.django_db
def test_forms_need_csrf(council_world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(council_world.facilitator, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post("/c/test-chapter/announce/", {"title": "t", "body": "b"})
    assert response.status_code == 403
    assert not council_world.chapter.announcements.exists()


@pytest.mark.django_db
def test_error_pages_are_friendly():
    response = Client().get("/no/such/page/")
    assert response.status_code == 404
    assert b"Not found" in response.content and b"Traceback" not in response.content


@pytest.mark.django_db
def test_oversized_request_is_400_not_500(client_as, make_user):
    client = client_as(make_user())
    response = client.post("/councils/new/", data=b"x" * (11 * 1024 * 1024), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
