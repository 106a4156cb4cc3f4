"""Callbacks from payment gateways: POST /api/v1/webhooks/duitku (the path Duitku is
given; "callback" is Duitku's word and ours for what comes in, "webhook" for the
events we send partners)."""

import logging

from flask import Blueprint, Flask, current_app, jsonify, request

from ..errors import json_error
from ..extensions import csrf, limiter
from ..payments.callbacks import handle_duitku_callback
from ..security import source_allowed

log = logging.getLogger(__name__)

bp = Blueprint("callbacks", __name__, url_prefix="/api/v1/webhooks")


def _from_listed_duitku_address() -> bool:
    """Duitku's own addresses, when DUITKU_CALLBACK_ALLOWED_IPS lists them, are never
    limited: a retried callback must always get through."""
    networks = current_app.config["DUITKU_CALLBACK_NETWORKS"]
    return bool(networks) and source_allowed(networks, request.remote_addr)


@bp.post("/duitku")
@csrf.exempt  # authenticated by Duitku's signature, not by a session
@limiter.limit(lambda: current_app.config["RATELIMIT_DUITKU_CALLBACK"], exempt_when=_from_listed_duitku_address)
def duitku_callback():
    """Duitku posts form fields; answer 200 once recorded, so it stops retrying."""
    if not source_allowed(current_app.config["DUITKU_CALLBACK_NETWORKS"], request.remote_addr):
        log.warning("Duitku callback refused from %s: not in DUITKU_CALLBACK_ALLOWED_IPS", request.remote_addr)
        return json_error(403, "forbidden_source", "callbacks are accepted only from Duitku's addresses")
    if not request.form:
        return json_error(400, "invalid_callback", "expected an application/x-www-form-urlencoded Duitku callback")
    outcome = handle_duitku_callback(request.form.to_dict())
    if outcome.http_status >= 400:
        code = "callback_rejected" if outcome.http_status == 400 else "gateway_unavailable"
        return json_error(outcome.http_status, code, outcome.message, outcome.field)
    return jsonify(status="ok", message=outcome.message)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
