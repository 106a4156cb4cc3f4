"""Security settings applied to every response and request.

- Headers: a Content-Security-Policy without inline script (htmx and our scripts are
  files on this origin), no framing, no referrer beyond this site, no MIME sniffing,
  and HSTS on HTTPS requests.
- Proxies: X-Forwarded-For/-Proto are honoured only when PROXY_FIX_X_FOR says how many
  proxies stand in front; otherwise a client could claim any address.
- Rate limits (Flask-Limiter) are declared on the checkout, login, partner API, Duitku
  callback and QR image views and the customer display's pairing codes, and counted in
  the app's database (rate_limit_storage.py). Retry-After goes on a 429 only: a 503
  keeps the app's own, and other responses have none. Polls are marked
  `never_rate_limited` (extensions.py): the limiter does not work out their limits.
"""

import math
import time
from ipaddress import ip_address, ip_network

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

from . import rate_limit_storage  # noqa: F401 - registers database:// with `limits`
from .extensions import limiter

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HSTS = "max-age=31536000; includeSubDomains"


SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),  # order URLs carry their secret id
    ("X-Content-Type-Options", "nosniff"),
)
HTTPS_HEADERS = (*SECURITY_HEADERS, ("Strict-Transport-Security", HSTS))


def set_security_headers(response):
    """Each header unless the view set its own (one pass over the response's headers:
    this runs on every response, the order poll's included)."""
    headers = response.headers
    present = {name.lower() for name, _value in headers}
    for name, value in HTTPS_HEADERS if request.is_secure else SECURITY_HEADERS:
        if name.lower() not in present:
            headers.add(name, value)
    return response


def set_retry_after_on_429(response):
    """When the breached limit's window ends, in whole seconds (at least 1)."""
    if response.status_code == 429 and (limit := limiter.current_limit) is not None:
        response.headers["Retry-After"] = str(max(1, math.ceil(limit.window.reset_time - time.time())))
    return response


def allowed_networks(setting: str) -> list:
    return [ip_network(part.strip(), strict=False) for part in setting.split(",") if part.strip()]


def source_allowed(networks: list, address: str | None) -> bool:
    """True when no allow-list is set, or `address` is inside one of its networks."""
    if not networks:
        return True
    try:
        source = ip_address(address or "")
    except ValueError:
        return False
    return any(source in network for network in networks)


def init_app(app: Flask) -> None:
    if app.config["PROXY_FIX_X_FOR"]:
        hops = app.config["PROXY_FIX_X_FOR"]
        # Flask's documented way to add WSGI middleware; mypy refuses assigning to a method.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    app.config["DUITKU_CALLBACK_NETWORKS"] = allowed_networks(app.config["DUITKU_CALLBACK_ALLOWED_IPS"])
    limiter.init_app(app)
    app.after_request(set_retry_after_on_429)
    app.after_request(set_security_headers)
