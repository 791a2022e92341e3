"""Django settings, derived from the declared table in ris3hub.conf."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
import plotly
from csp import constants as csp

from ris3hub import conf
from ris3hub.security import caches as security_caches
from ris3hub.security import production as security_production
from ris3hub.security import rates as security_rates

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = conf.data_dir()
PRODUCTION = conf.get("RIS3HUB_ENV") == "production"

SECRET_KEY = conf.get("RIS3HUB_SECRET_KEY") or "ris3hub-development-key-not-for-production"
if PRODUCTION:  # a missing or weak key stops startup with a message naming the setting
    SECRET_KEY = security_production.require_secret_key(conf.get("RIS3HUB_SECRET_KEY"))
DEBUG = bool(conf.get("RIS3HUB_DEBUG")) and not PRODUCTION
ALLOWED_HOSTS = [h.strip() for h in conf.get("RIS3HUB_ALLOWED_HOSTS").split(",") if h.strip()]
if not PRODUCTION:
    ALLOWED_HOSTS += ["testserver", "[::1]"]
else:
    ALLOWED_HOSTS = security_production.require_allowed_hosts(ALLOWED_HOSTS)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "ninja",
    "axes",
    "csp",
    "django_ratelimit",
    "ris3hub.security",
    "ris3hub.core",
    "ris3hub.regions",
    "ris3hub.taxonomy",
    "ris3hub.registry",
    "ris3hub.accounts",
    "ris3hub.projects",
    "ris3hub.strategies",
    "ris3hub.monitoring",
    "ris3hub.indicators",
    "ris3hub.analytics",
    "ris3hub.search",
    "ris3hub.events",
    "ris3hub.consultation",
    "ris3hub.practices",
    "auditlog",
    "ris3hub.audit",
    "ris3hub.tokens",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "ris3hub.security.requestsize.RequestSizeLimitMiddleware",
    "ris3hub.security.nulbytes.NulByteQueryMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ris3hub.audit.middleware.AuditActorMiddleware",  # who made a change, for the audit log
    "ris3hub.security.ratelimits.RateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns an Axes lockout into its answer
]

ROOT_URLCONF = "ris3hub.urls"
WSGI_APPLICATION = "ris3hub.wsgi.application"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

_db_url = conf.get("DATABASE_URL")
if _db_url:
    DATABASES = {"default": dj_database_url.parse(_db_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "ris3hub.sqlite3",
            "OPTIONS": {"timeout": 30, "init_command": "PRAGMA journal_mode=WAL;"},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("it", "Italiano")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Rome"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor/plotly", Path(plotly.__file__).parent / "package_data")]
# Files are served from the app and package folders directly: no collectstatic step to forget.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/accounts/"
LOGOUT_REDIRECT_URL = "/"
EMAIL_BACKEND = conf.get("RIS3HUB_EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = conf.get("RIS3HUB_DEFAULT_FROM_EMAIL")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# ---- hardening (ris3hub/security/): `ris3hub manage check --deploy` passes with RIS3HUB_ENV=production

RIS3HUB_BEHIND_PROXY = bool(conf.get("RIS3HUB_BEHIND_PROXY"))
if RIS3HUB_BEHIND_PROXY:  # the proxy terminates HTTPS and says so; only set this behind one that overwrites it
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if PRODUCTION:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(conf.get("RIS3HUB_HSTS_SECONDS"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Argon2id first; the others still check (and upgrade on login) passwords hashed before.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

CACHES = security_caches.cache_settings(conf.get("RIS3HUB_CACHE_URL"))

# Login throttling (django-axes, ris3hub/security/login_throttle.py): per user name and address.
AUTHENTICATION_BACKENDS = [
    "ris3hub.security.login_throttle.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
    "ris3hub.accounts.backends.AdministratorRoleBackend",  # the administrator role may use the admin site
]
AXES_FAILURE_LIMIT = security_rates.positive_int("RIS3HUB_LOGIN_FAILURE_LIMIT")
AXES_COOLOFF_TIME = timedelta(minutes=security_rates.positive_int("RIS3HUB_LOGIN_COOLOFF_MINUTES"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "ris3hub.security.clientip.client_ip"
AXES_LOCKOUT_CALLABLE = "ris3hub.security.login_throttle.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # no record of successful logins (address, browser): personal data we do not need
AXES_VERBOSE = False

# Rate limits (django-ratelimit, ris3hub/security/ratelimits.py).
RATELIMIT_ENABLE = security_rates.switch("RIS3HUB_RATE_LIMITS")
RIS3HUB_RATE_LIMIT_RATES = {
    "search": security_rates.rate("RIS3HUB_RATE_LIMIT_SEARCH"),
    "matching": security_rates.rate("RIS3HUB_RATE_LIMIT_MATCHING"),
    "api": security_rates.rate("RIS3HUB_RATE_LIMIT_API"),
}
RATELIMIT_USE_CACHE = "default"
RATELIMIT_FAIL_OPEN = True  # a count lost in a race (its key expiring between add and incr) lets that request by
# django-ratelimit accepts only memcached and django-redis; ris3hub.security.checks explains and replaces these:
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# Uploads: no request body over RIS3HUB_MAX_UPLOAD_MB (ris3hub/security/requestsize.py); forms may accept less.
RIS3HUB_MAX_UPLOAD_BYTES = security_rates.positive_int("RIS3HUB_MAX_UPLOAD_MB") * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = RIS3HUB_MAX_UPLOAD_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger files are spooled to a temporary file, not held in memory
FILE_UPLOAD_PERMISSIONS = 0o600

# Content Security Policy (django-csp): no inline script anywhere, every asset from this site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        # Plotly.js writes style attributes and <style> rules while it draws (and Swagger UI styles inline);
        # without 'unsafe-inline' charts lose their layout. Styles run no code: scripts stay 'self' only.
        "style-src": [csp.SELF, csp.UNSAFE_INLINE],
        "img-src": [csp.SELF, "data:", "blob:"],
        "font-src": [csp.SELF, "data:"],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "frame-ancestors": [csp.NONE],
        "form-action": [csp.SELF],
        **({"upgrade-insecure-requests": True} if PRODUCTION else {}),
    },
}
