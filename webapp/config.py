"""Configuration from environment variables (twelve-factor).

Every setting has a default that works on a fresh checkout, so `make run` needs no
configuration at all; production overrides them through the environment.
"""

import os
import tempfile
from pathlib import Path
from typing import Any, ClassVar

from .timeutil import utcnow

INSTANCE_DIR = Path(os.environ.get("WARUNG_INSTANCE_DIR", Path(__file__).resolve().parent.parent / "instance"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def database_url(raw: str | None) -> str:
    """Normalise a database URL so that PostgreSQL always goes through psycopg 3.

    Hosting platforms hand out `postgres://` or `postgresql://` URLs; SQLAlchemy would
    pick psycopg2 (not installed) for those.
    """
    if not raw:
        return f"sqlite:///{INSTANCE_DIR / 'warung.sqlite3'}"
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


DEFAULT_SECRET_KEY = "dev-only-insecure-secret-key"  # noqa: S105 - production refuses it (webapp/production.py)
DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"


class Config:
    # WARUNG_ENV=production refuses to start with a default SECRET_KEY or without
    # PUBLIC_BASE_URL, and marks cookies Secure.
    ENVIRONMENT = os.environ.get("WARUNG_ENV", "development")
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL"))
    # Connections are held only briefly (waits hold none while waiting), so a small
    # pool per process serves many threads; past it a thread waits for a connection.
    # No overflow by default: an overflow connection is closed when it comes back, so a
    # burst opened and closed PostgreSQL sessions (a backend process each) at every
    # request, which halved the callbacks' rate under load (bench/README.md).
    # No pool_pre_ping (a round trip on every checkout): a connection the server closed
    # is found without one (extensions._drop_closed_connection).
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, Any]] = {
        "pool_size": int(os.environ.get("DB_POOL_SIZE", "20")),
        "max_overflow": int(os.environ.get("DB_MAX_OVERFLOW", "0")),
        # Whole seconds a request waits for a connection before it is answered 503 "busy,
        # try again" (errors.handle_busy); SQLAlchemy's own 30 s outlasts any customer.
        # Whole: the engine's options pass through engine_from_config, which makes it an int.
        "pool_timeout": int(os.environ.get("DB_POOL_TIMEOUT", "10")),
    }
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")
    MERCHANT_NAME = os.environ.get("MERCHANT_NAME", "Warung Makan Sederhana")
    # A signed cookie holds the cart: keep it from being readable by scripts.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # a phone left open on the menu must still check out
    MAX_CONTENT_LENGTH = 64 * 1024
    # Views marked `takes_upload` (an item's photo, up to 5 MB) may receive this much;
    # a bigger photo within it is refused with a form message, beyond it with a 413.
    MAX_UPLOAD_LENGTH = 8 * 1024 * 1024
    # Where item photos are stored (menu/photo_storage.py); empty: instance/photos.
    PHOTO_DIR = os.environ.get("PHOTO_DIR", "")
    CLOCK = utcnow  # tests inject a controllable clock here
    # Indonesian first; English one tap away. Message ids are the Indonesian texts.
    LANGUAGES = ("id", "en")
    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
    # Failed logins within LOGIN_LOCK_MINUTES that lock a username (except on devices it
    # logged in from before) and that throttle one client address (see webapp/auth).
    LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "5"))
    LOGIN_ADDRESS_MAX_FAILURES = int(os.environ.get("LOGIN_ADDRESS_MAX_FAILURES", "10"))
    LOGIN_LOCK_MINUTES = int(os.environ.get("LOGIN_LOCK_MINUTES", "15"))
    # Wrong approval PINs that hold a manager's PIN back, within PIN_LOCK_MINUTES (its
    # own count, apart from logins: a PIN is short).
    PIN_MAX_FAILURES = int(os.environ.get("PIN_MAX_FAILURES", "5"))
    PIN_LOCK_MINUTES = int(os.environ.get("PIN_LOCK_MINUTES", "15"))
    # A drawer counted at a shift's close this far from what it should hold (either way,
    # in rupiah) needs a note and a manager's approval.
    SHIFT_DIFFERENCE_LIMIT = int(os.environ.get("SHIFT_DIFFERENCE_LIMIT", "5000"))
    # A discount staff give by hand needs a manager's approval above this percentage or
    # when it takes more than this many rupiah off (either).
    DISCOUNT_APPROVAL_PERCENT = int(os.environ.get("DISCOUNT_APPROVAL_PERCENT", "20"))
    DISCOUNT_APPROVAL_AMOUNT = int(os.environ.get("DISCOUNT_APPROVAL_AMOUNT", "50000"))
    # A staff session ends after this many hours without a request (a working day).
    STAFF_SESSION_HOURS = int(os.environ.get("STAFF_SESSION_HOURS", "12"))
    # Dine-in tables: "qr_only" (a customer eats in only by scanning the table's QR) or
    # "qr_or_list" (checkout also offers a list of tables). A scanned table is remembered
    # for TABLE_SESSION_HOURS.
    TABLE_CHOICE = os.environ.get("TABLE_CHOICE", "qr_or_list")
    TABLE_SESSION_HOURS = int(os.environ.get("TABLE_SESSION_HOURS", "3"))

    # Duitku. Without a base URL the built-in sandbox is mounted and used instead
    # (development only: production refuses to start without real Duitku settings).
    DUITKU_BASE_URL = os.environ.get("DUITKU_BASE_URL", "")
    DUITKU_MERCHANT_CODE = os.environ.get("DUITKU_MERCHANT_CODE", "")
    DUITKU_API_KEY = os.environ.get("DUITKU_API_KEY", "")
    DUITKU_PAYMENT_METHOD = os.environ.get("DUITKU_PAYMENT_METHOD", "SP")
    DUITKU_EXPIRY_MINUTES = int(os.environ.get("DUITKU_EXPIRY_MINUTES", "10"))
    DUITKU_CONFIRM_CALLBACKS = env_bool("DUITKU_CONFIRM_CALLBACKS", True)
    DUITKU_CONNECT_TIMEOUT = float(os.environ.get("DUITKU_CONNECT_TIMEOUT", "3.05"))
    DUITKU_READ_TIMEOUT = float(os.environ.get("DUITKU_READ_TIMEOUT", "10"))
    DUITKU_CUSTOMER_EMAIL = os.environ.get("DUITKU_CUSTOMER_EMAIL", "pelanggan@example.com")
    # A demo in production mode with the built-in sandbox: anyone can "pay" on its payer
    # page, so every page then says that payments are not real.
    UNSAFE_SANDBOX_PAYMENTS_IN_PRODUCTION = env_bool("UNSAFE_SANDBOX_PAYMENTS_IN_PRODUCTION", False)
    # First attempt of a partner webhook: in a thread after the commit (off for tests).
    PARTNER_WEBHOOKS_IN_BACKGROUND = True
    # Partner webhooks never go to loopback, private, link-local or multicast addresses
    # (checked on every delivery); development receivers on this machine need this on.
    PARTNER_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env_bool("PARTNER_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", False)
    # Long-poll waits one process holds at once; past this the API answers 503.
    WAIT_MAX_CONCURRENT = int(os.environ.get("WAIT_MAX_CONCURRENT", "100"))
    # Of those, how many one partner may hold (so one partner cannot take every slot).
    WAIT_MAX_PER_PARTNER = int(os.environ.get("WAIT_MAX_PER_PARTNER", "25"))
    WAIT_POLL_SECONDS = 0.5
    # Staff screens' pushed updates (webapp/live/streams.py): the streams one process
    # holds at once (each holds a thread; past this a screen polls), and the heartbeat
    # that finds dead connections and tells a screen its stream is alive.
    LIVE_STREAMS_MAX = int(os.environ.get("LIVE_STREAMS_MAX", "40"))
    LIVE_HEARTBEAT_SECONDS = float(os.environ.get("LIVE_HEARTBEAT_SECONDS", "15"))
    # While its stream is open a screen still polls this often, as a check.
    LIVE_CHECK_SECONDS = 60
    # A stream sends at most one event per this many seconds: in a rush, when orders
    # change several times a second, a board fetches once a second, not at every change.
    LIVE_EVENT_SPACING_SECONDS = float(os.environ.get("LIVE_EVENT_SPACING_SECONDS", "1"))
    # Caches of the order poll and the menu (PostgreSQL only, see webapp/live/):
    # an entry is dropped when what it shows changes, and after this many seconds
    # whatever happens.
    CACHE_MAX_AGE_SECONDS = 30
    # Rate limits (Flask-Limiter), counted in the app's database (database://) so every
    # worker and every machine shares them; redis://host:6379 counts in Redis instead,
    # memory:// in each process (webapp/rate_limit_storage.py).
    RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "database://")
    # Flask-Limiter's headers would put Retry-After on every limited response and
    # overwrite the app's own (a 503's); security.py sets it on 429s only.
    RATELIMIT_HEADERS_ENABLED = False
    RATELIMIT_CHECKOUT = os.environ.get("RATELIMIT_CHECKOUT", "20/minute")
    RATELIMIT_LOGIN = os.environ.get("RATELIMIT_LOGIN", "10/minute")
    RATELIMIT_API = os.environ.get("RATELIMIT_API", "300/minute")
    # A customer's new QRIS (order, bill, share: `extensions.qris_limited`), per address.
    RATELIMIT_QRIS = os.environ.get("RATELIMIT_QRIS", "20/minute")
    # Duitku callbacks per source address; Duitku's own (DUITKU_CALLBACK_ALLOWED_IPS) are
    # never limited. Duitku sends at most 5 attempts per payment.
    RATELIMIT_DUITKU_CALLBACK = os.environ.get("RATELIMIT_DUITKU_CALLBACK", "120/minute")
    # QR images (/payments/<id>/qr.png|svg) per address: an uncached one costs about 18 ms CPU.
    RATELIMIT_QR_IMAGE = os.environ.get("RATELIMIT_QR_IMAGE", "120/minute")
    # Codes typed on a customer display to pair it with a till (six digits, valid five
    # minutes): per address, and from all addresses together.
    RATELIMIT_DISPLAY_PAIRING = os.environ.get("RATELIMIT_DISPLAY_PAIRING", "10/minute")
    RATELIMIT_DISPLAY_PAIRING_ALL = os.environ.get("RATELIMIT_DISPLAY_PAIRING_ALL", "30/minute")
    # Behind a reverse proxy: how many proxies set X-Forwarded-For/-Proto (0: trust none).
    PROXY_FIX_X_FOR = int(os.environ.get("PROXY_FIX_X_FOR", "0"))
    # Optional: only accept Duitku callbacks from these addresses (comma-separated IPs
    # or CIDRs, e.g. Duitku's published ones). Empty: any source (the signature rules).
    DUITKU_CALLBACK_ALLOWED_IPS = os.environ.get("DUITKU_CALLBACK_ALLOWED_IPS", "")
    # A pending payment's status read asks Duitku at most this often (seconds).
    DUITKU_STATUS_CHECK_INTERVAL = int(os.environ.get("DUITKU_STATUS_CHECK_INTERVAL", "10"))
    # `flask worker`'s schedule, job by job: e.g. "payments-sweep=30,partner-webhooks=5"
    # (seconds; empty: each job's default, webapp/worker.py).
    WORKER_INTERVALS = os.environ.get("WORKER_INTERVALS", "")


class TestConfig(Config):
    """Tests run on `TEST_DATABASE_URL` (PostgreSQL in CI), else on an SQLite file that
    the test fixtures choose."""

    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105 - the tests' own
    RATELIMIT_ENABLED = False  # the rate-limit tests switch it on
    PARTNER_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True  # the receivers listen on loopback
    PHOTO_DIR = str(Path(tempfile.gettempdir()) / "warung-test-photos")  # not the checkout's instance/
