"""Gandang settings: everything that varies between installs comes from the environment."""

import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from gandang.core.env import envbool, envint, envints, envjson, envstr
from gandang.core.keyfile import create_once

BASE_DIR = Path(__file__).resolve().parent

# Where the embedded database, the keys and the uploaded files live.
DATA_DIR = Path(envstr("GANDANG_DATA_DIR", str(Path.cwd() / "data"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

# Uploaded files (attachments, scans, ledger workbooks awaiting confirmation) go through Django's storage
# API only, never by path, so that app servers on several machines can share them: a folder every machine
# mounts (GANDANG_MEDIA_ROOT on NFS), or another backend by its dotted path (GANDANG_STORAGE, e.g.
# django-storages' S3 backend, installed by the operator) with its options as JSON. `gandang backup` and
# `restore` copy MEDIA_ROOT, so they cover the files only on the file-system backend.
MEDIA_ROOT = Path(envstr("GANDANG_MEDIA_ROOT", str(DATA_DIR / "files"))).resolve()
STORAGES = {
    "default": {
        "BACKEND": envstr("GANDANG_STORAGE") or "django.core.files.storage.FileSystemStorage",
        "OPTIONS": envjson("GANDANG_STORAGE_OPTIONS", {}),
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def _secret_key() -> str:
    """Use GANDANG_SECRET_KEY; otherwise a random key kept in the data directory."""
    key = envstr("GANDANG_SECRET_KEY")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    create_once(path, secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("GANDANG_DEBUG", False)
ALLOWED_HOSTS = [
    h.strip() for h in envstr("GANDANG_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in envstr("GANDANG_CSRF_TRUSTED_ORIGINS").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "axes",
    "csp",
    "ninja",
    "gandang.core",
    "gandang.org",
    "gandang.accounts",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "gandang.ledger",
    "gandang.dispatch",
    "gandang.notifications",
    "gandang.documents",
    "gandang.bulletins",
    "gandang.supervision",
    "gandang.achievements",
    "gandang.matters",
    "gandang.information",
    "gandang.assessment",
    "gandang.security",
    # The orchestration layer, above every app: the city's calendar and workbench, the demo city.
    "gandang.city",
    "gandang.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gandang.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the second factor this session
    "gandang.core.middleware.NulQueryMiddleware",
    # Django's LoginRequiredMiddleware, keeping what an expired session posted (gandang.core.unsent).
    "gandang.core.unsent.LoginGate",
    "gandang.core.unsent.WhoMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session limits, forced password changes. It acts as the request comes in, before
    # the login gate's check (a view hook), so a session that ran out meets the gate as signed out and
    # what it posted is kept (gandang.core.unsent).
    "gandang.accounts.middleware.AccountPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, nearest the views: records denials (403, another's record) and downloads in the security log.
    "gandang.security.middleware.SecurityEventMiddleware",
]
# What each answer cost the server, in a Server-Timing header (bench/burst_bench.py reads it); off by default.
if envbool("GANDANG_SERVER_TIMING", False):
    MIDDLEWARE.insert(0, "gandang.core.middleware.ServerTimingMiddleware")

ROOT_URLCONF = "gandang.urls"
WSGI_APPLICATION = "gandang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Our admin/ templates (core/templates/admin) must win over django.contrib.admin's, which the
        # app loader would find first (the admin comes first in INSTALLED_APPS).
        "DIRS": [BASE_DIR / "core" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "gandang.core.context_processors.nav",
                "gandang.core.context_processors.unsent",
                "gandang.notifications.context_processors.unread",
            ],
        },
    },
]

# Database: embedded SQLite by default; PostgreSQL when DATABASE_URL is set.
if envstr("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(envstr("DATABASE_URL"), conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "gandang.sqlite3"),
            "OPTIONS": {
                # Concurrent writers wait for each other instead of failing with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=20000; "
                    "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
            # Tests use a file too, not Django's shared in-memory connection: the browser tests'
            # live server answers the page and its background saves at the same time, each on its
            # own connection, as the real server does.
            "TEST": {"NAME": str(DATA_DIR / "test-gandang.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, with usernames matched regardless of letter case.
    "gandang.accounts.backends.CaseInsensitiveModelBackend",
]
# Passwords (等保 8.1.4.1): at least 8 characters from 3 of the 4 classes, not like the username, not
# common, not all digits, none of the last 5; they expire after GANDANG_PASSWORD_MAX_AGE_DAYS.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": envint("GANDANG_PASSWORD_MIN_LENGTH", 8)},
    },
    {"NAME": "gandang.accounts.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "gandang.accounts.validators.PasswordHistoryValidator", "OPTIONS": {"count": 5}},
]
GANDANG_PASSWORD_MAX_AGE_DAYS = envint("GANDANG_PASSWORD_MAX_AGE_DAYS", 90)  # 0: passwords never expire
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed-login lockout (django-axes): N failures lock the account, whatever addresses they came from,
# for a cooling-off time; many failures from one address (any accounts) pause that address too
# (gandang.accounts.forms). The locked person is told why and until when; an administrator unlocks.
GANDANG_LOGIN_COOLOFF_MINUTES = envint("GANDANG_LOGIN_COOLOFF_MINUTES", 15)
GANDANG_LOGIN_ADDRESS_LIMIT = envint("GANDANG_LOGIN_ADDRESS_LIMIT", 20)  # 0 switches the address layer off
AXES_FAILURE_LIMIT = envint("GANDANG_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = GANDANG_LOGIN_COOLOFF_MINUTES / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes warns that a lock without the address lets an attacker rotate user agents or cookies: the lock
# here is the account's, whatever the agent, cookie or address, and addresses have their own layer.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_CALLABLE = "gandang.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "gandang.core.params.login_username"

# Several app processes (on several machines) serve one site: whatever one process knows, the others must
# know too, so it is in the database. Sessions (with the second factor's state and a form kept after the
# session ended, gandang.core.unsent) use the database engine; lockouts (django-axes' database handler) and
# the per-address layer count rows in the database; the tick's lock is a row (gandang.core.locks). The
# cache stays each process's own memory: nothing that must be right across processes is kept in it.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions expire after a working day of inactivity, and when the browser closes.
SESSION_COOKIE_AGE = envint("GANDANG_SESSION_SECONDS", 8 * 3600)
# Checked on every request (gandang.accounts.middleware): idle limits by role, and a limit from sign-in.
GANDANG_SESSION_IDLE_MINUTES = envint("GANDANG_SESSION_IDLE_MINUTES", SESSION_COOKIE_AGE // 60)
GANDANG_SESSION_IDLE_MINUTES_ADMIN = envint("GANDANG_SESSION_IDLE_MINUTES_ADMIN", 30)
GANDANG_SESSION_ABSOLUTE_HOURS = envint("GANDANG_SESSION_ABSOLUTE_HOURS", 12)

# The second factor (TOTP, gandang.accounts.two_factor): required for these roles, offered to the rest;
# a browser its person chooses to trust skips it for this many days (0: never remembered).
GANDANG_2FA_REQUIRED_ROLES = [
    r.strip()
    for r in envstr("GANDANG_2FA_REQUIRED_ROLES", "office,sysadmin,secadmin,auditadmin").split(",")
    if r.strip()
]
GANDANG_2FA_REMEMBER_DAYS = envint("GANDANG_2FA_REMEMBER_DAYS", 30)
OTP_TOTP_ISSUER = envstr("GANDANG_2FA_ISSUER", "敢当")
# Not on every request: a GET writes nothing; gandang.accounts.middleware slides the expiry now and then.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = (
    "gandang.core.views.csrf_failure"  # a refused form says why in words and leads back to its page
)

# Behind HTTPS (production), turn on the transport-security settings `check --deploy` asks for.
HTTPS = envbool("GANDANG_HTTPS", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("GANDANG_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("GANDANG_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True  # serve straight from the app folders: no collectstatic step
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "/files/"

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Ledger import limits, checked before a workbook is opened.
GANDANG_IMPORT_MAX_BYTES = envint("GANDANG_IMPORT_MAX_MB", 20) * 1024 * 1024
GANDANG_IMPORT_MAX_ROWS = envint("GANDANG_IMPORT_MAX_ROWS", 20000)
DATA_UPLOAD_MAX_MEMORY_SIZE = max(DATA_UPLOAD_MAX_MEMORY_SIZE, 1024 * 1024)

GANDANG_PAGE_SIZE = envint("GANDANG_PAGE_SIZE", 30)

# A pinned calendar date for demos and rehearsals (see gandang.core.clock); empty means the real date.
GANDANG_TODAY = envstr("GANDANG_TODAY") or (
    (DATA_DIR / "today").read_text().strip() if (DATA_DIR / "today").exists() else ""
)

# Monthly dispatch: the report deadline (day of month), copy detection, status rules.
GANDANG_REPORT_DEADLINE_DAY = envint("GANDANG_REPORT_DEADLINE_DAY", 25)
# A report is flagged as a suspected copy when this share of its text was already in last month's
# (gandang.dispatch.copies; bench/copy_bench.py measures it on a labelled set).
GANDANG_COPY_THRESHOLD = envint("GANDANG_COPY_THRESHOLD_PERCENT", 80) / 100
GANDANG_STATUS_RULES = {
    "grace_days": envint("GANDANG_STATUS_GRACE_DAYS", 0),
    "red_days": envint("GANDANG_STATUS_RED_DAYS", 30),
    "lag_points": envint("GANDANG_STATUS_LAG_POINTS", 20),
}
# The quarterly bulletin names at most this many lagging items, worst first, and counts the rest.
GANDANG_BULLETIN_LAGGING_NAMED = envint("GANDANG_BULLETIN_LAGGING_NAMED", 20)
# It names at most this many of the quarter's newly completed items, in ledger order, and counts the rest.
GANDANG_BULLETIN_COMPLETED_NAMED = envint("GANDANG_BULLETIN_COMPLETED_NAMED", 50)
GANDANG_ATTACHMENT_MAX_BYTES = envint("GANDANG_ATTACHMENT_MAX_MB", 20) * 1024 * 1024
# Office files (.docx/.xlsx/.pptx are zips) are refused, before they are kept or read, when their zip
# directory says they would unzip into more than this in all, when one part would unzip into more than
# this many times its compressed size (parts under 1 MB exempt), or when they hold more parts than this
# (gandang.core.zipguard): the marks of a decompression bomb.
GANDANG_UNZIP_MAX_BYTES = envint("GANDANG_UNZIP_MAX_MB", 200) * 1024 * 1024
GANDANG_UNZIP_MAX_RATIO = envint("GANDANG_UNZIP_MAX_RATIO", 100)
GANDANG_UNZIP_MAX_MEMBERS = envint("GANDANG_UNZIP_MAX_MEMBERS", 10000)

# People's phone numbers and e-mail addresses are encrypted in the database with SM4-GCM under this key
# (base64 of 16 bytes; gandang.core.crypto). Without GANDANG_PII_KEY, the key file in the data dir is
# used, made with a random key on first start (its first line is the key in use, further lines old keys).
# Old keys are only read, while `gandang rotate-pii-key` re-encrypts. Losing the key loses those values.
GANDANG_PII_KEY = envstr("GANDANG_PII_KEY")
GANDANG_PII_KEY_FILE = DATA_DIR / "pii.key"
GANDANG_PII_OLD_KEYS = [k.strip() for k in envstr("GANDANG_PII_OLD_KEYS").split(",") if k.strip()]

EMAIL_BACKEND = envstr("GANDANG_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = envstr("GANDANG_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("GANDANG_EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("GANDANG_EMAIL_USER")
EMAIL_HOST_PASSWORD = envstr("GANDANG_EMAIL_PASSWORD")
EMAIL_USE_TLS = envbool("GANDANG_EMAIL_TLS", False)
EMAIL_TIMEOUT = envint("GANDANG_EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = envstr("GANDANG_EMAIL_FROM", "gandang@localhost")

# Notifications: in-app always; e-mail only when switched on (the console backend is not a mail server);
# a webhook (enterprise chat robot) when its URL is set. Failed sends are retried with backoff.
GANDANG_EMAIL_ENABLED = envbool("GANDANG_EMAIL_ENABLED", False)
GANDANG_WEBHOOK_URL = envstr("GANDANG_WEBHOOK_URL")
GANDANG_WEBHOOK_TIMEOUT = envint("GANDANG_WEBHOOK_TIMEOUT", 5)
GANDANG_BASE_URL = envstr("GANDANG_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
GANDANG_DELIVERY_MAX_ATTEMPTS = envint("GANDANG_DELIVERY_MAX_ATTEMPTS", 8)
GANDANG_DELIVERY_RETRY_MINUTES = envint("GANDANG_DELIVERY_RETRY_MINUTES", 5)  # doubles after each failure

# The scheduler (`gandang tick`): when periods open, when liaisons are reminded, when periods close.
GANDANG_PERIOD_OPEN_DAY = envint("GANDANG_PERIOD_OPEN_DAY", 1)
GANDANG_REMIND_DAYS = envints("GANDANG_REMIND_DAYS", "3,0")  # days before the deadline; 0 is the day
GANDANG_PERIOD_CLOSE_DAYS = envint("GANDANG_PERIOD_CLOSE_DAYS", 10)
# A plan reporting quarterly, half-yearly or yearly: its period opens this many days before its deadline.
GANDANG_PLAN_PERIOD_LEAD_DAYS = envint("GANDANG_PLAN_PERIOD_LEAD_DAYS", 15)
# Listed supervision: when the platform proposes a listing, and the time a unit gets to answer.
GANDANG_LISTING_RULES = {
    "red_periods": envint("GANDANG_LISTING_RED_PERIODS", 2),  # red in this many closed periods running
    "missing_periods": envint("GANDANG_LISTING_MISSING_PERIODS", 2),  # not reported this many months running
    "no_effect": envbool("GANDANG_LISTING_NO_EFFECT", True),  # the office's 成效不明显 proposes a listing
    "deadline_days": envint("GANDANG_LISTING_DEADLINE_DAYS", 30),  # default rectification deadline
    "letter_days": envint("GANDANG_SUPERVISION_LETTER_DAYS", 14),  # answer time after a 督办函
}

# Security audit log (gandang.security, 等保 8.1.4.3): kept at least 180 days (a lower value is refused
# at startup); the source address is taken from X-Forwarded-For only behind these proxies' addresses;
# the hash chain's key, else the `audit.key` file in the data directory (keep it with the backups).
GANDANG_SECURITY_RETENTION_DAYS = envint("GANDANG_SECURITY_RETENTION_DAYS", 180)
GANDANG_TRUSTED_PROXIES = [p.strip() for p in envstr("GANDANG_TRUSTED_PROXIES").split(",") if p.strip()]
GANDANG_SECURITY_AUDIT_KEY = envstr("GANDANG_SECURITY_AUDIT_KEY")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("GANDANG_LOG_LEVEL", "WARNING")},
}

SITE_NAME = _("敢当改革推进平台")
