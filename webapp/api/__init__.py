"""The partner JSON API under /api/v1: QRIS payments for POS systems.

Every route needs `Authorization: Bearer <api key>` (except the OpenAPI document), and
every error is JSON: {"error": {"code", "message", "field"}}.
"""

from flask import Blueprint, Flask, current_app, g, request
from flask_limiter.util import get_remote_address

from ..extensions import csrf, db, limiter
from ..models import Partner
from ..partners.accounts import partner_id_for_api_key
from ..request_guards import UnstorableInput
from . import status_cache, waiting
from .errors import ApiError, invalid, not_found

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # authenticated by API key, not by a browser session
PUBLIC_ENDPOINTS = {"api.openapi_document"}


def request_partner_id() -> int | None:
    """The id of the active partner whose key the request carries (`Authorization:
    Bearer <key>`, the scheme in any case, the key trimmed), looked up once per request."""
    if "api_partner_id" not in g:
        scheme, _, api_key = request.headers.get("Authorization", "").partition(" ")
        g.api_partner_id = partner_id_for_api_key(api_key.strip()) if scheme.lower() == "bearer" else None
    return g.api_partner_id


def current_partner() -> Partner:
    """The calling partner's row, for the calls that need more than its id (`g.partner_id`)."""
    partner = db.session.get(Partner, g.partner_id)
    if partner is None:  # deleted since its key was checked
        raise ApiError(401, "unauthorized", "missing or invalid API key", headers={"WWW-Authenticate": "Bearer"})
    return partner


def _limit_key() -> str:
    """A partner's calls count against the partner, however its key is spelled; calls
    without a valid key count against their address, whatever key they make up."""
    partner_id = request_partner_id()
    key = f"partner:{partner_id}" if partner_id is not None else "address:" + get_remote_address()
    # End the lookup's read-only transaction: on SQLite it holds the write lock that the
    # limit's own count (a transaction of its own) would wait for.
    db.session.commit()
    return key


limiter.limit(lambda: current_app.config["RATELIMIT_API"], key_func=_limit_key)(bp)


@bp.before_request
def authenticate():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    partner_id = request_partner_id()
    if partner_id is None:
        raise ApiError(
            401,
            "unauthorized",
            "missing or invalid API key (Authorization: Bearer <key>)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    g.partner_id = partner_id
    return None


@bp.errorhandler(ApiError)
def api_error(exc: ApiError):
    return exc.response()


@bp.errorhandler(UnstorableInput)
def unstorable_input(exc: UnstorableInput):
    """A NUL character (refused before any view runs: webapp/request_guards.py), in the
    answers the OpenAPI document lists: a query value holding one is a 422 naming its
    parameter, even one the operation does not take; an id holding one names nothing
    that exists, a 404."""
    if exc.part == "query":
        return invalid(exc.parameter, exc.description).response()
    return not_found(f"no such {exc.parameter or 'resource'}", exc.parameter).response()


from . import views  # noqa: E402,F401


def init_app(app: Flask) -> None:
    waiting.init_app(app)
    status_cache.init_app(app)
    app.register_blueprint(bp)
