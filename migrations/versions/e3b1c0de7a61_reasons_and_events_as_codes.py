"""reasons and payment-event notes as codes with parameters

Order.attention_reason, OrderStatusChange.reason and PaymentEvent.note held sentences
(English or Indonesian); they now hold codes (models.AttentionReason, ChangeReason,
EventNote) and a JSON of parameters in the new *_params columns, and webapp/labels.py
words them in the reader's language. Every sentence the app used to write is turned
into its code and parameters; any other text (what a cashier typed) is kept whole as
a "note". The downgrade writes the same sentences back.

The formats below are the sentences as the app wrote them before this revision: they
are part of this migration and must not follow later changes of the app.

Revision ID: e3b1c0de7a61
Revises: e7a1b2c3d4f5
Create Date: 2026-11-23 09:00:00

"""
import re

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e3b1c0de7a61'
down_revision = 'e7a1b2c3d4f5'
branch_labels = None
depends_on = None

NOTE = "note"
WHOLE_NUMBERS = ("tendered", "change", "expected")
BATCH = 1000

ATTENTION_FORMATS = {
    "paid_for_closed_order": "QRIS payment received while the order was {order_status}: refund or reinstate",
    "paid_after_qr_closed": "QRIS paid after the QR was {payment_status}: check for a second payment",
    "amount_mismatch": "callback amount {received} differs from {expected}",
}
PAID_FORMATS = {
    "qris_paid": "QRIS {merchant_order_id}",
    "cash_paid": "tunai diterima {tendered}, kembalian {change}",
}
RESOLVED_PREFIX = "ditangani: "
CUSTOMER_CANCELLED = "dibatalkan pelanggan"
SWITCHES = {"beralih ke tunai": "switched_to_cash", "beralih ke QRIS": "switched_to_qris"}  # awaiting -> awaiting
EVENT_FORMATS = {
    "already_paid": "already paid: nothing changed",
    "duitku_reference": "reference {reference}",
    "missing_field": "missing field: {field}",
    "invalid_signature": "invalid signature",
    "unknown_merchant": "unknown merchant code",
    "unknown_order_id": "recorded: unknown merchantOrderId",
    "amount_mismatch": "recorded: amount mismatch",
    "not_completed": "recorded: resultCode {result_code}, payment not completed",
    "unconfirmed_gateway_down": "not confirmed: Duitku unavailable ({error})",
    "unconfirmed_by_status": "recorded: transactionStatus says {status_code}, not marked paid",
    "gateway_error": "Duitku unavailable: {error}",
    "paid_per_status_check": "paid per transactionStatus",
    "paid_at_expiry_check": "paid per transactionStatus at expiry",
    "cancelled_by_gateway": "Duitku says {message}",
    "still_pending": "still pending",
    "expired_unconfirmed": "QR expired (Duitku unreachable)",
    "cash_received": "tunai diterima {tendered}, kembalian {change}",
    "switched_to_cash": "switched to cash",
}
QR_EXPIRED = "QR expired"  # the note of every expiry Duitku did not contradict: now no note
PARAMS = sa.JSON(none_as_null=True)  # no parameters: SQL NULL, not JSON null

orders = sa.table("order", sa.column("id", sa.Integer), sa.column("attention_reason", sa.String),
                  sa.column("attention_params", PARAMS))
changes = sa.table("order_status_change", sa.column("id", sa.Integer), sa.column("from_status", sa.String),
                   sa.column("to_status", sa.String), sa.column("actor", sa.String),
                   sa.column("reason", sa.String), sa.column("reason_params", PARAMS))
events = sa.table("payment_event", sa.column("id", sa.Integer), sa.column("kind", sa.String),
                  sa.column("note", sa.String), sa.column("note_params", PARAMS))


def _pattern(template: str) -> re.Pattern:
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile("".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)"
                              for i, part in enumerate(parts)), re.S)


def _parse(text: str, formats: dict) -> tuple[str, dict | None]:
    """The code and parameters of a sentence written from one of `formats`; any other
    text is kept whole as a note."""
    for code, template in formats.items():
        match = _pattern(template).fullmatch(text)
        if match:
            params = {key: int(value) if key in WHOLE_NUMBERS and value.isdigit() else value
                      for key, value in match.groupdict().items()}
            return code, params or None
    return NOTE, {"text": text}


def _sentence(code: str, params: dict | None, formats: dict) -> str:
    if code == NOTE:
        return (params or {}).get("text", "")
    return formats[code].format(**(params or {})) if code in formats else code


def attention_code(text: str) -> tuple[str, dict | None]:
    return _parse(text, ATTENTION_FORMATS) if text else ("", None)


def change_code(text: str, from_status: str | None, to_status: str, actor: str) -> tuple[str, dict | None]:
    if not text or (text == CUSTOMER_CANCELLED and actor == "customer" and to_status == "cancelled"):
        return "", None  # a customer's own cancellation needs no reason: its actor says it
    if to_status == "paid" and from_status != to_status:
        return _parse(text, PAID_FORMATS)
    if from_status == to_status and text.startswith(RESOLVED_PREFIX):
        reason, params = attention_code(text[len(RESOLVED_PREFIX):])
        return "attention_resolved", {"reason": reason, "params": params}
    if from_status == to_status == "awaiting_payment" and text in SWITCHES:
        return SWITCHES[text], None
    return NOTE, {"text": text}


def change_sentence(code: str, params: dict | None, to_status: str, actor: str) -> str:
    if not code:
        return CUSTOMER_CANCELLED if actor == "customer" and to_status == "cancelled" else ""
    if code == "attention_resolved":
        return RESOLVED_PREFIX + _sentence(params["reason"], params["params"], ATTENTION_FORMATS)
    switched = {switch: sentence for sentence, switch in SWITCHES.items()}
    return switched[code] if code in switched else _sentence(code, params, PAID_FORMATS)


def event_code(text: str, kind: str) -> tuple[str, dict | None]:
    if kind == "expired" and text == QR_EXPIRED:
        return "", None
    if kind == "inquiry_failed" and text:
        return "gateway_error", {"error": text}
    if kind == "cancelled" and text and text != EVENT_FORMATS["switched_to_cash"]:
        return NOTE, {"text": text}  # the reason the cashier typed
    return _parse(text, EVENT_FORMATS) if text else ("", None)


def event_sentence(code: str, params: dict | None, kind: str) -> str:
    if kind == "expired" and not code:
        return QR_EXPIRED
    if kind == "inquiry_failed" and code == "gateway_error":
        return params["error"]
    return _sentence(code, params, EVENT_FORMATS) if code else ""


def _rewrite(table, columns: tuple[str, ...], rewrite) -> None:
    """Apply `rewrite(row) -> {column: value}` to every row, a batch at a time."""
    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.execute(
            sa.select(*[table.c[name] for name in ("id", *columns)])
            .where(table.c.id > last).order_by(table.c.id).limit(BATCH)
        ).mappings().all()
        if not rows:
            return
        updates = [{"row_id": row["id"], **rewrite(row)} for row in rows]
        values = {name: sa.bindparam(name) for name in updates[0] if name != "row_id"}
        connection.execute(table.update().where(table.c.id == sa.bindparam("row_id")).values(values), updates)
        last = rows[-1]["id"]


def _coded(column: str, params_column: str, pair: tuple[str, dict | None]) -> dict:
    code, params = pair
    return {column: code, params_column: params}


def upgrade():
    op.add_column("order", sa.Column("attention_params", sa.JSON(), nullable=True))
    op.add_column("order_status_change", sa.Column("reason_params", sa.JSON(), nullable=True))
    op.add_column("payment_event", sa.Column("note_params", sa.JSON(), nullable=True))
    _rewrite(orders, ("attention_reason",), lambda row: _coded(
        "attention_reason", "attention_params", attention_code(row["attention_reason"])))
    _rewrite(changes, ("from_status", "to_status", "actor", "reason"), lambda row: _coded(
        "reason", "reason_params", change_code(row["reason"], row["from_status"], row["to_status"], row["actor"])))
    _rewrite(events, ("kind", "note"), lambda row: _coded(
        "note", "note_params", event_code(row["note"], row["kind"])))


def downgrade():
    _rewrite(orders, ("attention_reason", "attention_params"), lambda row: {"attention_reason": _sentence(
        row["attention_reason"], row["attention_params"], ATTENTION_FORMATS)[:200] if row["attention_reason"] else ""})
    _rewrite(changes, ("to_status", "actor", "reason", "reason_params"), lambda row: {"reason": change_sentence(
        row["reason"], row["reason_params"], row["to_status"], row["actor"])[:200]})
    _rewrite(events, ("kind", "note", "note_params"), lambda row: {"note": event_sentence(
        row["note"], row["note_params"], row["kind"])[:255]})
    # Plain ALTER TABLE (SQLite >= 3.35 has DROP COLUMN): a batch copy of "order" would
    # drop the table, and with foreign keys on that deletes the rows that point at it.
    op.drop_column("payment_event", "note_params")
    op.drop_column("order_status_change", "reason_params")
    op.drop_column("order", "attention_params")
