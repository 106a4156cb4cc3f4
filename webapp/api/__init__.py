"""The partner JSON API under /api/v1: QRIS payments for POS systems.

Every route needs `Authorization: Bearer <api key>` (except the OpenAPI document), and
every error is JSON: {"error": {"code", "message", "field"}}.
"""
import hashlib

from flask import Blueprint, current_app, g, request
from flask_limiter.util import get_remote_address

from ..extensions import csrf, limiter
from . import waiting
from .errors import ApiError
from .partners import partner_for_api_key

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # authenticated by API key, not by a browser session
PUBLIC_ENDPOINTS = {"api.openapi_document"}


def _partner_key() -> str:
    """Rate-limit per API key (hashed), or per address for calls without one."""
    authorization = request.headers.get("Authorization", "")
    if authorization:
        return "key:" + hashlib.sha256(authorization.encode()).hexdigest()[:32]
    return "ip:" + get_remote_address()


limiter.limit(lambda: current_app.config["RATELIMIT_API"], key_func=_partner_key)(bp)


@bp.record_once
def _init(state):
    waiting.init_app(state.app)


@bp.before_request
def authenticate():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    scheme, _, api_key = request.headers.get("Authorization", "").partition(" ")
    partner = partner_for_api_key(api_key.strip()) if scheme.lower() == "bearer" else None
    if partner is None:
        raise ApiError(401, "unauthorized", "missing or invalid API key (Authorization: Bearer <key>)",
                       headers={"WWW-Authenticate": "Bearer"})
    g.partner = partner
    return None


@bp.errorhandler(ApiError)
def api_error(exc: ApiError):
    return exc.response()


from . import views  # noqa: E402,F401
