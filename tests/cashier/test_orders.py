"""Cash confirmation, kitchen progress, cancellation and the board, as a cashier."""

import re
import threading

import pytest

from tests import factories as make
from tests.db_helpers import count, end_transaction, reload
from tests.duitku_side import callback_form, settle_quietly
from tests.http_helpers import HTMX
from webapp.extensions import db
from webapp.models import Order, OrderStatusChange, Payment, PaymentEvent
from webapp.orders import lifecycle
from webapp.orders.paying import confirm_cash
from webapp.state import IllegalTransition


def test_cash_confirmation_shows_the_change(cashier_client, menu):
    order = make.order(menu)  # Rp30.000
    token = cashier_client.csrf_token
    response = cashier_client.post(
        f"/cashier/orders/{order.public_id}/cash",
        data={"csrf_token": token, "tendered": "50000"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert '<h2 id="change-title">Kembalian Rp20.000</h2>' in page  # large, not a flash line
    assert "Uang diterima Rp50.000 untuk total Rp30.000" in page
    order = reload(order)
    assert order.status == "paid"
    [payment] = order.payments
    assert (payment.provider, payment.amount, payment.status) == ("cash", 30000, "paid")
    [event] = payment.events
    assert event.actor == "cashier:sari" and event.note == "cash_received"
    assert event.note_params == {"tendered": 50000, "change": 20000}
    assert order.history[-1].actor == "cashier:sari"


def test_the_amount_field_asks_for_the_numeric_keypad_and_enter_confirms_it(cashier_client, menu):
    order = make.order(menu)
    page = cashier_client.get(f"/cashier/orders/{order.public_id}").get_data(as_text=True)
    form = page.split('class="cash-form"')[1].split("</form>")[0]
    field = re.search(r'<input[^>]*name="tendered"[^>]*>', form).group(0)
    assert 'type="text"' in field and 'inputmode="numeric"' in field and 'class="amount-input"' in field
    assert "pattern=" not in field  # "50.000" is an amount too
    # Enter in a field presses the form's first button: it must confirm the typed amount
    first_button = re.search(r"<button[^>]*>", form).group(0)
    assert 'name="quick"' not in first_button


@pytest.mark.parametrize("tendered", ["50.000", "Rp50.000", "50,000", "50rb"])
def test_cash_is_typed_the_way_rupiah_is_written(cashier_client, menu, tendered):
    order = make.order(menu)  # Rp30.000
    response = cashier_client.post(
        f"/cashier/orders/{order.public_id}/cash",
        data={"csrf_token": cashier_client.csrf_token, "tendered": tendered},
        follow_redirects=True,
    )
    assert '<h2 id="change-title">Kembalian Rp20.000</h2>' in response.get_data(as_text=True)
    [payment] = reload(order).payments
    assert payment.events[0].note_params == {"tendered": 50000, "change": 20000}


def test_quick_exact_amount_button(cashier_client, menu):
    order = make.order(menu)
    page = cashier_client.get(f"/cashier/orders/{order.public_id}").get_data(as_text=True)
    assert 'name="quick" value="30000"' in page and 'name="quick" value="50000"' in page
    assert 'name="quick" value="20000"' not in page  # less than the total
    cashier_client.post(
        f"/cashier/orders/{order.public_id}/cash",
        data={"csrf_token": cashier_client.csrf_token, "quick": "30000", "tendered": ""},
    )
    assert reload(order).status == "paid"


@pytest.mark.parametrize(
    "tendered, message",
    [
        ("20000", "Uang diterima kurang Rp10.000 dari total Rp30.000."),
        ("", "Tulis uang yang diterima"),
        ("dua puluh", "misalnya 50.000"),
        ("50.5", "misalnya 50.000"),  # 50.500 or fifty and a half thousand: not clearly an amount
        ("50k", "misalnya 50.000"),
        ("-5", "tidak masuk akal"),
    ],
)
def test_bad_tendered_amounts_are_form_errors(cashier_client, menu, tendered, message):
    order = make.order(menu)
    response = cashier_client.post(
        f"/cashier/orders/{order.public_id}/cash", data={"csrf_token": cashier_client.csrf_token, "tendered": tendered}
    )
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert reload(order).status == "awaiting_payment" and count(Payment) == 0


def test_concurrent_confirmations_apply_once(app, menu, staff):
    order_id = make.order(menu).id
    end_transaction()
    outcomes = []
    barrier = threading.Barrier(8)

    def confirm(index):
        with app.app_context():
            try:
                order = db.session.get(Order, order_id)
                db.session.commit()  # end the read: on SQLite it holds the write lock
                barrier.wait(timeout=30)
                confirm_cash(order, 50000, f"cashier:{index}")
                outcomes.append("confirmed")
            except IllegalTransition:
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=confirm, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["confirmed"] + ["refused"] * 7
    assert count(Payment) == 1 and count(PaymentEvent, kind="cash_confirmed") == 1
    assert count(OrderStatusChange, order_id=order_id, to_status="paid") == 1


def test_cancelled_or_paid_orders_cannot_be_confirmed(app, menu):
    cancelled, paid = make.order(menu), make.paid_order(menu)
    lifecycle.cancel_order(cancelled, "cashier:sari", "pelanggan pergi")
    for order in (cancelled, paid):
        with pytest.raises(IllegalTransition, match="tidak bisa menjadi dibayar"):
            confirm_cash(reload(order), 30000, "cashier:sari")
    assert count(Payment) == 1


def test_progress_one_click_each_and_the_customer_sees_it(cashier_client, client, menu):
    order = make.paid_order(menu)
    token = cashier_client.csrf_token
    for to, shown in (("preparing", "Sedang dimasak"), ("ready", "Pesanan siap"), ("completed", "Selesai")):
        response = cashier_client.post(
            f"/cashier/orders/{order.public_id}/advance", data={"csrf_token": token, "to": to}, headers=HTMX
        )
        assert response.status_code == 200
        assert shown in client.get(f"/orders/{order.public_id}/status").get_data(as_text=True)
    history = [(c.from_status, c.to_status, c.actor) for c in reload(order).history]
    assert history == [
        (None, "awaiting_payment", "customer"),
        ("awaiting_payment", "paid", "cashier:sari"),
        ("paid", "preparing", "cashier:sari"),
        ("preparing", "ready", "cashier:sari"),
        ("ready", "completed", "cashier:sari"),
    ]
    detail = cashier_client.get(f"/cashier/orders/{order.public_id}").get_data(as_text=True)
    assert "siap &rarr; <strong>selesai</strong>" in detail


ILLEGAL_MOVES = [
    ("ready", "paid"),
    ("completed", "preparing"),
    ("paid", "ready"),
    ("awaiting_payment", "preparing"),
    ("cancelled", "preparing"),
    ("preparing", "completed"),
    ("completed", "completed"),
]


@pytest.mark.parametrize("current, wanted", ILLEGAL_MOVES)
def test_illegal_moves_are_refused_and_change_nothing(cashier_client, menu, current, wanted):
    order = make.order(menu)
    order.status = current
    db.session.commit()
    changes = count(OrderStatusChange)
    response = cashier_client.post(
        f"/cashier/orders/{order.public_id}/advance",
        data={"csrf_token": cashier_client.csrf_token, "to": wanted},
        headers=HTMX,
    )
    assert response.status_code == 409
    assert "tidak bisa menjadi" in response.get_data(as_text=True)
    assert reload(order).status == current and count(OrderStatusChange) == changes


@pytest.mark.parametrize("current", ["paid", "preparing", "ready", "completed", "cancelled"])
def test_only_unpaid_orders_can_be_cancelled(app, menu, current):
    order = make.order(menu)
    order.status = current
    db.session.commit()
    with pytest.raises(IllegalTransition):
        lifecycle.cancel_order(order, "cashier:sari", "salah pesan")
    assert reload(order).status == current


def test_cancel_needs_a_reason(cashier_client, menu):
    order = make.order(menu)
    response = cashier_client.post(
        f"/cashier/orders/{order.public_id}/cancel", data={"csrf_token": cashier_client.csrf_token, "reason": "  "}
    )
    assert response.status_code == 422 and "Alasan wajib diisi" in response.get_data(as_text=True)
    assert reload(order).status == "awaiting_payment"


def test_cancelling_a_qris_order_cancels_its_qr_and_a_late_success_is_flagged(client, app, menu, clock, sandbox):
    payment = make.qris_payment(menu)
    order = payment.order
    settle_quietly(sandbox, payment, clock())
    lifecycle.cancel_order(order, "cashier:sari", "pelanggan pergi")
    assert reload(payment).status == "cancelled"
    client.post("/api/v1/webhooks/duitku", data=callback_form(payment))
    payment = reload(payment)
    assert payment.status == "paid" and payment.order.status == "cancelled"
    assert payment.order.needs_attention


def test_flagged_orders_show_in_needs_attention_and_can_be_resolved(cashier_client, menu):
    order = make.order(menu)
    order.needs_attention, order.attention_reason = True, "amount_mismatch"
    order.attention_params = {"received": "1", "expected": 30000}
    db.session.commit()
    board = cashier_client.get("/cashier").get_data(as_text=True)
    attention = board.split('id="col-attention"')[1]
    assert order.number in attention and "Duitku melaporkan Rp1, padahal tagihannya Rp30.000." in attention
    cashier_client.post(f"/cashier/orders/{order.public_id}/resolve", data={"csrf_token": cashier_client.csrf_token})
    assert not reload(order).needs_attention
    resolved = reload(order).history[-1]
    assert resolved.reason == "attention_resolved"
    assert resolved.reason_params == {"reason": "amount_mismatch", "params": {"received": "1", "expected": 30000}}


def test_customer_can_switch_to_cash_and_cancel_from_the_order_page(client, csrf, menu):
    order = make.qris_payment(menu).order
    client.post(f"/orders/{order.public_id}/cash", data={"csrf_token": csrf})
    assert reload(order).payment_method == "cash"
    client.post(f"/orders/{order.public_id}/cancel", data={"csrf_token": csrf})
    order = reload(order)
    assert order.status == "cancelled" and order.history[-1].actor == "customer"
    assert "Pesanan dibatalkan" in client.get(f"/orders/{order.public_id}").get_data(as_text=True)


def test_sold_out_toggle_reflects_on_the_menu_at_once(cashier_client, client, menu):
    item = menu["Mie Ayam"]
    token = cashier_client.csrf_token
    cashier_client.post(f"/cashier/menu/{item.id}/availability", data={"csrf_token": token, "available": "0"})
    cashier_client.post(f"/cashier/menu/{item.id}/availability", data={"csrf_token": token, "available": "0"})
    assert f'name="item_id" value="{item.id}"' not in client.get("/").get_data(as_text=True)
    cashier_client.post(f"/cashier/menu/{item.id}/availability", data={"csrf_token": token, "available": "1"})
    assert f'name="item_id" value="{item.id}"' in client.get("/").get_data(as_text=True)


def test_takeaway_reads_bungkus_not_a_table_on_the_board_and_the_order(cashier_client, menu):
    order = make.order(menu, table=None)
    board = cashier_client.get("/cashier").get_data(as_text=True)
    detail = cashier_client.get(f"/cashier/orders/{order.public_id}").get_data(as_text=True)
    for page in (board, detail):
        assert "Meja Bungkus" not in page and "Rina &middot; Bungkus" in page
