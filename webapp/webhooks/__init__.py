"""Webhooks from payment gateways: POST /api/v1/webhooks/duitku."""
from flask import Blueprint, jsonify, request

from ..extensions import csrf
from ..payments import service

bp = Blueprint("webhooks", __name__, url_prefix="/api/v1/webhooks")


@bp.post("/duitku")
@csrf.exempt  # authenticated by Duitku's signature, not by a session
def duitku_callback():
    """Duitku posts form fields; answer 200 once recorded, so it stops retrying."""
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
