"""What the cashier reads: statuses, events, reasons and actors are words in the
cashier's language, money is rupiah; the database keeps codes with parameters."""

import pytest

from tests import factories as make
from tests.db_helpers import reload
from tests.duitku_side import callback_form, settle_quietly
from tests.http_helpers import visible_text
from webapp import labels
from webapp.models import AttentionReason, BillEventKind, ChangeReason, EventKind, EventNote, PaymentStatus
from webapp.orders import lifecycle

RAW_CODES = [
    "awaiting_payment",
    "cash_confirmed",
    "cashier:sari",
    "paid_for_closed_order",
    "inquiry",
    "->",
    "duitku_reference",
    "QRIS payment received while",
]


def page_in(client, language: str, url: str) -> str:
    client.get(f"/lang/{language}")
    return visible_text(client.get(url).get_data(as_text=True))


def a_late_qris_payment_for_a_cancelled_order(client, menu, clock, sandbox):
    payment = make.qris_payment(menu)
    order = payment.order
    settle_quietly(sandbox, payment, clock())
    lifecycle.cancel_order(order, "cashier:sari", "pelanggan pergi")
    assert client.post("/api/v1/webhooks/duitku", data=callback_form(payment)).status_code == 200
    return reload(order)


def test_history_events_and_reason_read_as_indonesian(cashier_client, client, menu, clock, sandbox):
    order = a_late_qris_payment_for_a_cancelled_order(client, menu, clock, sandbox)
    assert (order.attention_reason, order.attention_params) == ("paid_for_closed_order", {"order_status": "cancelled"})
    page = page_in(cashier_client, "id", f"/cashier/orders/{order.public_id}")
    assert (
        "Perlu dicek: Pembayaran QRIS masuk padahal pesanan sudah dibatalkan: "
        "kembalikan uangnya atau aktifkan lagi pesanannya."
    ) in page
    assert "baru → menunggu pembayaran · Pelanggan" in page
    assert "menunggu pembayaran → dibatalkan · sari · pelanggan pergi" in page
    assert "QR dibuat Duitku · Sistem · referensi Duitku" in page
    assert "Pembayaran dibatalkan : menunggu dibayar → dibatalkan · sari · pelanggan pergi" in page
    assert "Callback Duitku : dibatalkan → dibayar · Duitku · ditandai" in page
    assert [code for code in RAW_CODES if code in page] == []


def test_the_same_page_reads_as_english(cashier_client, client, menu, clock, sandbox):
    order = a_late_qris_payment_for_a_cancelled_order(client, menu, clock, sandbox)
    page = page_in(cashier_client, "en", f"/cashier/orders/{order.public_id}")
    assert (
        "Needs attention: A QRIS payment arrived after the order was cancelled: refund it or reinstate the order."
    ) in page
    assert "new → awaiting payment · Customer" in page
    assert "awaiting payment → cancelled · sari · pelanggan pergi" in page  # typed by the cashier: kept as typed
    assert "Duitku callback : cancelled → paid · Duitku · flagged" in page
    assert [code for code in RAW_CODES if code in page] == []
    board = page_in(cashier_client, "en", "/cashier")
    assert "A QRIS payment arrived after the order was cancelled" in board


@pytest.mark.parametrize(
    "language, expected",
    [
        ("id", "menunggu pembayaran → dibayar · sari · tunai diterima Rp50.000, kembalian Rp20.000"),
        ("en", "awaiting payment → paid · sari · cash received Rp50.000, change Rp20.000"),
    ],
)
def test_cash_in_the_history_is_rupiah(cashier_client, menu, language, expected):
    order = make.order(menu)  # Rp30.000
    cashier_client.post(
        f"/cashier/orders/{order.public_id}/cash", data={"csrf_token": cashier_client.csrf_token, "tendered": "50000"}
    )
    page = page_in(cashier_client, language, f"/cashier/orders/{order.public_id}")
    assert expected in page
    assert "50000" not in page


def test_a_resolved_flag_says_what_was_handled(cashier_client, menu):
    order = make.order(menu)
    order.needs_attention, order.attention_reason = True, AttentionReason.AMOUNT_MISMATCH.value
    order.attention_params = {"received": "10000.00", "expected": 30000}
    lifecycle.resolve_attention(order, "cashier:sari")
    page = page_in(cashier_client, "en", f"/cashier/orders/{order.public_id}")
    assert "handled: Duitku reported Rp10.000, but the bill is Rp30.000." in page


@pytest.mark.parametrize(
    "codes, words",
    [
        (AttentionReason, labels.ATTENTION),
        (ChangeReason, labels.CHANGE),
        (EventKind, labels.EVENT_KIND),
        (EventNote, labels.EVENT_NOTE),
        (PaymentStatus, labels.PAYMENT_STATUS),
        (BillEventKind, labels.BILL_EVENT),
    ],
)
def test_every_stored_code_has_words(codes, words):
    assert set(words) == set(codes)


def test_unknown_codes_and_missing_parameters_do_not_break_a_page(app):
    with app.test_request_context():
        assert labels._say(labels.EVENT_NOTE, "written_by_a_later_version", None) == "written_by_a_later_version"
        assert labels._say(labels.ATTENTION, "amount_mismatch", {}) == "Duitku melaporkan ?, padahal tagihannya ?."
        assert (
            labels._say(labels.EVENT_NOTE, "gateway_error", {"error": "timed out"})
            == "Duitku gagal menjawab: timed out"
        )
        assert labels.actor("partner:999") == "partner:999" and labels.actor("cashier:sari") == "sari"
