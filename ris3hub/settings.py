"""Django settings, derived from the declared table in ris3hub.conf."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
import plotly

from ris3hub import conf

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = conf.data_dir()
PRODUCTION = conf.get("RIS3HUB_ENV") == "production"

SECRET_KEY = conf.get("RIS3HUB_SECRET_KEY") or "ris3hub-development-key-not-for-production"
DEBUG = bool(conf.get("RIS3HUB_DEBUG")) and not PRODUCTION
ALLOWED_HOSTS = [h.strip() for h in conf.get("RIS3HUB_ALLOWED_HOSTS").split(",") if h.strip()]
if not PRODUCTION:
    ALLOWED_HOSTS += ["testserver", "[::1]"]

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
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ris3hub.audit.middleware.AuditActorMiddleware",  # who made a change, for the audit log
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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

if PRODUCTION:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
