"""Settings for Maventa Portal: one module, every knob from the environment.

Development defaults are safe and need nothing installed (SQLite, the ORM broker, the
local-memory cache, the built-in Maventa sandbox). When ``MAVENTA_ENV`` is ``stage`` or
``production`` the secrets have no default and start-up stops naming what is missing.
"""

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import environ
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# MAVENTA ENVIRONMENT (read first: it decides which secrets must be given)
# ------------------------------------------------------------------------------
MAVENTA_ENV = env.str("MAVENTA_ENV", default="sandbox")
if MAVENTA_ENV not in {"sandbox", "stage", "production"}:
    raise ImproperlyConfigured(
        f"MAVENTA_ENV must be sandbox, stage or production, not {MAVENTA_ENV!r}."
    )
IS_SANDBOX = MAVENTA_ENV == "sandbox"

_REQUIRED_OUTSIDE_SANDBOX = [
    "SECRET_KEY",
    "MAVENTA_VENDOR_API_KEY",
    "MAVENTA_WEBHOOK_SECRET",
    "FIELD_ENCRYPTION_KEY",
]


def _not_fernet_keys(value: str) -> str:
    """Why value is not one or more Fernet keys separated by commas; empty when it is."""
    # Empty entries are skipped, as companies.crypto skips them (a trailing comma while rotating).
    keys = [key.strip() for key in value.split(",") if key.strip()]
    if not keys:
        return "no key given"
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            return f"entry {position} of {len(keys)} is not a Fernet key"
    return ""


if not IS_SANDBOX:
    _missing = [name for name in _REQUIRED_OUTSIDE_SANDBOX if not env.str(name, default="")]
    if _missing:
        raise ImproperlyConfigured(
            f"MAVENTA_ENV={MAVENTA_ENV} needs these settings: {', '.join(_missing)}."
        )
    # Debug pages show settings, SQL and local variables to whoever triggers an error.
    if env.bool("DEBUG", default=False):
        raise ImproperlyConfigured(f"DEBUG must be false when MAVENTA_ENV={MAVENTA_ENV}.")
    # Found now rather than at the first stored API key, which would fail mid-request.
    _bad_key = _not_fernet_keys(env.str("FIELD_ENCRYPTION_KEY"))
    if _bad_key:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY must be one or more Fernet keys separated by commas, "
            f"newest first ({_bad_key})."
        )

# Sandbox-only defaults: they open nothing but the local stand-in for Maventa.
_SANDBOX_DEFAULTS = {
    "SECRET_KEY": "sandbox-only-insecure-key-do-not-use-outside-the-sandbox",
    "MAVENTA_VENDOR_API_KEY": "sandbox-vendor-api-key",
    "MAVENTA_OPERATOR_ID": "sandbox-operator",
    "MAVENTA_OPERATOR_SECRET": "sandbox-operator-secret",
    "MAVENTA_WEBHOOK_SECRET": "sandbox-webhook-secret",
    # A valid Fernet key (32 url-safe base64 bytes), for the sandbox only.
    "FIELD_ENCRYPTION_KEY": "c2FuZGJveC1vbmx5LWZlcm5ldC1rZXktMzItYnl0ZXM=",
}


def _secret(name: str) -> str:
    return env.str(name, default=_SANDBOX_DEFAULTS.get(name, "") if IS_SANDBOX else "")


# GENERAL
# ------------------------------------------------------------------------------
SECRET_KEY = _secret("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Helsinki")
LANGUAGE_CODE = "en-gb"
# One date and time format on every page and in the admin: "25 Nov 2026 22:24".
FORMAT_MODULE_PATH = ["maventa_portal.formats"]
USE_I18N = True
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
ROOT_URLCONF = "maventa_portal.urls"
WSGI_APPLICATION = "maventa_portal.wsgi.application"
PORTAL_VERSION = "0.1.0"

# APPS
# ------------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]
THIRD_PARTY_APPS = [
    "django_q",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "auditlog",
    "csp",
]
LOCAL_APPS = ["maventa_portal.core", "companies", "exchange", "receivables"]
# The sandbox imitates Maventa; it is never installed against Maventa's real hosts.
SANDBOX_APPS = ["maventa_portal.sandbox"] if IS_SANDBOX else []
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS + SANDBOX_APPS

# First, so that every error under /sandbox/ leaves as Maventa's JSON error body.
SANDBOX_MIDDLEWARE = (
    ["maventa_portal.sandbox.middleware.JsonErrorsMiddleware"] if IS_SANDBOX else []
)
MIDDLEWARE = SANDBOX_MIDDLEWARE + [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "maventa_portal.core.middleware.RejectNulMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "maventa_portal.core.headers.NoStoreForAuthenticatedMiddleware",
    "maventa_portal.core.middleware.StaffOnlyMiddleware",
    # After the staff check: a staff session shows its second factor before any page.
    "maventa_portal.core.twofactor.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Who did it and from where, for every audit entry written during the request.
    "maventa_portal.core.audit.middleware.AuditActorMiddleware",
    # Maventa calls made for a page wait at most MAVENTA_INTERACTIVE_DEADLINE seconds.
    "maventa_portal.maventa.InteractiveCallsMiddleware",
    "maventa_portal.core.middleware.MaventaErrorMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

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
                "maventa_portal.core.context_processors.portal",
                "receivables.context_processors.unread_messages",
            ],
        },
    },
]

# DATABASES
# ------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web process read while the task worker writes; IMMEDIATE takes the
        # write lock at BEGIN so two writers queue on the busy timeout instead of deadlocking.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    # A file, not :memory:, so that live-server threads each get their own connection; one
    # per test process, so that two test runs in one checkout cannot drop each other's tables.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f".test-db-{os.getpid()}.sqlite3")}
# Reused connections: opening one (and running its PRAGMAs) costs more than most queries.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# CACHES
# ------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="portal"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# DJANGO-Q2
# ------------------------------------------------------------------------------
Q_CLUSTER = {
    "name": "maventa_portal",
    "workers": env.int("Q_WORKERS", default=2),
    "timeout": env.int("Q_TIMEOUT", default=120),
    # retry must exceed timeout, or a slow task runs twice.
    "retry": env.int("Q_RETRY", default=180),
    "max_attempts": 3,
    "queue_limit": 50,
    "bulk": 10,
    "catch_up": False,
    "label": "Tasks",
    "sync": env.bool("Q_SYNC", default=False),
}
# Bulk work (profile registration for hundreds of companies) runs on its own cluster:
# `Q_CLUSTER_NAME=bulk qcluster`. BULK_CONCURRENCY is how many items of one kind run at once
# across every bulk cluster; BULK_WORKERS the worker processes of this one (by default as
# many, for the usual single bulk cluster).
BULK_CONCURRENCY = env.int("BULK_CONCURRENCY", default=8)
BULK_WORKERS = env.int("BULK_WORKERS", default=BULK_CONCURRENCY)
# The bulk engine (core/bulk): how long an item's lease lasts unless its worker renews it (it
# does, every third of it, while it works: a dead worker's item is back a lease later), how
# long one task drains a run before handing over (well inside Q_TIMEOUT), and how long the
# sweeper waits before asking workers again for a run nobody drains.
BULK_LEASE_SECONDS = env.int("BULK_LEASE_SECONDS", default=30)
BULK_DRAIN_SECONDS = env.int("BULK_DRAIN_SECONDS", default=60)
BULK_STALL_SECONDS = env.int("BULK_STALL_SECONDS", default=60)
# A drain task holds its worker for up to BULK_DRAIN_SECONDS: a bulk cluster takes one task
# at a time and keeps few waiting, so that the tasks spread over every bulk cluster.
Q_CLUSTER["ALT_CLUSTERS"] = {
    "bulk": {"workers": BULK_WORKERS, "queue_limit": BULK_WORKERS, "bulk": 1}
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"
    # Seconds an idle cluster waits before asking the database queue again: work starts
    # within a fifth of a second, for one small query per poll.
    Q_CLUSTER["poll"] = 0.2

# SECURITY
# ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG and not IS_SANDBOX:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # TLS ends at the proxy in front of us, which redirects plain HTTP itself.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SILENCED_SYSTEM_CHECKS = ["security.W008"] if not IS_SANDBOX else []

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:login"

# LOGIN, SESSIONS AND TWO-FACTOR AUTHENTICATION
# ------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out username or address is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
# Number of reverse proxies in front of the portal that append to X-Forwarded-For; 0 trusts
# only the socket's address, so that nobody can choose the address their failures count on.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "maventa_portal.core.net.client_ip"
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
# Each counts on its own: one username from many addresses, and many usernames from one.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token", "token"]
# 429 with a page saying for how long, and that an administrator can release the lock.
AXES_LOCKOUT_CALLABLE = "maventa_portal.core.twofactor.lockout.lockout_response"
# Two-factor authentication (TOTP, with recovery codes) for every staff user.
REQUIRE_2FA = env.bool("REQUIRE_2FA", default=not IS_SANDBOX)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Maventa Portal")
# The admin lists devices (deleting them resets a user's 2FA) but never shows keys or codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# HEADERS
# ------------------------------------------------------------------------------
# No inline script or style anywhere: every page loads its scripts and styles as files, so no
# nonce is needed. Django's admin templates comply on the pages we use; the one exception,
# change_list.html's <style> when a ModelAdmin turns off both action bars, is unused here.
# django-csp leaves DEBUG's technical 404 and 500 pages, which are all inline, without the header.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

# AUDIT
# ------------------------------------------------------------------------------
# One trail: django-auditlog writes model changes into the portal's own entry model, beside
# the entries services write for what staff asked of Maventa.
AUDITLOG_LOGENTRY_MODEL = "core.AuditEntry"
AUDITLOG_MASK_CALLABLE = "maventa_portal.core.audit.masking.mask_secret"

# STATIC
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"

# LOGGING
# ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"redact_secrets": {"()": "maventa_portal.core.log_redaction.RedactSecrets"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "urllib3": {"level": "WARNING"},
    },
}

# MAVENTA
# ------------------------------------------------------------------------------
MAVENTA_VENDOR_API_KEY = _secret("MAVENTA_VENDOR_API_KEY")
MAVENTA_OPERATOR_ID = _secret("MAVENTA_OPERATOR_ID")
MAVENTA_OPERATOR_SECRET = _secret("MAVENTA_OPERATOR_SECRET")
FIELD_ENCRYPTION_KEY = _secret("FIELD_ENCRYPTION_KEY")
# Where the built-in sandbox answers (the portal serves it under /sandbox/ itself).
MAVENTA_SANDBOX_URL = env.str("MAVENTA_SANDBOX_URL", default="http://127.0.0.1:8000/sandbox")
MAVENTA_CONNECT_TIMEOUT = env.float("MAVENTA_CONNECT_TIMEOUT", default=5.0)
MAVENTA_READ_TIMEOUT = env.float("MAVENTA_READ_TIMEOUT", default=30.0)
MAVENTA_MAX_RETRIES = env.int("MAVENTA_MAX_RETRIES", default=3)
# The most a staff page waits for one Maventa call, retries included; tasks wait longer.
MAVENTA_INTERACTIVE_DEADLINE = env.float("MAVENTA_INTERACTIVE_DEADLINE", default=8.0)
# The partner's own company on Maventa (its Maventa id; linked in the portal with its key):
# its token reads the partner feeds across every company of the vendor key. Empty: no feeds.
MAVENTA_PARTNER_COMPANY_ID = env.str("MAVENTA_PARTNER_COMPANY_ID", default="")
# INEXCHANGE and NEMHANDEL need a separate agreement with Maventa (API.md, Networks).
MAVENTA_AGREEMENT_NETWORKS = env.list("MAVENTA_AGREEMENT_NETWORKS", default=[])

# MAVENTA WEBHOOKS
# ------------------------------------------------------------------------------
# The secret Maventa sends with each delivery (?secret= or the basic-auth password). While a
# new one is rolled out to every subscription, the previous one is accepted until
# MAVENTA_WEBHOOK_PREVIOUS_SECRET_UNTIL (an ISO date-time; without it the previous one is not).
MAVENTA_WEBHOOK_SECRET = _secret("MAVENTA_WEBHOOK_SECRET")
MAVENTA_WEBHOOK_PREVIOUS_SECRET = env.str("MAVENTA_WEBHOOK_PREVIOUS_SECRET", default="")
_previous_until = env.str("MAVENTA_WEBHOOK_PREVIOUS_SECRET_UNTIL", default="")
try:
    MAVENTA_WEBHOOK_PREVIOUS_SECRET_UNTIL = (
        datetime.fromisoformat(_previous_until) if _previous_until else None
    )
except ValueError as _exc:
    raise ImproperlyConfigured(
        "MAVENTA_WEBHOOK_PREVIOUS_SECRET_UNTIL must be an ISO date-time "
        "(2026-12-31T12:00:00+02:00)."
    ) from _exc
if MAVENTA_WEBHOOK_PREVIOUS_SECRET_UNTIL and MAVENTA_WEBHOOK_PREVIOUS_SECRET_UNTIL.tzinfo is None:
    MAVENTA_WEBHOOK_PREVIOUS_SECRET_UNTIL = MAVENTA_WEBHOOK_PREVIOUS_SECRET_UNTIL.replace(
        tzinfo=UTC
    )
# Maventa's payloads are a few hundred bytes; anything near this is not one of them.
MAVENTA_WEBHOOK_MAX_BODY = env.int("MAVENTA_WEBHOOK_MAX_BODY", default=256 * 1024)
# Times an event that failed is tried again (by the sweep schedule) before it waits for staff.
MAVENTA_WEBHOOK_MAX_ATTEMPTS = env.int("MAVENTA_WEBHOOK_MAX_ATTEMPTS", default=5)
# How subscriptions carry the secret: "query" (?secret=) or "basic" (the basic-auth password).
MAVENTA_WEBHOOK_AUTH = env.str("MAVENTA_WEBHOOK_AUTH", default="query")
if MAVENTA_WEBHOOK_AUTH not in ("query", "basic"):
    raise ImproperlyConfigured('MAVENTA_WEBHOOK_AUTH must be "query" or "basic".')
# The portal's address as Maventa reaches it: subscriptions post to <this>/webhooks/maventa/.
PORTAL_PUBLIC_URL = env.str("PORTAL_PUBLIC_URL", default="http://127.0.0.1:8000")
