"""Webhooks from payment gateways: POST /api/v1/webhooks/duitku."""
import logging

from flask import Blueprint, current_app, jsonify, request

from ..extensions import csrf, limiter
from ..payments import service
from ..security import source_allowed

log = logging.getLogger(__name__)

bp = Blueprint("webhooks", __name__, url_prefix="/api/v1/webhooks")


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
        return jsonify(error={"code": "forbidden_source", "field": None,
                              "message": "callbacks are accepted only from Duitku's addresses"}), 403
    if not request.form:
        return jsonify(error={
            "code": "invalid_callback",
            "message": "expected an application/x-www-form-urlencoded Duitku callback",
            "field": None,
        }), 400
    outcome = service.handle_duitku_callback(request.form.to_dict())
    if outcome.http_status >= 400:
        code = "callback_rejected" if outcome.http_status == 400 else "gateway_unavailable"
        return jsonify(error={"code": code, "message": outcome.message, "field": outcome.field}), outcome.http_status
    return jsonify(status="ok", message=outcome.message)
