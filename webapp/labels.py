"""What people read for the codes the database keeps, in the reader's language.

Attention reasons, status-change reasons, payment events and a table bill's history
are stored as codes with a small JSON of parameters (`Order.attention_reason` and
`attention_params`, the same on `TableBill`, `OrderStatusChange.reason` and
`reason_params`, `PaymentEvent.kind`, `note` and `note_params`, `BillEvent.kind` and
`params`), never as sentences, so history written today reads right in either
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
    AuditKind,
    BillEvent,
    BillEventKind,
    BillStatus,
    ChangeReason,
    CloseReason,
    EventKind,
    EventNote,
    Order,
    OrderStatus,
    OrderStatusChange,
    Partner,
    PaymentEvent,
    PaymentProvider,
    PaymentStatus,
    RefundMethod,
    Role,
    ShareStatus,
    SplitMode,
    TableBill,
)
from .staff.permissions import Permission

MONEY = frozenset({"tendered", "change", "received", "expected", "amount", "total"})
OUTSIDE_TEXT = ("text", "error", "message", "note")

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
    AttentionReason.VOIDED_AFTER_PAYMENT: _l("Dibatalkan setelah dibayar: kembalikan %(amount)s."),
    AttentionReason.PAID_FOR_CLOSED_SHARE: _l(
        "Pembayaran QRIS bagian %(position)s masuk padahal bagian itu sudah %(share_status)s "
        "dan tagihannya %(bill_status)s: kembalikan uangnya atau catat sebagai kelebihan bayar."
    ),
}

CHANGE = {
    ChangeReason.QRIS_PAID: _l("dibayar dengan QRIS (%(merchant_order_id)s)"),
    ChangeReason.CASH_PAID: _l("tunai diterima %(tendered)s, kembalian %(change)s"),
    ChangeReason.ATTENTION_RESOLVED: _l("sudah ditangani"),  # then the reason handled
    ChangeReason.SWITCHED_TO_CASH: _l("diubah ke tunai"),
    ChangeReason.SWITCHED_TO_QRIS: _l("diubah ke QRIS"),
    ChangeReason.MOVED_TABLE: _l("pindah dari Meja %(from_table)s ke Meja %(to_table)s"),
    ChangeReason.BILL_SETTLED: _l("tagihan Meja %(table)s lunas"),
    ChangeReason.TABLE_CLEARED: _l("Meja %(table)s dikosongkan"),
    ChangeReason.NOTE: "",
    ChangeReason.BUMP_UNDONE: _l("%(station)s: selesai dibatalkan"),
    ChangeReason.DISCOUNTED: _l("diskon %(amount)s, total menjadi %(total)s"),
    ChangeReason.REFUNDED: _l("%(amount)s dikembalikan"),
    ChangeReason.VOIDED: _l("dibatalkan %(lines)s (%(amount)s), total menjadi %(total)s"),
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


BILL_EVENT = {
    BillEventKind.OPENED: _l("Tagihan dibuka"),
    BillEventKind.ORDER_ADDED: _l("Pesanan %(number)s masuk tagihan"),
    BillEventKind.ORDER_MOVED_IN: _l("Pesanan %(number)s pindah ke sini dari Meja %(from_table)s"),
    BillEventKind.ORDER_MOVED_OUT: _l("Pesanan %(number)s pindah ke Meja %(to_table)s"),
    BillEventKind.SPLIT: _l("Cara bayar dipilih: %(mode)s"),
    BillEventKind.SHARE_JOINED: _l("%(name)s ikut membayar (bagian %(position)s)"),
    BillEventKind.LOCKED: _l("Pembagian dikunci: %(shares)s bagian, total %(total)s"),
    BillEventKind.SPLIT_CANCELLED: _l("Pembagian dibatalkan untuk dipilih lagi"),
    BillEventKind.REST_IN_ONE: _l("Sisa dijadikan satu: bagian %(position)s, %(amount)s"),
    BillEventKind.SHARE_PAID: _l("Bagian %(position)s dibayar %(amount)s dengan %(method)s"),
    BillEventKind.SETTLED: _l("Tagihan lunas: %(total)s"),
    BillEventKind.CLOSED: _l("Tagihan ditutup: %(reason)s"),  # then the note typed
    BillEventKind.LATE_MONEY: _l(
        "Uang %(amount)s masuk untuk bagian %(position)s yang sudah %(share_status)s (tagihan %(bill_status)s)"
    ),
    BillEventKind.ATTENTION_RESOLVED: _l("Tanda perlu dicek sudah ditangani"),
}

SPLIT_MODE = {
    SplitMode.WHOLE: _l("sekaligus oleh satu orang"),
    SplitMode.EVEN: _l("dibagi rata"),
    SplitMode.ITEMS: _l("per item"),
}

PAYMENT_PROVIDER = {PaymentProvider.DUITKU: _l("QRIS"), PaymentProvider.CASH: _l("tunai")}

ROLE = {
    Role.ADMIN: _l("pemilik"),
    Role.MANAGER: _l("manajer"),
    Role.CASHIER: _l("kasir"),
    Role.WAITER: _l("pelayan"),
    Role.KITCHEN: _l("dapur"),
}

# What a permission lets someone do, as the end of "Akun kasir tidak bisa ...".
PERMISSION = {
    Permission.PUBLIC: _l("membuka halaman ini"),
    Permission.PARTNER: _l("memakai API mitra"),
    Permission.STAFF: _l("membuka halaman staf"),
    Permission.BOARD: _l("membuka papan pesanan"),
    Permission.TAKE_ORDERS: _l("mencatat pesanan"),
    Permission.TAKE_CASH: _l("menerima uang"),
    Permission.ADVANCE: _l("memajukan pesanan di dapur"),
    Permission.CANCEL: _l("membatalkan pesanan"),
    Permission.FLOOR: _l("membuka denah meja"),
    Permission.MANAGE_BILLS: _l("mengubah tagihan meja"),
    Permission.STOCK: _l("mengubah stok menu"),
    Permission.KITCHEN: _l("membuka layar dapur"),
    Permission.REPRINT: _l("mencetak ulang tiket dan struk"),
    Permission.REPORTS: _l("melihat laporan"),
    Permission.APPROVE: _l("memberi persetujuan manajer"),
    Permission.PROMOTIONS: _l("mengatur promo dan voucher"),
    Permission.DISCOUNT: _l("memberi diskon"),
    Permission.REFUND: _l("mengembalikan uang pesanan"),
    Permission.VOID: _l("membatalkan pesanan atau baris"),
    Permission.MANAGE_MENU: _l("mengubah menu"),
    Permission.MANAGE_TABLES: _l("mengubah meja"),
    Permission.SETTINGS: _l("mengubah pengaturan"),
    Permission.USERS: _l("mengatur akun staf"),
    Permission.AUDIT: _l("melihat jejak audit"),
}

AUDIT_KIND = {
    AuditKind.USER_CREATED: _l("akun dibuat"),
    AuditKind.ROLE_CHANGED: _l("peran diubah"),
    AuditKind.USER_DISABLED: _l("akun dinonaktifkan"),
    AuditKind.USER_ENABLED: _l("akun diaktifkan"),
    AuditKind.PASSWORD_RESET: _l("kata sandi diganti"),
    AuditKind.PIN_SET: _l("PIN manajer diatur"),
    AuditKind.BILL_SETTINGS: _l("pengaturan tagihan"),
    AuditKind.SHOP_SETTINGS: _l("pengaturan toko"),
    AuditKind.MENU_ITEM: _l("menu diubah"),
    AuditKind.MENU_CATEGORY: _l("kategori diubah"),
    AuditKind.OPTION: _l("pilihan menu diubah"),
    AuditKind.ORDER_MOVED: _l("pesanan pindah meja"),
    AuditKind.BILL_CLOSED: _l("tagihan ditutup tanpa lunas"),
    AuditKind.REPRINT: _l("cetak ulang"),
    AuditKind.VOID: _l("pembatalan"),
    AuditKind.REFUND: _l("pengembalian uang"),
    AuditKind.DISCOUNT: _l("diskon"),
    AuditKind.PROMOTION: _l("promo"),
    AuditKind.VOUCHER: _l("voucher"),
    AuditKind.PAY_IN: _l("uang masuk laci"),
    AuditKind.PAY_OUT: _l("uang keluar laci"),
    AuditKind.SHIFT_OPENED: _l("shift dibuka"),
    AuditKind.SHIFT_CLOSED: _l("shift ditutup"),
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


# Parameters stored as codes of these enums, read as their words.
CODED: dict[str, Mapping] = {
    "mode": SPLIT_MODE,
    "method": PAYMENT_PROVIDER,
    "reason": {reason: reason.label for reason in CloseReason},
    "share_status": {status: status.label for status in ShareStatus},
    "bill_status": {status: status.label for status in BillStatus},
}


def _shown(key: str, value) -> str:
    if key in MONEY:
        return _money(value)
    if key == "order_status":
        return order_status(value)
    if key == "payment_status":
        return payment_status(value)
    if key in CODED:
        return str(CODED[key].get(value, value))
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


def attention(flagged: Order | TableBill) -> str:
    """Why an order or a table's bill needs the cashier."""
    return _say(ATTENTION, flagged.attention_reason, flagged.attention_params)


def change_reason(change: OrderStatusChange) -> str:
    params = change.reason_params
    if change.reason == ChangeReason.ATTENTION_RESOLVED and params:
        params = {"text": _say(ATTENTION, params.get("reason", ""), params.get("params"))}
    return _say(CHANGE, change.reason, params)


def event_kind(event: PaymentEvent) -> str:
    return str(EVENT_KIND.get(event.kind, event.kind))


def event_note(event: PaymentEvent) -> str:
    return _say(EVENT_NOTE, event.note, event.note_params)


def bill_event(event: BillEvent) -> str:
    return _say(BILL_EVENT, event.kind, event.params)


def payment_provider(code: str | None) -> str:
    """How a share or an order was paid: "QRIS" or "tunai"."""
    return _shown("method", code) if code else ""


def bill_state(bill: TableBill) -> str:
    """Where a table's bill stands: open (being paid, once its split is locked),
    settled, or closed and why."""
    if bill.status == BillStatus.CLOSED and bill.close_reason:
        return _("ditutup: %(reason)s", reason=bill.close_reason.label)
    if bill.status == BillStatus.OPEN and bill.is_locked:
        return _("terbuka, sedang dibayar")
    return bill.status.label


REFUND_METHOD = {
    RefundMethod.CASH: _l("tunai dari laci"),
    RefundMethod.BANK_TRANSFER: _l("transfer bank"),
    RefundMethod.EWALLET: _l("e-wallet"),
}


def refund_method(code: str) -> str:
    return str(REFUND_METHOD.get(RefundMethod(code), code))


def audit_kind(kind: AuditKind) -> str:
    return str(AUDIT_KIND[kind])


def role_label(role: Role) -> str:
    return str(ROLE[role])


def permission_label(permission: Permission) -> str:
    return str(PERMISSION[permission])


def actor(code: str) -> str:
    """Who did it, as a name: the cashier's (or the kitchen's) username, the partner's name."""
    kind, _sep, name = code.partition(":")
    if kind in ("cashier", "kitchen") and name:
        return name
    if kind == "partner" and name.isdigit():
        partner = db.session.get(Partner, int(name))
        return partner.name if partner else code
    return {"customer": _("Pelanggan"), "system": _("Sistem"), "duitku": "Duitku"}.get(code, code)
