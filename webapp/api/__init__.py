"""The partner JSON API under /api/v1: QRIS payments for POS systems.

Every route needs `Authorization: Bearer <api key>` (except the OpenAPI document), and
every error is JSON: {"error": {"code", "message", "field"}}.
"""

from flask import Blueprint, Flask, current_app, g, request
from flask_limiter.util import get_remote_address

from ..extensions import csrf, db, limiter
from ..models import Partner
from ..partners.accounts import partner_for_api_key
from . import waiting
from .errors import ApiError

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # authenticated by API key, not by a browser session
PUBLIC_ENDPOINTS = {"api.openapi_document"}


def request_partner() -> Partner | None:
    """The active partner whose key the request carries (`Authorization: Bearer <key>`,
    the scheme in any case, the key trimmed), looked up once per request."""
    if "api_partner" not in g:
        scheme, _, api_key = request.headers.get("Authorization", "").partition(" ")
        g.api_partner = partner_for_api_key(api_key.strip()) if scheme.lower() == "bearer" else None
    return g.api_partner


def _limit_key() -> str:
    """A partner's calls count against the partner, however its key is spelled; calls
    without a valid key count against their address, whatever key they make up."""
    partner = request_partner()
    key = f"partner:{partner.id}" if partner else "address:" + get_remote_address()
    # End the lookup's read-only transaction: on SQLite it holds the write lock that the
    # limit's own count (a transaction of its own) would wait for.
    db.session.commit()
    return key


limiter.limit(lambda: current_app.config["RATELIMIT_API"], key_func=_limit_key)(bp)


@bp.before_request
def authenticate():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    partner = request_partner()
    if partner is None:
        raise ApiError(
            401,
            "unauthorized",
            "missing or invalid API key (Authorization: Bearer <key>)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    g.partner = partner
    return None


@bp.errorhandler(ApiError)
def api_error(exc: ApiError):
    return exc.response()


from . import views  # noqa: E402,F401


def init_app(app: Flask) -> None:
    waiting.init_app(app)
    app.register_blueprint(bp)
