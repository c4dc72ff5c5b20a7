"""Django settings for parsoc.

Configuration comes from the environment:

- ``PARSOC_HOME``: folder for the embedded SQLite database (``parsoc.sqlite3``), the generated
  secret key (``secret_key``) and uploads (``media/``). Default: ``$XDG_DATA_HOME/parsoc``
  (``~/.local/share/parsoc``); the Makefile uses ``./var`` in the checkout.
- ``DATABASE_URL``: use PostgreSQL (``postgres://user:pass@host:port/name``) instead of SQLite.
- ``PARSOC_SQLITE_SYNCHRONOUS``: on SQLite, FULL (default: each commit on disk before the
  answer) or EXTRA, or NORMAL (faster on slow disks; a power cut may lose the last commits).
- ``PARSOC_DB_POOL``: on PostgreSQL, the most connections each server process keeps in its
  pool (default 16; 0: no pool, one connection per request).
- ``PARSOC_SECRET_KEY``: the secret key; otherwise one is generated on first run and kept in
  ``PARSOC_HOME/secret_key`` (mode 600). Never committed.
- ``PARSOC_DEBUG=1``: Django's debug mode (never when served for real).
- ``PARSOC_SECURE=1``: served for real behind HTTPS: secure cookies, HSTS, SSL redirect.
- ``PARSOC_ALLOWED_HOSTS``: comma-separated host names (default: localhost only).
- ``PARSOC_SITE_URL``: the site's address, for absolute links in mail (default
  http://127.0.0.1:8000, the demo's).
- ``PARSOC_EMAIL_URL``-less email: ``PARSOC_EMAIL_HOST`` etc.; by default mail is written to
  ``PARSOC_HOME/mail/`` as files, so nothing is lost and nothing is sent by surprise.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
from pathlib import Path

import dj_database_url

from parsoc.web.core.declarations import declarations


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _home() -> Path:
    configured = os.environ.get("PARSOC_HOME")
    if configured:
        home = Path(configured)
    else:
        data = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
        home = data / "parsoc"
    home.mkdir(mode=0o700, parents=True, exist_ok=True)  # a new home is its owner's only
    return home


def _sqlite_synchronous() -> str:
    """``PARSOC_SQLITE_SYNCHRONOUS``: FULL (default) or EXTRA; NORMAL only if you accept losing
    the last acknowledged writes on a power cut (docs/web.md, "SQLite")."""
    value = os.environ.get("PARSOC_SQLITE_SYNCHRONOUS", "FULL").strip().upper()
    if value not in ("NORMAL", "FULL", "EXTRA"):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"PARSOC_SQLITE_SYNCHRONOUS={value!r}: use FULL, EXTRA or NORMAL")
    return value


def _secret_key(home: Path) -> str:
    from_env = os.environ.get("PARSOC_SECRET_KEY")
    if from_env:
        return from_env
    path = home / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


PARSOC_HOME = _home()
BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = _secret_key(PARSOC_HOME)
DEBUG = _flag("PARSOC_DEBUG")
SECURE = _flag("PARSOC_SECURE")

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("PARSOC_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "parsoc.web.core",
    # every app that declares itself (src/parsoc/web/<app>/declaration.py), in its order
    *(declared.app for declared in declarations()),
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A NUL character in any text a request sends is a 400 (parsoc.web.core.null_characters).
    "parsoc.web.core.null_characters.RefuseNullCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # No copy of a signed-in person's pages in any cache (parsoc.web.core.caching).
    "parsoc.web.core.caching.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: each POST/PUT/PATCH/DELETE view runs in one transaction (parsoc.web.core.transactions).
    "parsoc.web.core.transactions.TransactionPerWriteMiddleware",
]

ROOT_URLCONF = "parsoc.web.urls"
WSGI_APPLICATION = "parsoc.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "parsoc.web.core.context.site",
                "parsoc.web.notifications.context_processors.unread",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        # conn_max_age=0: under ASGI every request runs in its own thread, and persistent
        # connections would pile up until PostgreSQL refuses new clients.
        default=f"sqlite:///{PARSOC_HOME / 'parsoc.sqlite3'}", conn_max_age=0
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded database, set up to take concurrent writers (docs/web.md, "SQLite"):
    # - transaction_mode IMMEDIATE: every transaction takes the write lock when it begins, so
    #   writers queue for it (up to ``timeout``) instead of failing with "database is locked"
    #   when a read inside a transaction later turns into a write;
    # - WAL (set once on the file by private_database_file; it stays set): readers never wait
    #   for the writer, nor the writer for readers;
    # - synchronous=FULL: in WAL mode every commit is flushed to disk before the request is
    #   answered, so an acknowledged vote survives a power cut (NORMAL would survive a crash
    #   of the server but could lose the last commits on a power cut; FULL cost about 9% of
    #   the throughput in docs/benchmarks.md; PARSOC_SQLITE_SYNCHRONOUS to choose);
    # - timeout (seconds): the busy timeout, how long a writer waits for the lock;
    # - ENGINE parsoc.web.core.sqlite3: Django's SQLite backend, with each process's writers
    #   (transactions, and writing statements outside one) queued in arrival order before they
    #   ask SQLite for the lock, so no writer starves in SQLite's busy handler;
    # - the database file (and its -wal/-shm, which SQLite creates with the file's mode)
    #   readable and writable by its owner only (mode 600), like the secret key.
    DATABASES["default"]["ENGINE"] = "parsoc.web.core.sqlite3"
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": f"PRAGMA synchronous={_sqlite_synchronous()}",
    })
    from parsoc.web.core.sqlite3.files import private_database_file

    private_database_file(DATABASES["default"]["NAME"])
elif DATABASES["default"]["ENGINE"].endswith("postgresql") and int(os.environ.get("PARSOC_DB_POOL", "16")) > 0:
    # A pool of connections in each server process (psycopg_pool): a request borrows one and
    # gives it back when it ends, instead of opening a new PostgreSQL connection (a new server
    # process) per request. Requests beyond the pool's size wait for a connection, so the
    # number of connections stays bounded under any number of ASGI request threads.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 2, "max_size": int(os.environ.get("PARSOC_DB_POOL", "16")), "timeout": 60,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Uploads: photos are limited to 2 MB by the form; whole requests to 10 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = PARSOC_HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "media/"
MEDIA_ROOT = PARSOC_HOME / "media"

# Cookies and transport: always HttpOnly/SameSite; Secure and HSTS when served for real.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy on every response (django-csp), static files included: scripts,
# styles, images, fonts and connections (the live meeting stream) only from this origin; no
# inline script or style, no eval, no plugins, no framing. User JSON reaches scripts through
# json_script, user links through parsoc.usertext. /api/docs is Swagger UI from ninja's own
# static files (hence "ninja" in INSTALLED_APPS), never from a CDN.
INSTALLED_APPS += ["ninja"]
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "csp.middleware.CSPMiddleware")
# Leaflet (the directory's map) is served from the static files of the installed django-leaflet
# package; its Django app is not installed (it needs GDAL), only its folder is found.
_leaflet = importlib.util.find_spec("leaflet")
STATICFILES_DIRS = [Path(_leaflet.submodule_search_locations[0]) / "static"] if _leaflet and \
    _leaflet.submodule_search_locations else []

# The directory's map draws its points without tiles; a tile server is a setting (its origin is
# then allowed for images), e.g. PARSOC_MAP_TILE_URL=https://tile.openstreetmap.org/{z}/{x}/{y}.png
PARSOC_MAP_TILES = (
    {"url": os.environ["PARSOC_MAP_TILE_URL"], "attribution": os.environ.get("PARSOC_MAP_TILE_ATTRIBUTION", "")}
    if os.environ.get("PARSOC_MAP_TILE_URL") else None
)
_TILE_ORIGINS = (
    ["/".join(PARSOC_MAP_TILES["url"].split("/", 3)[:3]).replace("{s}.", "*.")] if PARSOC_MAP_TILES else []
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *_TILE_ORIGINS],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}

# Mail: SMTP when configured, otherwise files under PARSOC_HOME/mail.
if os.environ.get("PARSOC_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["PARSOC_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("PARSOC_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("PARSOC_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("PARSOC_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = _flag("PARSOC_EMAIL_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = PARSOC_HOME / "mail"
    EMAIL_FILE_PATH.mkdir(mode=0o700, exist_ok=True)  # the mails hold confirmation and invitation links
# Absolute links in mail (notices, digests) start with this address (parsoc.web.notifications).
PARSOC_SITE_URL = os.environ.get("PARSOC_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = os.environ.get("PARSOC_FROM_EMAIL", "parsoc <noreply@localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
