"""Laurier settings: everything that differs between machines comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("LAURIER_DATA_DIR", BASE_DIR / "data"))
(DATA_DIR / "static").mkdir(parents=True, exist_ok=True)


def env_flag(name, default=False):
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


DEBUG = env_flag("DEBUG", False)
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "testserver"}
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    # A development key is harmless while Laurier answers only this machine (the demo,
    # tests, management commands); serving any real host name without a key must fail.
    if not DEBUG and not set(ALLOWED_HOSTS) <= LOCAL_HOSTS:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Set SECRET_KEY: Laurier serves other hosts than this machine.")
    SECRET_KEY = "laurier-development-key-not-for-production"

CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# The secrets that encrypt the organisations' signing keys at rest, newest first, kept outside
# the database on purpose. Unset, SECRET_KEY and its fallbacks serve (the fallbacks keep the keys
# readable when SECRET_KEY changes); `manage.py check --deploy` asks for secrets of their own.
SECRET_KEY_FALLBACKS = [
    secret for secret in os.environ.get("SECRET_KEY_FALLBACKS", "").split(",") if secret
]
CREDENTIAL_KEY_SECRETS = [
    secret for secret in os.environ.get("CREDENTIAL_KEY_SECRETS", "").split(",") if secret
] or [SECRET_KEY, *SECRET_KEY_FALLBACKS]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "laurier.core",
    "laurier.accounts",
    "laurier.organisations",
    "laurier.programs",
    "laurier.hours",
    "laurier.imports",
    "laurier.outbox",
    "laurier.recognition",
    "laurier.surveys",
    "laurier.profiles",
    "laurier.credentials",
    "laurier.contests",
    "laurier.insights",
    "laurier.api",
    "laurier.privacy",
    "laurier.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "laurier.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "laurier.urls"
WSGI_APPLICATION = "laurier.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "laurier" / "templates"],
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

SILENCED_SYSTEM_CHECKS = []

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'laurier.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Pages run short queries over indexes: PostgreSQL's JIT compiler costs them a second
    # (measured on the training-hours page at 10,000 mentors) and saves nothing.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the task worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The sessions' covering indexes speed up PostgreSQL; SQLite keeps their key columns, which
    # is all a small organisation needs.
    SILENCED_SYSTEM_CHECKS.append("models.W040")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
# Accounts come from invitations; open sign-up would let strangers in.
ACCOUNT_ADAPTER = "laurier.accounts.adapters.InvitationOnlyAccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Laurier · "
LOGIN_REDIRECT_URL = "home"
LOGIN_URL = "account_login"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
# Single sign-on per organisation (OpenID Connect): the apps live in the database, one per
# organisation (laurier/accounts/sso.py). Nobody signs up through a provider and nobody is
# matched by e-mail behind Laurier's back: the adapter admits only people the provider's own
# organisation knows. PKCE on every login; the provider's tokens are not kept.
SOCIALACCOUNT_ADAPTER = "laurier.accounts.adapters.OrganisationSignOnAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True}}

LANGUAGE_CODE = "fr-ca"
LANGUAGES = [("fr-ca", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "laurier" / "locale"]
FORMAT_MODULE_PATH = ["laurier.formats"]
LANGUAGE_COOKIE_NAME = "laurier_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "America/Toronto"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "laurier" / "static"]
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "1025"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Laurier <laurier@localhost>")
# Where the file-based e-mail backend writes, for a demo or a test run without a mail server.
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))

# Team-chat posts may go to the server's own network (a chat server on the intranet) only when
# the operator says so: otherwise a tenant's admin could make the server reach internal services.
WEBHOOK_PRIVATE_ADDRESSES = env_flag("WEBHOOK_PRIVATE_ADDRESSES", False)

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# The API (laurier/api): calls authenticated by an organisation's token, answered in one shape.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["laurier.api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["laurier.api.permissions.HasTokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["laurier.api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": os.environ.get("API_RATE_LIMIT", "600/min")},
    "DEFAULT_PAGINATION_CLASS": "laurier.api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "laurier.api.schema.LaurierAutoSchema",
    "EXCEPTION_HANDLER": "laurier.api.errors.handle_exception",
    "UNAUTHENTICATED_USER": None,
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Laurier API",
    "DESCRIPTION": (
        "Read and write an organisation's mentoring programs, people, sessions and recognition. "
        "Every call carries a token made by one of the organisation's admins "
        "(`Authorization: Bearer lau_…`) and sees that organisation only."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that share a field name ("status") across resources, named for clients.
    "ENUM_NAME_OVERRIDES": {
        "EnrolmentStatusEnum": "laurier.programs.models.EnrolmentStatus",
        "PairingStatusEnum": "laurier.programs.models.Pairing.Status",
        "ImportStatusEnum": "laurier.imports.models.ImportJob.Status",
        "ImportSourceEnum": "laurier.imports.models.ImportSource",
    },
    "APPEND_COMPONENTS": {"securitySchemes": {"token": {"type": "http", "scheme": "bearer"}}},
    "SECURITY": [{"token": []}],
    "AUTHENTICATION_WHITELIST": [],
}

# HR sync: `manage.py sync_people` imports the staff lists dropped in HR_SYNC_FOLDER/<org slug>/.
# A full list that would mark more than this share of people as having left waits for an admin,
HR_SYNC_FOLDER = os.environ.get("HR_SYNC_FOLDER", "")
HR_SYNC_MAX_LEAVING_SHARE = float(os.environ.get("HR_SYNC_MAX_LEAVING_SHARE", "0.2"))
# ... or more than this number of people, whatever their share.
HR_SYNC_MAX_LEAVERS = int(os.environ.get("HR_SYNC_MAX_LEAVERS", "50"))

# Rate limits (ours and allauth's) count in the cache. One process: its memory is enough.
# Several processes (gunicorn's workers, several servers): SHARED_CACHE=database (after
# `manage.py createcachetable`) so they share the counts; `check --deploy` warns otherwise.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("SHARED_CACHE") == "database":
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "laurier_cache",
    }
# What each process keeps in its own memory because a key names exactly what it holds: slow
# figures under the organisation's data version (programs/figures_cache.py), rendered menus
# under what they show (base.html). Processes need not share them, nor invalidate them.
CACHES["local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "local",
    "TIMEOUT": 300,
    "OPTIONS": {"MAX_ENTRIES": 5000},
}

# allauth's limits, written out so that they are chosen rather than inherited. Keys are the
# address typed, so one person's account is protected whatever the attacker's address.
ACCOUNT_RATE_LIMITS = {
    # 5 wrong passwords for one address in 5 minutes, then that address waits: guessing stays
    # hopeless, and a person who mistyped a few times is not locked out for long. Per client
    # address, 10 a minute stops a sweep over many accounts from one place.
    "login_failed": "10/m/ip,5/300s/key",
    # Logging in at all: an office behind one address logs in together on a Monday morning.
    "login": "30/m/ip",
    # A reset e-mail lands in someone's inbox: 3 per address an hour are enough for a person
    # who lost the first, and keep the form from being used to flood an inbox; 20 an hour per
    # client address stops a sweep over many addresses.
    "reset_password": "20/h/ip,3/h/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
    "manage_email": "10/m/user",
    # Accounts come from invitations (the sign-up page is closed): a low ceiling all the same.
    "signup": "10/h/ip",
}

# Behind N reverse proxies that append the client's address to X-Forwarded-For, set
# TRUSTED_PROXY_COUNT=N so that rate limits count per client rather than per proxy.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Files with more rows than this are imported by the task worker, with a progress bar.
IMPORT_BACKGROUND_THRESHOLD_ROWS = int(os.environ.get("IMPORT_BACKGROUND_THRESHOLD_ROWS", "500"))
# A checked file nobody imports (or a held staff list nobody confirms) expires after this many
# days: its file, a list of people, is deleted (recognition_daily).
IMPORT_WAITING_DAYS = int(os.environ.get("IMPORT_WAITING_DAYS", "30"))
# Plans for programs with more active mentors are computed by the task worker.
PLAN_BACKGROUND_THRESHOLD_MENTORS = int(os.environ.get("PLAN_BACKGROUND_THRESHOLD_MENTORS", "300"))
# The longest the planner searches for a better plan, in seconds.
PLANNER_TIME_LIMIT = float(os.environ.get("PLANNER_TIME_LIMIT", "60"))
INVITATION_VALID_DAYS = 14

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Other sites receive no address of Laurier's (personal links carry secrets); Laurier's own
# forms still say where they come from, which the CSRF check needs.
SECURE_REFERRER_POLICY = "same-origin"
# A window Laurier opens cannot reach back into Laurier's, and the other way round.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# HTTPS=1 when the site is served over HTTPS (directly or by a proxy in front of gunicorn).
HTTPS = not DEBUG and env_flag("HTTPS", False)
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # The language cookie says nothing secret, but sent in clear it tells an eavesdropper
    # which visitor is which: no reason to let it leave HTTPS.
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    # A load balancer or container probe asks gunicorn directly, in plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SECURE_HSTS_SECONDS = 31536000
    # On by default: it covers the names *under* Laurier's own host (laurier.example.org), not
    # its siblings, and Laurier serves nothing there. An operator who serves Laurier at the
    # bottom of a domain whose other sub-sites still speak plain HTTP turns it off.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("HSTS_INCLUDE_SUBDOMAINS", True)
    # Preloading is a commitment made for a whole registered domain, at hstspreload.org, by
    # whoever owns it: never on by default.
    SECURE_HSTS_PRELOAD = env_flag("HSTS_PRELOAD", False)
    # The operator's choices above are decisions, not oversights: their warnings are answered.
    if not SECURE_HSTS_INCLUDE_SUBDOMAINS:
        SILENCED_SYSTEM_CHECKS.append("security.W005")
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS.append("security.W021")
# Behind a proxy (TRUSTED_PROXY_COUNT > 0) the connection from the proxy is plain HTTP: the
# proxy says whether the visitor's was HTTPS. Trusted only then, since a client could write
# the header itself when nothing in front of gunicorn overwrites it.
if TRUSTED_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): scripts and styles come from Laurier's static files
# only; no inline script or style, no eval. Pages that need more (the API documentation) widen
# it for themselves with csp_update/csp_replace, never here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # data: for the small images the browser draws itself (Pico's icons in its CSS).
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Personal survey links are secrets: no log line may carry one.
    "filters": {"mask_survey_tokens": {"()": "laurier.core.logging.MaskSurveyTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_survey_tokens"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # runserver's request log, through the same masking handler.
    "loggers": {"django.server": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
