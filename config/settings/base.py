"""Settings shared by every environment; everything secret or host-specific comes from the environment.

With no variable set the project runs on the embedded default: a SQLite file and a file-system
Celery broker under `var/`, so `make run` needs no server at all.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from config.logs import logging_config
from config.redis_cache import reusing_clients

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    GITHUB_TOKEN=(str, ""),
)

SECRET_KEY = env("SECRET_KEY", default="insecure-embedded-default-only-for-local-use")
DEBUG = env("DEBUG")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")

INSTALLED_APPS = [
    # Before the admin, so its admin integration and the registration in community/translation.py
    # are in place when the admin autodiscovers.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",  # API tokens for scripts, stored hashed with an expiry (community/services/tokens.py)
    "axes",  # failed log-ins counted per username and per client IP (AXES_* below)
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_results",
    "django_celery_beat",
    "csp",
    "community",
    "training",
    "alerts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After LocaleMiddleware: an unprefixed page moves to /zh-hans/ for a reader who prefers Chinese.
    "community.middleware.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before anything that builds a page-cache key: a GET reads the catalogue's version once.
    "community.page_cache.OneVersionPerRequest",
    # Inside the CSRF, messages and header middleware: a kept page goes out through them as a
    # rendered one does.
    "community.anonymous_pages.AnonymousPageMiddleware",
    "config.db_unavailable.DatabaseUnavailableMiddleware",  # a 503 page while the database is down
    # Last: turns a log-in refused by axes (too many failures) into the lockout page (AXES_LOCKOUT_CALLABLE).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
# Embedded default: a SQLite file in WAL mode, so the worker process reads and writes the same file
# while the web process serves; `transaction_mode=IMMEDIATE` takes the write lock up front, which
# avoids "database is locked" upgrades between two processes.
DATABASES = {
    "default": env.db(
        "DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'deepcommons.sqlite3'}",
    )
}
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache ----------------------------------------------------------------------------------
# A `rediscache://` URL gets Django's Redis backend with one client per pool (config/redis_cache.py).
CACHES = {
    "default": reusing_clients(env.cache("CACHE_URL", default="locmemcache://deepcommons")),
    # Limit and throttle counters (sign-up, login, reset, submissions, API throttles). They must never be
    # evicted to make room for cached pages, so in production this names a Redis configured
    # `maxmemory-policy noeviction` (the broker's), apart from the LRU cache of CACHE_URL.
    "ratelimit": reusing_clients(
        env.cache("RATELIMIT_CACHE_URL", default="locmemcache://deepcommons-ratelimit")
    ),
}
# Seconds the rendered content of the home page, the lists and search is kept (community.page_cache);
# 0 turns it off. Off by default: with the per-process local-memory cache, a write seen by one process
# would not refresh another's pages. Production turns it on when CACHE_URL names a shared cache.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=0)

# --- e-mail ---------------------------------------------------------------------------------
vars().update(env.email("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="DeepCommons <noreply@deepcommons.local>")

# --- auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The portal's own login page (the admin keeps its own); see "accounts, submissions and moderation".
LOGIN_URL = "accounts:login"

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Guides and topics carry their text per language in the database (community/translation.py): title_en,
# title_zh_hans... A text not yet translated shows in English rather than as a blank; Chinese comes
# second only for an item that has no English at all (one submitted from the Chinese pages).
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "zh-hans")
# The footer's switcher posts to set_language, which stores the choice in this cookie; a year, not
# the browser session, so the choice sticks (PreferredLanguageMiddleware reads it before Accept-Language).
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Our additions to Django's locale formats (config/formats/<locale>/formats.py), e.g. digit grouping.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# One size limit per path. Ordinary forms and API bodies: at most DATA_UPLOAD_MAX_MEMORY_SIZE (a larger
# form gets the 413 page of community.middleware.RequestSizeLimitMiddleware). Import uploads (BibTeX,
# deadline files, archives: views wrapped in community.uploads.import_upload_view): a file of at most
# IMPORT_UPLOAD_MAX_BYTES, counted while it streams in and stopped at the cap; past
# FILE_UPLOAD_MAX_MEMORY_SIZE an upload is written to a temporary file, not held in memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
IMPORT_UPLOAD_MAX_BYTES = env.int("IMPORT_UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# The Papers with Code archive from the admin (issue 14): an upload has its own, larger cap (the
# archive's papers file is about 1 GB as .json.gz), checked the same way while it streams to disk; or a
# file an operator put in PWC_IMPORT_DIR, the only server folder the admin lists (no other path can be
# named). Uploaded files and the jobs' per-record reports are kept in PWC_JOB_DIR.
PWC_UPLOAD_MAX_BYTES = env.int("PWC_UPLOAD_MAX_BYTES", default=2 * 1024 * 1024 * 1024)
PWC_IMPORT_DIR = Path(env("PWC_IMPORT_DIR", default=str(VAR_DIR / "imports" / "pwc-archive")))
PWC_JOB_DIR = Path(env("PWC_JOB_DIR", default=str(VAR_DIR / "imports" / "pwc-jobs")))

# --- Content-Security-Policy ----------------------------------------------------------------
# Nothing is loaded from another origin and no template carries an inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Celery ---------------------------------------------------------------------------------
# Embedded default: kombu's file-system transport, two folders under var/ that the web process and
# the worker share. Production sets CELERY_BROKER_URL=redis://...
BROKER_DIR = Path(env("CELERY_BROKER_DIR", default=str(VAR_DIR / "broker")))
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")


def filesystem_broker_options(folder: Path) -> dict:
    """kombu's file-system transport: producers and consumers share one folder of message files."""
    for sub in ("in", "processed", "control"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(folder / "in"),
        "data_folder_out": str(folder / "in"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),  # exchange bindings; kombu's default is ./control
        "store_processed": False,
    }


if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_broker_options(BROKER_DIR)
    # The file-system transport has no fan-out exchange, which remote control needs.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
else:
    # Above the largest hard time limit of a training run, so a long run is not redelivered early.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 4 * 3600}
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery 6 will cancel running tasks when the broker connection drops; a training run keeps going
# (its lease lives in the database) and its task is acknowledged when it ends, as today.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# --- REST framework: the API under /api/v1/ (community/api, training/api) ---------------------------
# Token first, so a request without credentials is answered 401 with `WWW-Authenticate: Token`;
# session authentication (with CSRF) serves the browser and the docs page.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "common.api.schema.ApiAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "common.api.pagination.ApiPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "community.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # An unknown ?format= is a 400 `unsupported_format` (DRF's default answers 404).
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "common.api.negotiation.ApiContentNegotiation",
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": [
        "common.api.throttling.AnonThrottle",
        "common.api.throttling.UserThrottle",
        "common.api.throttling.WriteThrottle",
    ],
    # Counted in the `ratelimit` cache (RATELIMIT_CACHE_URL), per client_ip() for `anon`. Submissions
    # are not throttled here: their one budget is SUBMISSION_RATE_LIMIT (community.services.rate_limits).
    # `writes`: the sweep actions (start, cancel, publish) per account.
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="120/minute"),
        "user": env("API_THROTTLE_USER", default="600/minute"),
        "writes": env("API_THROTTLE_WRITES", default="30/hour"),
    },
    "EXCEPTION_HANDLER": "common.api.errors.exception_handler",
    "URL_FORMAT_OVERRIDE": "format",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "DeepCommons API",
    "DESCRIPTION": (
        "The deep-learning community's catalogue (papers, people, organisations, projects, venues with "
        "their editions and deadlines, jobs, funding, channels, guides, topics) and the training "
        "results (benchmarks, sweeps, runs). Reading is open; writing needs an account (a token from "
        "/account/tokens/, sent as `Authorization: Token <key>`; it expires after API_TOKEN_TTL_DAYS, 90 days "
        "by default, and a password reset or change revokes it; or the browser session with its "
        "CSRF token) and goes to the moderators' queue. Every error has the shape "
        '`{"error": {"code", "message", "fields"}}`.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "persistAuthorization": False},
    # Every catalogue type has a `kind` of its own; name each enum after its type.
    "ENUM_NAME_OVERRIDES": {
        f"{name}KindEnum": f"community.models.{name}.Kind"
        for name in ("Organization", "Venue", "Project", "JobPosting", "FundingOpportunity", "Channel")
    }
    | {"DeadlineKindEnum": "community.models.Deadline.Kind"}
    # The time zone labels a deadline takes (two fields), one enum.
    | {"TimezoneLabelEnum": "common.api.fields.TIMEZONE_LABELS"}
    # The language a per-language text is in (`description_language`, ...), one enum.
    | {"TextLanguageEnum": "community.translation.LANGUAGE_CODES"},
}

# --- project settings -----------------------------------------------------------------------
# Optional: sent as a bearer token to the GitHub API (community/importers/github.py) for project stats;
# it raises the rate limit from 60 to 5,000 requests an hour. Needs no scope (public repositories).
GITHUB_TOKEN = env("GITHUB_TOKEN")
PAGE_SIZE = 20

# `plain` lines for a terminal, or `json` (one object per line, production's default) for a log
# collector; config/logs.py says which keys a JSON line has. Celery workers use the same LOGGING.
LOG_FORMAT = env("LOG_FORMAT", default="plain")
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = logging_config(log_format=LOG_FORMAT, level=LOG_LEVEL)

# --- training -------------------------------------------------------------------------------
# Whether this deployment runs Celery workers on the gpu queue; "auto" runs go there only if so.
TRAINING_GPU_WORKERS = env.bool("TRAINING_GPU_WORKERS", default=False)
TRAINING_HEARTBEAT_INTERVAL_S = env.float("TRAINING_HEARTBEAT_INTERVAL_S", default=1.0)
TRAINING_HEARTBEAT_STALE_S = env.int("TRAINING_HEARTBEAT_STALE_S", default=120)
TRAINING_TORCH_THREADS = env.int("TRAINING_TORCH_THREADS", default=1)
TRAINING_DATA_DIR = Path(env("TRAINING_DATA_DIR", default=str(VAR_DIR / "datasets")))
CELERY_TASK_ROUTES = {
    "training.execute_runs": {"queue": "cpu"},
    # tf-idf over every paper: scikit-learn is imported by the worker only, never by a web process.
    "community.similar_papers_refresh": {"queue": "default"},
    "community.pwc_import_job_run": {"queue": "default"},
    "community.close_expired": {"queue": "default"},
    "community.project_stats_refresh": {"queue": "default"},
    "alerts.reminders_send": {"queue": "default"},
    "alerts.digests_send": {"queue": "default"},
}
# Memory of the GPUs the gpu workers have (bytes), to size how many seeds one task trains; unset means
# "large": up to training.reference.batched.sizing.MAX_SEEDS_PER_TASK.
TRAINING_GPU_MEMORY_BYTES = env.int("TRAINING_GPU_MEMORY_BYTES", default=None)
# The longest a task may run; stays below the broker's visibility_timeout (4 h) so a long task is
# never redelivered while it still runs.
TRAINING_MAX_TASK_S = env.int("TRAINING_MAX_TASK_S", default=3 * 3600)

# --- periodic jobs (celery beat) ------------------------------------------------------------------
# The one place periodic jobs are defined; django_celery_beat's scheduler copies them into its tables.
CELERY_BEAT_SCHEDULE = {
    "requeue-stale-runs": {"task": "training.requeue_stale_runs", "schedule": 300.0},
    # Hourly: the open() filters also test the dates, so lists are right between two runs; the
    # stored closed_at is what the pages show as "Closed", and a late run dates it the same.
    "close-expired": {"task": "community.close_expired", "schedule": 3600.0},
    # GitHub stars, forks and last push; a run stops at the API's rate limit and the next one goes on.
    "refresh-project-stats": {"task": "community.project_stats_refresh", "schedule": 6 * 3600.0},
    # Topic pages' papers per year and most-linked projects (community.services.catalogue_stats).
    "refresh-catalogue-stats": {
        "task": "community.catalogue_stats_refresh",
        "schedule": env.float("CATALOGUE_STATS_SECONDS", default=600.0),
    },
    # Deadline reminders and the weekly digest (alerts.services): each mail goes out once per user,
    # deadline and offset (or user and week), however often or however concurrently these run.
    "send-reminders": {"task": "alerts.reminders_send", "schedule": env.float("ALERTS_REMINDER_EVERY_S", default=300.0)},
    "send-digests": {"task": "alerts.digests_send", "schedule": 3600.0},
    # The deadline trackers of DEADLINE_SOURCES (none by default: then the job fetches nothing).
    "sync-deadline-sources": {
        "task": "community.deadline_sources_sync",
        "schedule": env.float("DEADLINE_SYNC_SECONDS", default=6 * 3600.0),
    },
}
# Deadline trackers to keep in sync (community.services.deadline_sync), comma-separated: raw YAML file
# addresses or repository archives (.tar.gz/.zip) of ai-deadlines or ccf-deadlines, e.g.
# https://github.com/ccfddl/ccf-deadlines/archive/refs/heads/main.tar.gz. Empty: nothing is fetched.
DEADLINE_SOURCES = env.list("DEADLINE_SOURCES", default=[])
# Seconds to connect and between bytes (the whole body: three times that), and the largest answer read.
DEADLINE_SYNC_TIMEOUT_S = env.float("DEADLINE_SYNC_TIMEOUT_S", default=20.0)
DEADLINE_SYNC_MAX_BYTES = env.int("DEADLINE_SYNC_MAX_BYTES", default=64 * 1024 * 1024)
# A claimed reminder or digest not sent within this many seconds belongs to a dead worker; the next
# run sends it (alerts.services.delivery).
ALERTS_CLAIM_LEASE_S = env.int("ALERTS_CLAIM_LEASE_S", default=900)

# --- accounts, submissions and moderation ---------------------------------------------------
# Sign-up, log-in and password pages live in community/urls_accounts.py (mounted at /accounts/).
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "community:home"
# The address links in e-mails point at. Mails are sent from services, which have no request, and
# taking the host from a request would let a forged Host header put someone else's site in a mail.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Submissions, suggested edits, reports and imports of pending items per person and per IP address in a
# sliding window: one budget for the web forms, the API and imports (community.services.rate_limits).
SUBMISSION_RATE_LIMIT = env.int("SUBMISSION_RATE_LIMIT", default=20)
SUBMISSION_RATE_WINDOW_S = 3600
# Sign-ups and "send the confirmation link again" per IP address: each one sends an e-mail.
SIGNUP_RATE_LIMIT = env.int("SIGNUP_RATE_LIMIT", default=10)
# Password-reset requests (each one may send a mail) per e-mail address and per client IP in an hour.
PASSWORD_RESET_RATE_LIMIT_PER_EMAIL = env.int("PASSWORD_RESET_RATE_LIMIT_PER_EMAIL", default=5)
PASSWORD_RESET_RATE_LIMIT_PER_IP = env.int("PASSWORD_RESET_RATE_LIMIT_PER_IP", default=20)
# API tokens (django-rest-knox): only a hash is stored, each expires API_TOKEN_TTL_DAYS after it was
# made; the header stays `Authorization: Token <key>`. community.models.ApiTokenInfo adds a name and
# the last use.
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=90)
KNOX_TOKEN_MODEL = "knox.AuthToken"  # noqa: S105 - a model name, not a secret
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=API_TOKEN_TTL_DAYS),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
# Log-in brute force (django-axes): the site's log-in, the admin's log-in and anything else that calls
# authenticate() with the request. AXES_FAILURE_LIMIT failures for one username, or from one client IP,
# lock that username or that IP out for AXES_COOLOFF_MINUTES (each further try starts the wait anew).
# Counted in the database, so every web process sees them.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = True
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_MINUTES = env.int("AXES_COOLOFF_MINUTES", default=15)
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one locks: not only the pair
# The one function that says who the client is (it honours NUM_PROXIES), as for every other limit.
AXES_CLIENT_IP_CALLABLE = "common.http.client_ip"
AXES_LOCKOUT_CALLABLE = "community.views.accounts.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
# Failed attempts (username tried, address, browser) are kept only until their cool-off ends; no
# history of successful log-ins is kept.
AXES_DISABLE_ACCESS_LOG = True
# Failures and lock-outs are still logged (the username and address masked); no start-up banner.
AXES_VERBOSE = False
# How many proxies in front of the site append to X-Forwarded-For (0: use REMOTE_ADDR). Only with
# the right number is the client's address the one the proxies saw, not one the client made up.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)
# DRF reads it too (throttles' get_ident is overridden with client_ip, but nothing in DRF should ever
# trust more of X-Forwarded-For than the site does).
REST_FRAMEWORK["NUM_PROXIES"] = NUM_PROXIES
# A POST larger than DATA_UPLOAD_MAX_MEMORY_SIZE gets a 413 page that says so, before CSRF (which
# reads the body) turns it into a bare 400.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.csrf.CsrfViewMiddleware"),
    "community.middleware.RequestSizeLimitMiddleware",
)
