"""What a paired customer display shows: the lines being rung up with the total the till
will charge, then the till's latest order (its QR, "Lunas", the change of the cash
handed over, a note that it went on the table's bill), else the shop's name; and its
poll: 204 from one query while nothing changed, the new screen at the first poll after
a change."""

import pytest

from tests import factories as make
from tests.db_helpers import end_transaction, postgresql_round_trips, reload, statements
from tests.duitku_side import pay_on_sandbox, settle_quietly
from tests.http_helpers import seen_version, visible_text
from tests.till.display_helpers import at_till, clear_draft, display_url, pair_device, poll, ring_up, till
from webapp.extensions import db
from webapp.menu import option_editing
from webapp.models import OrderType, PaymentMethod
from webapp.orders import lifecycle
from webapp.orders.cart import Cart, price_cart
from webapp.orders.placing import CustomerDetails, order_figures, place_order
from webapp.till import display


@pytest.fixture
def kasir(app):
    return till()


@pytest.fixture
def device(app, kasir, clock):
    """A test client paired as the till's display."""
    client = app.test_client()
    pair_device(client, kasir, clock())
    return client


def shown(device, kasir) -> str:
    page = device.get(display_url(kasir))
    assert page.status_code == 200
    return visible_text(page.get_data(as_text=True))


def test_the_lines_being_rung_up_and_the_total_the_till_will_charge(app, menu, kasir, device, clock):
    groups = make.menu_options(menu)
    extras = groups["Tambahan"]
    egg = next(option for option in extras.options if option.name == "Telur")
    option_editing.save_option(egg, extras, name="Telur", name_en="Egg", price_diff=4000)
    make.bill_settings(tax_rate=1000, service_rate=500, rounding_step=500)
    telur, level, reguler = make.option_ids(groups, "Telur", "Level 2", "Reguler")
    ring_up(
        kasir,
        menu,
        ("Nasi Goreng", 2, "tidak pedas", {level: 0, telur: 4000}),
        ("Es Teh Manis", 1, "", {reguler: 0}),
        table=make.dining_table("5"),
    )
    text = shown(device, kasir)
    # 2 x (25.000 + 4.000) + 5.000 = 63.000; 5% service 3.150; 10% tax 6.615; 72.765 up to 73.000
    figures = order_figures(63_000, OrderType.DINE_IN)
    assert (figures.service, figures.tax, figures.total) == (3150, 6615, 73_000)
    assert "Pesanan Anda Meja 5" in text
    assert "2x Nasi Goreng Level 2, Telur (tidak pedas) Rp58.000" in text
    assert "1x Es Teh Manis Reguler Rp5.000" in text
    assert "Subtotal Rp63.000" in text and "Rp3.150" in text and "Rp6.615" in text and "Pembulatan Rp235" in text
    assert "Total Rp73.000" in text

    # The till charges just that: the draft placed as an order, paid now.
    customer = CustomerDetails("Rina", "", PaymentMethod.CASH, OrderType.DINE_IN, make.dining_table("5"), seated=True)
    placed = place_order(price_cart(Cart(dict(reload(kasir).draft))), customer)
    assert (placed.bill_service, placed.bill_tax, placed.total) == (3150, 6615, 73_000)

    # In the display's own language: English names where the menu has them.
    device.get("/lang/en")
    english = shown(device, kasir)
    assert "Your order" in english and "Table 5" in english and "Level 2, Egg" in english


def test_a_takeaway_draft_follows_service_on_takeaway(app, menu, kasir, device):
    make.bill_settings(tax_rate=1000, service_rate=500, service_on_takeaway=False)
    ring_up(kasir, menu, ("Mie Ayam", 1))
    text = shown(device, kasir)
    assert "Bungkus" in text and "Biaya layanan" not in text
    assert order_figures(22_000, OrderType.TAKEAWAY).total == 24_200 and "Total Rp24.200" in text


def test_a_qris_order_shows_its_qr_then_lunas_at_the_first_poll_after_payment(
    app, menu, kasir, device, clock, sandbox, live_app
):
    ring_up(kasir, menu, ("Nasi Goreng", 2))
    payment = make.qris_payment(menu, table="5")
    at_till(payment.order, kasir)
    clear_draft(kasir)
    html = device.get(display_url(kasir)).get_data(as_text=True)
    text = visible_text(html)
    assert 'class="qr"' in html and "Scan untuk membayar" in text and "Rp50.000" in text
    assert 'data-seconds-left="600"' in html
    assert "Bayar di sandbox" not in text and "Simpan gambar" not in text  # nothing to tap on a display
    seen = seen_version(html)
    assert poll(device, kasir, seen).status_code == 204

    pay_on_sandbox(sandbox, payment)
    answer = poll(device, kasir, seen)  # the very next poll
    assert answer.status_code == 200
    text = visible_text(answer.get_data(as_text=True))
    assert "Lunas" in text and "Rp50.000" in text and payment.order.number in text
    assert poll(device, kasir, seen_version(answer.get_data(as_text=True))).status_code == 204

    clock.advance(minutes=3)  # the thanks stay a while, then the shop's name
    idle = poll(device, kasir, seen_version(answer.get_data(as_text=True)))
    assert "Selamat datang" in visible_text(idle.get_data(as_text=True))


def test_a_lost_callback_is_looked_up_by_the_display_s_poll(app, menu, kasir, device, clock, sandbox, live_app):
    payment = make.qris_payment(menu)
    at_till(payment.order, kasir)
    seen = seen_version(device.get(display_url(kasir)).get_data(as_text=True))
    settle_quietly(sandbox, payment, clock())
    clock.advance(seconds=30)  # past the status check interval: nobody else watches a till's order
    with postgresql_round_trips() as round_trips:
        answer = poll(device, kasir, seen)
    assert answer.status_code == 200 and "Lunas" in answer.get_data(as_text=True)
    if db.engine.dialect.name == "postgresql":  # the facts read alone, then the writes in a transaction
        assert round_trips[0] == "SELECT" and round_trips.index("BEGIN") < round_trips.index("UPDATE")


def test_a_cash_order_thanks_with_the_change(app, menu, kasir, device):
    order = at_till(make.paid_order(menu, tendered=50_000), kasir)  # Rp30.000
    text = shown(device, kasir)
    assert "Terima kasih" in text and "Total Rp30.000 Tunai Rp50.000 Kembalian Rp20.000" in text
    assert order.number in text and "Lunas" not in text


def test_an_order_awaiting_cash_shows_what_to_pay(app, menu, kasir, device, clock):
    at_till(make.order(menu, method=PaymentMethod.CASH), kasir)
    assert "Total pembayaran Rp30.000 Silakan bayar di kasir." in shown(device, kasir)
    clock.advance(minutes=15)  # not paid a quarter of an hour later: no longer shown
    assert "Selamat datang" in shown(device, kasir)


def test_an_expired_qr_shows_what_to_pay_at_the_counter(app, menu, kasir, device, clock, sandbox, live_app):
    at_till(make.qris_payment(menu).order, kasir)
    seen = seen_version(device.get(display_url(kasir)).get_data(as_text=True))
    clock.advance(minutes=10)
    answer = poll(device, kasir, seen)
    assert answer.status_code == 200
    assert "Total pembayaran Rp50.000 Silakan bayar di kasir." in visible_text(answer.get_data(as_text=True))


def test_a_pay_later_order_goes_on_the_table_s_bill(app, menu, kasir, device):
    make.pay_later()
    order = at_till(make.bill_order(menu, table="4"), kasir)
    text = shown(device, kasir)
    assert "Masuk tagihan meja" in text and f"Pesanan {order.number} masuk tagihan Meja 4" in text


def test_a_cancelled_order_leaves_the_shop_s_name(app, menu, kasir, device):
    order = at_till(make.order(menu, method=PaymentMethod.CASH), kasir)
    lifecycle.cancel_order(order, "cashier:sari")
    text = shown(device, kasir)
    assert "Selamat datang" in text and "Total pembayaran" not in text


def test_the_draft_comes_before_the_last_order(app, menu, kasir, device):
    at_till(make.paid_order(menu, tendered=50_000), kasir)
    ring_up(kasir, menu, ("Mie Ayam", 1))
    text = shown(device, kasir)
    assert "Pesanan Anda" in text and "Mie Ayam" in text and "Kembalian" not in text
    clear_draft(kasir)
    assert "Kembalian Rp20.000" in shown(device, kasir)


def test_the_poll_answers_204_from_one_query_until_the_draft_changes(app, menu, kasir, device):
    ring_up(kasir, menu, ("Mie Ayam", 1))
    at_till(make.paid_order(menu), kasir)
    seen = seen_version(device.get(display_url(kasir)).get_data(as_text=True))
    end_transaction()
    with statements() as seen_statements:
        assert poll(device, kasir, seen).status_code == 204
    assert len(seen_statements) == 1 and seen_statements[0].lstrip().upper().startswith("SELECT")
    if db.engine.dialect.name == "postgresql":
        with postgresql_round_trips() as round_trips:
            assert poll(device, kasir, seen).status_code == 204
        assert round_trips == ["SELECT"]  # no BEGIN, no ROLLBACK

    ring_up(reload(kasir), menu, ("Es Teh Manis", 1))
    changed = poll(device, kasir, seen)
    assert changed.status_code == 200 and "Es Teh Manis" in changed.get_data(as_text=True)
    assert seen_version(changed.get_data(as_text=True)) != seen


def test_the_version_read_by_the_poll_is_the_one_the_page_shows(app, menu, kasir, clock, sandbox, live_app):
    """The poll's one query and the page's ORM objects give the same version, screen by screen."""
    versions = []

    def both():
        db.session.expire_all()
        from_query = display.display_facts(kasir.public_id).version(clock())
        from_page = display.display_view(reload(kasir), clock()).version
        db.session.commit()
        versions.append(from_query)
        assert from_query == from_page

    both()
    ring_up(kasir, menu, ("Mie Ayam", 1))
    both()
    payment = make.qris_payment(menu)
    at_till(payment.order, kasir)
    clear_draft(kasir)
    both()
    pay_on_sandbox(sandbox, payment)
    both()
    at_till(make.paid_order(menu, tendered=100_000), kasir)
    both()
    clock.advance(minutes=5)
    both()
    assert len(set(versions)) == len(versions)
