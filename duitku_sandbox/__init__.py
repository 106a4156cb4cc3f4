"""A Duitku-compatible sandbox: its own small WSGI app speaking the Duitku API contract.

`make run` mounts it under /_sandbox/duitku when no Duitku credentials are configured,
and the app talks to it over real HTTP, exactly as it would talk to Duitku. Tests serve
it on a loopback port. Its transactions live in an SQLite file, so they survive
restarts and are shared between processes.

Its merchant key is published, so anyone who reaches it can sign an inquiry: it calls
back and sends payers back only to addresses under SANDBOX_ALLOWED_BASE_URL (the app's
own PUBLIC_BASE_URL), never to an address a caller chooses.
"""

from __future__ import annotations

import hmac
import re
import secrets
import string
import threading
from pathlib import Path
from typing import Any

from flask import Flask, abort, jsonify, redirect, render_template, request, url_for
from flask_wtf import CSRFProtect
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from webapp.payments import qr, qris_code
from webapp.payments.duitku import inquiry_signature, payment_methods_signature, signatures_match, status_signature
from webapp.payments.issuers import ISSUER_NAMES
from webapp.timeutil import to_jakarta, utcnow

from .callbacks import callback_form, deliver
from .store import CANCELLED, PAID, DuplicateOrderId, Store
from .urls import under_base

TEMPLATES = Path(__file__).resolve().parent / "templates"
SANDBOX_PREFIX = "/_sandbox/duitku"  # where a Warung app mounts it

DEFAULT_MERCHANT_CODE = "DS0001"
DEFAULT_API_KEY = "5A9D0C3F6E1B4A7D8C2F0E9B1A3D5C7E"  # sandbox only: not a secret
QRIS_METHODS = {"SP": "ShopeePay QRIS", "NQ": "Nobu QRIS", "GQ": "Gudang Voucher QRIS", "SQ": "Nusapay QRIS"}
MIN_AMOUNT, MAX_AMOUNT = 10_000, 10_000_000
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

REQUIRED_FIELDS = {  # field -> maximum length (the contract's string sizes)
    "merchantCode": 50,
    "paymentAmount": None,
    "merchantOrderId": 50,
    "productDetails": 255,
    "email": 255,
    "paymentMethod": 2,
    "customerVaName": 20,
    "callbackUrl": 255,
    "returnUrl": 255,
    "signature": 64,
}


class Refusal(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def create_sandbox_app(config: dict) -> Flask:
    """The sandbox app; `config` must give SANDBOX_ALLOWED_BASE_URL, the only base its
    callback and return URLs may be under."""
    if not config.get("SANDBOX_ALLOWED_BASE_URL"):
        raise ValueError("SANDBOX_ALLOWED_BASE_URL is required: the app's own PUBLIC_BASE_URL")
    app = Flask(__name__, template_folder=str(TEMPLATES))
    app.config.update(
        SECRET_KEY=secrets.token_hex(16),
        SESSION_COOKIE_NAME="duitku_sandbox_session",
        SANDBOX_MERCHANTS={DEFAULT_MERCHANT_CODE: DEFAULT_API_KEY},
        SANDBOX_DATABASE=str(Path(app.instance_path) / "duitku-sandbox.sqlite3"),
        SANDBOX_MERCHANT_NAME="Warung Sandbox",
        SANDBOX_CALLBACK_RETRY_DELAYS=(1, 2, 4, 8),
        SANDBOX_CALLBACKS_IN_BACKGROUND=True,
        SANDBOX_CLOCK=utcnow,
        SANDBOX_SLEEP=None,
    )
    app.config.update(config)
    Path(app.config["SANDBOX_DATABASE"]).parent.mkdir(parents=True, exist_ok=True)
    store = Store(app.config["SANDBOX_DATABASE"])
    app.extensions["sandbox_store"] = store
    CSRFProtect(app)
    app.add_template_filter(to_jakarta)
    _register_routes(app, store)
    return app


def _now(app: Flask):
    return app.config["SANDBOX_CLOCK"]()


def _api_key(app: Flask, merchant_code) -> str:
    key = app.config["SANDBOX_MERCHANTS"].get(merchant_code)
    if key is None:
        raise Refusal(404, "Merchant not found")
    return key


def _json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Refusal(400, "Request body must be a JSON object")
    return body


def _check_required(body: dict) -> None:
    for field, max_length in REQUIRED_FIELDS.items():
        value = body.get(field)
        if value is None or value == "":
            raise Refusal(400, f"{field} is mandatory")
        if max_length is not None:
            if not isinstance(value, str):
                raise Refusal(400, f"{field} must be a string")
            if len(value) > max_length:
                raise Refusal(400, f"length of {field} can't > {max_length}")


def _check_urls(app: Flask, body: dict) -> None:
    base = app.config["SANDBOX_ALLOWED_BASE_URL"]
    for field in ("callbackUrl", "returnUrl"):
        if not under_base(body[field], base):
            raise Refusal(400, f"{field} must be under {base} (this sandbox calls back only its own app)")


def _check_amount(body: dict) -> int:
    amount = body["paymentAmount"]
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise Refusal(400, "paymentAmount must be an integer")
    if amount < MIN_AMOUNT:
        raise Refusal(400, f"Minimum Payment {MIN_AMOUNT} IDR")
    if amount > MAX_AMOUNT:
        raise Refusal(400, "Maximum Payment exceeded")
    items = body.get("itemDetails")
    if items is not None:
        try:
            total = sum(int(item["price"]) * int(item.get("quantity", 1)) for item in items)
        except (TypeError, KeyError, ValueError) as exc:
            raise Refusal(400, "itemDetails is invalid") from exc
        if total != amount:
            raise Refusal(409, "Payment amount must be equal to all item price")
    return amount


def _expiry_minutes(body: dict) -> int:
    expiry = body.get("expiryPeriod", 10)
    if isinstance(expiry, bool) or not isinstance(expiry, int) or not 1 <= expiry <= 60:
        raise Refusal(400, "expiryPeriod must be between 1 and 60 minutes for QRIS")
    return expiry


def _new_reference(merchant_code: str) -> str:
    alphabet = string.ascii_uppercase + string.digits
    return merchant_code + "".join(secrets.choice(alphabet) for _ in range(12))


def _register_routes(app: Flask, store: Store) -> None:
    csrf = app.extensions["csrf"]

    @app.errorhandler(Refusal)
    def refused(exc: Refusal):
        return jsonify(Message=exc.message), exc.status

    @app.post("/webapi/api/merchant/v2/inquiry")
    @csrf.exempt
    def inquiry():
        body = _json_body()
        _check_required(body)
        merchant_code = body["merchantCode"]
        api_key = _api_key(app, merchant_code)
        if not isinstance(body["paymentAmount"], int):
            raise Refusal(400, "paymentAmount must be an integer")
        expected = inquiry_signature(merchant_code, body["merchantOrderId"], body["paymentAmount"], api_key)
        if not signatures_match(expected, body["signature"]):
            raise Refusal(401, "Wrong signature")
        if body["paymentMethod"] not in QRIS_METHODS:
            raise Refusal(404, "Payment channel not available")
        amount = _check_amount(body)
        if not EMAIL.match(body["email"]):
            raise Refusal(400, "Invalid Email Address")
        expiry = _expiry_minutes(body)
        _check_urls(app, body)
        reference = _new_reference(merchant_code)
        qr_string = qris_code.build_dynamic(
            amount=amount,
            merchant_name=app.config["SANDBOX_MERCHANT_NAME"],
            merchant_city="Jakarta",
            bill_number=body["merchantOrderId"][-25:],
        )
        try:
            store.create(
                now=_now(app),
                expiry_minutes=expiry,
                reference=reference,
                merchant_code=merchant_code,
                merchant_order_id=body["merchantOrderId"],
                amount=amount,
                payment_method=body["paymentMethod"],
                product_details=body["productDetails"],
                customer_va_name=body["customerVaName"],
                email=body["email"],
                callback_url=body["callbackUrl"],
                return_url=body["returnUrl"],
                qr_string=qr_string,
            )
        except DuplicateOrderId as exc:
            raise Refusal(409, "merchantOrderId already used") from exc
        return jsonify(
            merchantCode=merchant_code,
            reference=reference,
            paymentUrl=url_for("payer_page", reference=reference, _external=True),
            vaNumber="",
            qrString=qr_string,
            amount=str(amount),
            statusCode="00",
            statusMessage="SUCCESS",
        )

    @app.post("/webapi/api/merchant/transactionStatus")
    @csrf.exempt
    def transaction_status():
        body = _json_body()
        for field in ("merchantCode", "merchantOrderId", "signature"):
            if not isinstance(body.get(field), str) or not body[field]:
                raise Refusal(400, f"{field} is mandatory")
        api_key = _api_key(app, body["merchantCode"])
        expected = status_signature(body["merchantCode"], body["merchantOrderId"], api_key)
        if not signatures_match(expected, body["signature"]):
            raise Refusal(401, "Wrong signature")
        txn = store.by_order_id(body["merchantCode"], body["merchantOrderId"])
        if txn is None:
            raise Refusal(404, "Transaction not found")
        status = txn.status_at(_now(app))
        messages = {PAID: "SUCCESS", CANCELLED: "EXPIRED" if txn.status != CANCELLED else "FAILED"}
        return jsonify(
            merchantOrderId=txn.merchant_order_id,
            reference=txn.reference,
            amount=str(txn.amount),
            fee="0.00",
            statusCode=status,
            statusMessage=messages.get(status, "PROCESS"),
        )

    @app.post("/webapi/api/merchant/paymentmethod/getpaymentmethod")
    @csrf.exempt
    def payment_methods():
        body = _json_body()
        for field in ("merchantcode", "amount", "datetime", "signature"):
            if body.get(field) in (None, ""):
                raise Refusal(400, f"{field} is mandatory")
        api_key = _api_key(app, body["merchantcode"])
        try:
            amount = int(body["amount"])
        except (TypeError, ValueError) as exc:
            raise Refusal(400, "amount must be an integer") from exc
        expected = payment_methods_signature(body["merchantcode"], amount, str(body["datetime"]), api_key)
        if not signatures_match(expected, str(body["signature"])):
            raise Refusal(401, "Wrong signature")
        return jsonify(
            paymentFee=[
                {"paymentMethod": code, "paymentName": name, "paymentImage": "", "totalFee": "0"}
                for code, name in QRIS_METHODS.items()
            ],
            responseCode="00",
            responseMessage="SUCCESS",
        )

    @app.get("/pay/<reference>")
    def payer_page(reference):
        txn = store.get(reference) or abort(404)
        return render_template(
            "pay.html",
            txn=txn,
            status=txn.status_at(_now(app)),
            qr_svg=qr.inline_svg(txn.qr_string, "QRIS sandbox"),
            merchant_name=app.config["SANDBOX_MERCHANT_NAME"],
            issuers=ISSUER_NAMES,
        )

    @app.post("/pay/<reference>")
    def settle(reference):
        txn = store.get(reference) or abort(404)
        action = request.form.get("action")
        if action not in ("pay", "fail"):
            abort(400)
        issuer = request.form.get("issuer", "93600918")
        issuer = issuer if issuer in ISSUER_NAMES else "93600918"
        now = _now(app)
        if store.settle(reference, PAID if action == "pay" else CANCELLED, issuer, now):
            txn = store.get_one(reference)
            api_key = app.config["SANDBOX_MERCHANTS"][txn.merchant_code]
            form = callback_form(txn, api_key, "00" if action == "pay" else "01", to_jakarta(now).strftime("%Y-%m-%d"))
            if under_base(txn.callback_url, app.config["SANDBOX_ALLOWED_BASE_URL"]):
                _send(app, store, txn, form)
            else:
                store.record_callback(reference, "not sent: callbackUrl outside the allowed base")
        return redirect(url_for("payer_page", reference=reference), 303)

    @app.get("/pay/<reference>/return")
    def back_to_merchant(reference):
        txn = store.get(reference) or abort(404)
        if not under_base(txn.return_url, app.config["SANDBOX_ALLOWED_BASE_URL"]):
            abort(400)
        result = "00" if txn.status == PAID else "01"
        separator = "&" if "?" in txn.return_url else "?"
        return redirect(
            f"{txn.return_url}{separator}merchantOrderId={txn.merchant_order_id}"
            f"&resultCode={result}&reference={txn.reference}"
        )


def _send(app: Flask, store: Store, txn, form: dict[str, str]) -> None:
    args: tuple[Any, ...] = (store, txn, form, app.config["SANDBOX_CALLBACK_RETRY_DELAYS"])
    if app.config["SANDBOX_SLEEP"] is not None:
        args = (*args, app.config["SANDBOX_SLEEP"])
    if app.config["SANDBOX_CALLBACKS_IN_BACKGROUND"]:
        threading.Thread(target=deliver, args=args, daemon=True).start()
    else:
        deliver(*args)


def init_app(app: Flask) -> None:
    """Mount the sandbox in a Warung app that uses it (DUITKU_SANDBOX, decided by
    webapp.production): the app reaches it over real HTTP through PUBLIC_BASE_URL,
    exactly as it would reach Duitku, and it calls back and returns payers only there."""
    config = app.config
    if not config["DUITKU_SANDBOX"]:
        return
    sandbox = create_sandbox_app(
        {
            # Derived from the app's key, so that every process and instance of the app
            # takes the payer page's form whichever of them served the page.
            "SECRET_KEY": hmac.new(str(config["SECRET_KEY"]).encode(), b"duitku-sandbox", "sha256").hexdigest(),
            "SANDBOX_DATABASE": f"{app.instance_path}/duitku-sandbox.sqlite3",
            "SANDBOX_MERCHANT_NAME": config["MERCHANT_NAME"],
            "SANDBOX_ALLOWED_BASE_URL": config["PUBLIC_BASE_URL"],
        }
    )
    app.extensions["duitku_sandbox"] = sandbox
    # Flask's documented way to add WSGI middleware; mypy refuses assigning to a method.
    app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {SANDBOX_PREFIX: sandbox})  # type: ignore[method-assign]
    config["DUITKU_BASE_URL"] = config["PUBLIC_BASE_URL"].rstrip("/") + SANDBOX_PREFIX
    config["DUITKU_MERCHANT_CODE"] = config["DUITKU_MERCHANT_CODE"] or DEFAULT_MERCHANT_CODE
    config["DUITKU_API_KEY"] = config["DUITKU_API_KEY"] or DEFAULT_API_KEY
