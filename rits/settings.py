"""Settings for Rits. Everything that differs between deployments comes from the
environment (see .env.example); nothing here needs editing to install Rits."""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF

from rits.lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
TESTING = "pytest" in sys.modules or (len(sys.argv) > 1 and sys.argv[1] == "test")

# Local development and the test suite may run with throwaway keys; a deployment
# with DEBUG off must set its own (``check --deploy`` reports a weak one).
_DEV_SECRET = "insecure-development-key-only-for-debug-and-tests"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY") or (_DEV_SECRET if DEBUG or TESTING else "")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off (see .env.example).")

# The key for BSN pseudonyms (HMAC-SHA256). Losing it makes existing pseudonyms
# unmatchable, so it is configured separately from SECRET_KEY and never rotated lightly.
RITS_PSEUDONYM_KEY = env_str("RITS_PSEUDONYM_KEY") or (
    "insecure-development-pseudonym-key" if DEBUG or TESTING else ""
)
if not RITS_PSEUDONYM_KEY:
    raise RuntimeError("RITS_PSEUDONYM_KEY must be set when DEBUG is off (see .env.example).")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Recovery codes for a second factor (a lost phone), from django-otp itself.
    "django_otp.plugins.otp_static",
    "axes",
    "django_htmx",
    "template_partials",
    "csp",
    "ninja",
    "rits.regions",
    "rits.accounts",
    "rits.audit",
    "rits.directory",
    "rits.family_plans",
    "rits.involvement",
    "rits.dialogues",
    "rits.knowledge",
    "rits.outcomes",
    "rits.demo",
]
# The benchmarks (``bench/``, behind ``make bench``) are no part of a deployment.
if DEBUG or TESTING or env_bool("RITS_BENCHMARKS", default=False):
    INSTALLED_APPS.append("bench")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "rits.audit.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication, so a user's own language preference can count.
    "rits.lib.i18n.DutchFirstLocaleMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "rits.accounts.middleware.TwoFactorRequiredMiddleware",
    "rits.accounts.middleware.IdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Inside the language and message middleware, so the page is in the reader's language.
    "rits.lib.errors.MethodNotAllowedPageMiddleware",
    "rits.lib.htmx.HtmxVaryMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so that a locked-out login never reaches the view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rits.urls"
WSGI_APPLICATION = "rits.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "rits.accounts.context_processors.navigation",
            ],
        },
    },
]

# SQLite: how often the server copies the write-ahead log back (rits/lib/sqlite_wal.py).
RITS_SQLITE_CHECKPOINT_SECONDS = float(env_str("RITS_SQLITE_CHECKPOINT_SECONDS", "1"))
# SQLite: page cache per database connection, and how much of the file may be read
# through memory mapping; see the README ("Running on SQLite").
RITS_SQLITE_CACHE_MB = env_int("RITS_SQLITE_CACHE_MB", 512)
RITS_SQLITE_MMAP_MB = env_int("RITS_SQLITE_MMAP_MB", 0)

# "default" is shared by every worker and server: the rate limits count there, so that
# "30 lookups per hour" means 30 however many processes serve Rits. It is Django's
# database cache (the table ``rits_cache``, made by a migration) unless REDIS_URL names
# a Redis server. "plan_content" lives in each server process's own memory: what the
# plan page read of a plan, kept under the plan's content token (see
# rits/family_plans/reads.py); at most PLAN_CONTENT_SECONDS and 500 plans per process.
REDIS_URL = env_str("REDIS_URL")
SHARED_CACHE: dict[str, Any] = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "rits_cache",
        # Culling starts at MAX_ENTRIES; one entry per account or address and limit.
        "OPTIONS": {"MAX_ENTRIES": 1_000_000},
    }
)
CACHES: dict[str, dict[str, Any]] = {
    "default": SHARED_CACHE,
    "plan_content": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "plan_content",
        "TIMEOUT": env_int("PLAN_CONTENT_SECONDS", 60),
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
    # Ranked first pages of social-map searches (public data, the same for everyone),
    # per process, under the index's generation (rits/directory/search.py).
    "search_results": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "search_results",
        "TIMEOUT": env_int("SEARCH_RESULTS_SECONDS", 600),
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

# SQLite by default, with a busy timeout and IMMEDIATE transactions so that
# concurrent writers queue instead of failing; PostgreSQL through DATABASE_URL.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # Keep a worker's connection for good: it holds SQLite's page cache (see
            # RITS_SQLITE_CACHE_MB), and opening one means opening three files and
            # registering Django's SQL functions. Restart the server after restoring
            # the database file from a backup.
            "CONN_MAX_AGE": None,
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                    f"PRAGMA cache_size=-{RITS_SQLITE_CACHE_MB * 1024}; "
                    f"PRAGMA mmap_size={RITS_SQLITE_MMAP_MB * 1024 * 1024};"
                ),
            },
            # A file, not :memory:, so tests with concurrent writers get real locking.
            "TEST": {
                "NAME": env_str("SQLITE_TEST_PATH")
                or str(Path(tempfile.gettempdir()) / f"rits-test-{os.getpid()}.sqlite3")
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests create many users. Production keeps Argon2.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout: 5 failed attempts per account and address lock that combination for 30 minutes.
# Reverse proxies in front of Rits that add the client's address to X-Forwarded-For
# (rits/lib/proxies.py); 0 reads the socket's address.
RITS_TRUSTED_PROXIES = env_int("RITS_TRUSTED_PROXIES", 0)

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "Rits"
OTP_TOTP_THROTTLE_FACTOR = 1
# A second factor's secret is its owner's alone: the admin shows no TOTP key, QR code or
# recovery code of anyone (django-otp's admin would, by default).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Sessions end after 30 minutes without activity (IdleTimeoutMiddleware) and always
# when the browser closes; a working day at most.
RITS_IDLE_TIMEOUT = timedelta(minutes=env_int("RITS_IDLE_TIMEOUT_MINUTES", 30))
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 60 * 60 * 10
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Security headers. With DEBUG off, everything check --deploy asks for is on.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
if TESTING:
    SECURE_SSL_REDIRECT = False

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

LANGUAGE_CODE = "nl"
# Each language is named in itself, so a reader finds theirs whatever the current one is.
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# E-mail: SMTP when EMAIL_HOST is set, otherwise printed to the console.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Rits <noreply@rits.example.nl>")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50
# Rate limits (rits/accounts/throttling.py), per account, or per client address for calls
# without one; "off" switches a limit off. ninja must not read X-Forwarded-For itself:
# REMOTE_ADDR already holds the client's address (RITS_TRUSTED_PROXIES).
NINJA_NUM_PROXIES = 0
RITS_API_RATE = env_str("RITS_API_RATE", "600/m")  # every JSON API call
# Registering one signal (form and API): each tells whether others are involved.
RITS_REGISTRATION_RATE = env_str("RITS_REGISTRATION_RATE", "120/m")
# Rights lookups by BSN (page and API), which show who registered a person.
RITS_RIGHTS_LOOKUP_RATE = env_str("RITS_RIGHTS_LOOKUP_RATE", "30/h")

# Involvement index: default duration of a signal, and the days a match may wait for
# agreement on who coordinates before the municipal coordinator is told.
# The youth-care region (CBS code, e.g. JZ41) whose municipalities pages offer first to
# people outside any organisation; empty: the one region on this Rits, if just one.
RITS_HOME_REGION = env_str("RITS_HOME_REGION", "").upper()
RITS_INVOLVEMENT_DEFAULT_DAYS = env_int("RITS_INVOLVEMENT_DEFAULT_DAYS", 365)
RITS_INVOLVEMENT_ESCALATION_DAYS = env_int("RITS_INVOLVEMENT_ESCALATION_DAYS", 14)
# Social map: organisations are asked to confirm their entries every so many months.
RITS_REVIEW_EVERY_MONTHS = env_int("RITS_REVIEW_EVERY_MONTHS", 6)

# Audit trail: the number of parallel hash-chain lanes (rits/audit/README.md). Writers in
# different lanes never wait for each other, so it should be at least the number of
# database connections that write at once (app processes times threads, plus jobs).
RITS_AUDIT_LANES = max(1, env_int("RITS_AUDIT_LANES", 16))
