from flask import current_app, g, jsonify, request, url_for
from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..models import License, Order, Payment
from ..orders import lifecycle
from ..partners.accounts import counter_license
from ..payments import qris_payments, reconcile
from ..payments.resource import iso, payment_resource
from ..state import IllegalTransition
from . import bp, current_partner, idempotency, status_cache
from .errors import ApiError, not_found
from .openapi import OPENAPI
from .schema import OrderPaymentRequest, parse_create, parse_timeout
from .waiting import wait_until_final

GATEWAY_RETRY_AFTER = "30"


def _body():
    """The parsed JSON body, whatever its declared type. Invalid or refused JSON (too
    deep, a NUL or a lone surrogate: webapp/request_guards.py) is a 400 malformed_json."""
    if not request.data:
        raise ApiError(400, "malformed_json", "the request body must be JSON")
    return request.get_json(force=True)


def _own_payment(transaction_id: str) -> Payment:
    payment = db.session.scalar(
        select(Payment).where(Payment.public_id == transaction_id, Payment.partner_id == g.partner_id)
    )
    if payment is None:
        raise not_found("no such transaction")
    return payment


def _counter_license(field: str | None = None) -> License:
    """The calling partner's counter POS license: without one it may not act on web
    orders (asked before the order is looked up, so the answer never tells whether an
    order exists)."""
    license_ = counter_license(current_partner())
    if license_ is None:
        raise ApiError(
            403,
            "forbidden",
            "only this restaurant's counter POS (a license marked counter POS) "
            "may take or cancel payments for web orders",
            field,
        )
    return license_


def created_body(payment: Payment) -> dict:
    image_url = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for(
        "shop.payment_qr", public_id=payment.public_id, kind="png"
    )
    return {
        "transaction_id": payment.public_id,
        "transaction_token": payment.reference,
        "qris_string": payment.qr_string,
        "qris_image_url": image_url,
        "qris_url": image_url,
        "amount": payment.amount,
        "expires_at": iso(payment.expires_at),
        "status": payment.status,
        "reference_id": payment.reference_id,
        "order_uid": payment.order.public_id if payment.order else None,
    }


def _create(parsed) -> Payment:
    try:
        if isinstance(parsed, OrderPaymentRequest):
            license_ = _counter_license("order_id")
            order = db.session.scalar(select(Order).where(Order.public_id == parsed.order_id))
            if order is None:
                raise not_found("no such order", "order_id")
            payer = qris_payments.Payer(parsed.name or order.customer_name, parsed.email, parsed.phone)
            lifecycle.switch_to_qris(order, f"partner:{license_.partner_id}")  # an unpaid cash order: once
            return qris_payments.create_counter_payment(order, license_, payer=payer)
        store_license = db.session.scalar(
            select(License).where(License.key == parsed.license_key, License.partner_id == g.partner_id, License.active)
        )
        if store_license is None:
            raise not_found("unknown or revoked license key", "license_key")
        return qris_payments.create_partner_payment(
            current_partner(),
            store_license,
            parsed.amount,
            reference_id=parsed.reference_id,
            description=parsed.description,
            metadata=parsed.metadata,
        )
    except qris_payments.PaymentNotAllowed as exc:
        raise ApiError(409, "conflict", "the order is not awaiting payment", "order_id") from exc
    except qris_payments.QrisUnavailable as exc:
        raise ApiError(
            503,
            "gateway_unavailable",
            "QRIS is unavailable right now; retry later",
            headers={"Retry-After": GATEWAY_RETRY_AFTER},
        ) from exc


@bp.post("/payments/qris")
def create_qris():
    body = _body()
    parsed = parse_create(body)
    key = request.headers.get("Idempotency-Key")
    claim = None
    if key:
        claim, replay = idempotency.begin(current_partner(), key, body, clock.now())
        if replay:
            status, stored = replay
            return jsonify(stored), status, {"Idempotent-Replayed": "true"}
    try:
        answer = created_body(_create(parsed))
    except ApiError:
        if claim is not None:
            idempotency.abandon(claim)
        raise
    if claim is not None:
        idempotency.complete(claim, 201, answer)
    return jsonify(answer), 201


@bp.get("/payments/<transaction_id>")
def get_payment(transaction_id):
    """The payment as it is (webapp/api/status_cache.py); a pending one is first reconciled
    when due (an overdue QR expired, Duitku asked at most every few seconds), in a
    transaction of its own."""
    now = clock.now()
    fields = status_cache.own_payment_fields(transaction_id, g.partner_id, now)
    if fields is None:
        raise not_found("no such transaction")
    if not reconcile.reconcile_due(fields.provider, fields.status, fields.expires_at, fields.last_checked_at, now):
        return jsonify(payment_resource(fields))
    db.session.commit()
    payment = db.session.get(Payment, fields.id)
    if payment is None:  # deleted since it was read
        raise not_found("no such transaction")
    reconcile.reconcile_if_due(payment, now)
    return jsonify(payment_resource(payment))


@bp.get("/payments/<transaction_id>/wait")
def wait_payment(transaction_id):
    timeout = parse_timeout(request.args.get("timeout"))
    payment_id = _own_payment(transaction_id).id
    db.session.commit()
    payment, timed_out = wait_until_final(payment_id, g.partner_id, timeout)
    return jsonify({**payment_resource(payment), "timeout": timed_out})


@bp.post("/payments/<transaction_id>/cancel")
def cancel_payment(transaction_id):
    payment = _own_payment(transaction_id)
    if payment.order_id is not None:
        _counter_license()
    try:
        qris_payments.cancel_payment(payment, f"partner:{g.partner_id}")
    except IllegalTransition as exc:
        raise ApiError(409, "conflict", f"cannot cancel: {exc}") from exc
    return jsonify(payment_resource(payment))


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(OPENAPI)
