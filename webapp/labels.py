"""What people read for the codes the database keeps, in the reader's language.

Attention reasons, status-change reasons and payment events are stored as codes with
a small JSON of parameters (`Order.attention_reason` and `attention_params`,
`OrderStatusChange.reason` and `reason_params`, `PaymentEvent.kind`, `note` and
`note_params`), never as sentences, so history written today reads right in either
language. This module is the one place that words them: amounts as rupiah, statuses
as their labels, actors as names.

Translated templates only take parameters this module formats. Text that comes from
outside and cannot be translated (what a person typed, an error or message from
Duitku: the parameters in `OUTSIDE_TEXT`) is added after the label as it was stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .extensions import db
from .formatting import rupiah
from .models import (
    AttentionReason,
    ChangeReason,
    EventKind,
    EventNote,
    Order,
    OrderStatus,
    OrderStatusChange,
    Partner,
    PaymentEvent,
    PaymentStatus,
)

MONEY = frozenset({"tendered", "change", "received", "expected"})
OUTSIDE_TEXT = ("text", "error", "message")

PAYMENT_STATUS = {
    PaymentStatus.PENDING: _l("menunggu dibayar"),
    PaymentStatus.PAID: _l("dibayar"),
    PaymentStatus.EXPIRED: _l("kedaluwarsa"),
    PaymentStatus.CANCELLED: _l("dibatalkan"),
    PaymentStatus.FAILED: _l("gagal"),
}

ATTENTION = {
    AttentionReason.PAID_FOR_CLOSED_ORDER: _l(
        "Pembayaran QRIS masuk padahal pesanan sudah %(order_status)s: "
        "kembalikan uangnya atau aktifkan lagi pesanannya."
    ),
    AttentionReason.PAID_AFTER_QR_CLOSED: _l(
        "QRIS dibayar setelah QR-nya %(payment_status)s: periksa apakah pelanggan membayar dua kali."
    ),
    AttentionReason.AMOUNT_MISMATCH: _l("Duitku melaporkan %(received)s, padahal tagihannya %(expected)s."),
    AttentionReason.NOTE: "",
}

CHANGE = {
    ChangeReason.QRIS_PAID: _l("dibayar dengan QRIS (%(merchant_order_id)s)"),
    ChangeReason.CASH_PAID: _l("tunai diterima %(tendered)s, kembalian %(change)s"),
    ChangeReason.ATTENTION_RESOLVED: _l("sudah ditangani"),  # then the reason handled
    ChangeReason.SWITCHED_TO_CASH: _l("diubah ke tunai"),
    ChangeReason.SWITCHED_TO_QRIS: _l("diubah ke QRIS"),
    ChangeReason.NOTE: "",
}

EVENT_KIND = {
    EventKind.CREATED: _l("Pembayaran dibuat"),
    EventKind.INQUIRY: _l("QR dibuat Duitku"),
    EventKind.INQUIRY_FAILED: _l("QR gagal dibuat"),
    EventKind.CALLBACK: _l("Callback Duitku"),
    EventKind.STATUS_CHECK: _l("Cek status ke Duitku"),
    EventKind.EXPIRED: _l("QR kedaluwarsa"),
    EventKind.CANCELLED: _l("Pembayaran dibatalkan"),
    EventKind.CASH_CONFIRMED: _l("Tunai dikonfirmasi"),
}

EVENT_NOTE = {
    EventNote.ALREADY_PAID: _l("sudah dibayar sebelumnya, tidak ada yang berubah"),
    EventNote.DUITKU_REFERENCE: _l("referensi Duitku %(reference)s"),
    EventNote.GATEWAY_ERROR: _l("Duitku gagal menjawab"),
    EventNote.MISSING_FIELD: _l("ditolak: kolom %(field)s kosong"),
    EventNote.INVALID_SIGNATURE: _l("ditolak: tanda tangan tidak sah"),
    EventNote.UNKNOWN_MERCHANT: _l("ditolak: kode merchant lain"),
    EventNote.UNKNOWN_ORDER_ID: _l("dicatat: merchantOrderId tidak dikenal"),
    EventNote.AMOUNT_MISMATCH: _l("dicatat: jumlahnya tidak cocok"),
    EventNote.NOT_COMPLETED: _l("dicatat: resultCode %(result_code)s, pembayaran tidak selesai"),
    EventNote.UNCONFIRMED_GATEWAY_DOWN: _l("belum dikonfirmasi: Duitku tidak bisa dihubungi"),
    EventNote.UNCONFIRMED_BY_STATUS: _l("tidak ditandai lunas: transactionStatus menjawab %(status_code)s"),
    EventNote.PAID_PER_STATUS_CHECK: _l("lunas menurut transactionStatus"),
    EventNote.PAID_AT_EXPIRY_CHECK: _l("lunas menurut transactionStatus saat kedaluwarsa"),
    EventNote.CANCELLED_BY_GATEWAY: _l("Duitku membatalkan transaksinya"),
    EventNote.STILL_PENDING: _l("masih menunggu"),
    EventNote.EXPIRED_UNCONFIRMED: _l("tanpa konfirmasi: Duitku tidak bisa dihubungi"),
    EventNote.CASH_RECEIVED: _l("tunai diterima %(tendered)s, kembalian %(change)s"),
    EventNote.SWITCHED_TO_CASH: _l("diubah ke tunai"),
    EventNote.NOTE: "",
}


class _Shown(dict):
    """Parameters as shown; one missing from a stored row reads "?" instead of failing."""

    def __missing__(self, key):
        return "?"


def _money(value) -> str:
    """Rupiah for whole amounts; anything else (a gateway's odd amount) as it was sent."""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return rupiah(int(amount)) if amount == amount.to_integral_value() else str(value)


def _shown(key: str, value) -> str:
    if key in MONEY:
        return _money(value)
    if key == "order_status":
        return order_status(value)
    if key == "payment_status":
        return payment_status(value)
    return str(value)


def _say(labels: Mapping, code: str, params: Mapping | None) -> str:
    """The label of `code` with its parameters filled in, then any outside text. A code
    this version does not know is shown as stored."""
    if not code:
        return ""
    params = params or {}
    if code not in labels:
        return code
    shown = _Shown({key: _shown(key, value) for key, value in params.items()})
    words = [str(labels[code]) % shown] + [str(params[key]) for key in OUTSIDE_TEXT if params.get(key)]
    return ": ".join(word for word in words if word)


def order_status(code: str | None) -> str:
    """An order status's label; no status (an order's first history row) reads "new"."""
    if code is None:
        return _("baru")
    try:
        return OrderStatus(code).label
    except ValueError:
        return code


def payment_status(code: str | None) -> str:
    if code is None:
        return _("baru")
    try:
        return str(PAYMENT_STATUS[PaymentStatus(code)])
    except ValueError:
        return str(code)


def attention(order: Order) -> str:
    return _say(ATTENTION, order.attention_reason, order.attention_params)


def change_reason(change: OrderStatusChange) -> str:
    params = change.reason_params
    if change.reason == ChangeReason.ATTENTION_RESOLVED and params:
        params = {"text": _say(ATTENTION, params.get("reason", ""), params.get("params"))}
    return _say(CHANGE, change.reason, params)


def event_kind(event: PaymentEvent) -> str:
    return str(EVENT_KIND.get(event.kind, event.kind))


def event_note(event: PaymentEvent) -> str:
    return _say(EVENT_NOTE, event.note, event.note_params)


def actor(code: str) -> str:
    """Who did it, as a name: the cashier's username, the partner's name."""
    kind, _sep, name = code.partition(":")
    if kind == "cashier" and name:
        return name
    if kind == "partner" and name.isdigit():
        partner = db.session.get(Partner, int(name))
        return partner.name if partner else code
    return {"customer": _("Pelanggan"), "system": _("Sistem"), "duitku": "Duitku"}.get(code, code)
