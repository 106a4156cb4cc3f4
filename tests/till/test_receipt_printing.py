"""A till's receipt printer: a paid till order's receipt printed there once the payment
commits, with the drawer kick for cash at the till (never for QRIS); nothing for an
order rung up elsewhere or at a till without a printer; a printer that is off leaves
the receipt queued, "not printed" on the order page, and the worker prints it once
when the printer is back; the cashier prints it again (a copy never opens the drawer)."""

from datetime import timedelta
from itertools import takewhile

import pytest

from tests import factories as make
from tests.db_helpers import count, end_transaction, reload
from tests.duitku_side import callback_form
from tests.kitchen.printers import FakePrinter
from webapp.extensions import db
from webapp.kitchen import stations
from webapp.models import Category, ChangeReason, KitchenTicket, OrderStatus, PrintState, ReceiptPaper, ReceiptPrint
from webapp.orders.state import move_order
from webapp.printing import escpos
from webapp.printing.jobs import COMMITTED, WRITTEN
from webapp.till import printing, settings

CODES = (
    escpos.INIT,
    escpos.DRAWER_KICK,
    escpos.BOLD_ON,
    escpos.BOLD_OFF,
    escpos.TALL,
    escpos.NORMAL,
    escpos.CENTER,
    escpos.LEFT,
    escpos.FEED_AND_CUT,
)


def printed_lines(sent: bytes) -> list[str]:
    """What the paper shows: the bytes without their ESC/POS commands, line by line."""
    for code in CODES:
        sent = sent.replace(code, b"")
    return sent.decode("ascii").splitlines()


@pytest.fixture
def printer():
    fake = FakePrinter().start()
    yield fake
    fake.stop()


@pytest.fixture
def till(app, printer):
    return settings.save_till(settings.default_till(), "Kasir 1", printer.address, ReceiptPaper.MM80)


def at_till(order, till):
    """The order as the till rings it up: it names its till."""
    order.till_id = till.id
    db.session.commit()
    return order


def take_cash(client, order, tendered: str, **kwargs):
    return client.post(
        f"/cashier/orders/{order.public_id}/cash",
        data={"csrf_token": client.csrf_token, "tendered": tendered},
        **kwargs,
    )


def test_cash_at_the_till_prints_the_receipt_and_kicks_the_drawer_once(cashier_client, menu, till, printer):
    make.bill_settings(rounding_step=500, merchant_address="Jl. Braga 12, Bandung")
    order = at_till(make.order(menu, lines=(("Nasi Goreng", 2, "tidak pedas"),), table=None), till)
    assert take_cash(cashier_client, order, "100000").status_code == 303
    (sent,) = printer.wait_for(1)
    assert sent.startswith(escpos.INIT + escpos.DRAWER_KICK)  # the drawer opens as the receipt starts
    assert sent.count(escpos.DRAWER_KICK) == 1 and sent.endswith(escpos.FEED_AND_CUT)
    text = "\n".join(printed_lines(sent))
    for words in ("Warung Makan Sederhana", "Jl. Braga 12, Bandung", order.number, "Bungkus", "2x Nasi Goreng"):
        assert words in text, words
    assert "(tidak pedas)" in text and "Rp100.000" in text and "Kasir" in text and "sari" in text
    job = ReceiptPrint.query.one()
    assert (job.print_state, job.print_attempts, job.drawer_kick) == (PrintState.PRINTED, 1, True)


def test_a_counter_sale_without_a_name_prints_no_empty_name_row(cashier_client, menu, till, printer):
    order = at_till(make.order(menu, name="", table=None), till)
    assert take_cash(cashier_client, order, "50000").status_code == 303
    (sent,) = printer.wait_for(1)
    printed = printed_lines(sent)
    assert any(line.startswith("Tempat") for line in printed)
    assert not any(line.startswith("Nama") for line in printed)


def test_a_qris_callback_prints_the_receipt_without_the_drawer_kick(app, client, menu, till, printer):
    """On PostgreSQL the callback pays the order in one statement of its own (the receipt
    is written in it); on SQLite through the flush of its history row."""
    app.config["DUITKU_CONFIRM_CALLBACKS"] = False
    payment = make.qris_payment(menu)
    at_till(payment.order, till)
    end_transaction()
    assert client.post("/api/v1/webhooks/duitku", data=callback_form(payment)).status_code == 200
    (sent,) = printer.wait_for(1)
    assert escpos.DRAWER_KICK not in sent
    text = "\n".join(printed_lines(sent))
    assert "QRIS" in text and "2x Nasi Goreng" in text and payment.order.number in text
    job = ReceiptPrint.query.one()
    assert (job.print_state, job.drawer_kick, job.order_id) == (PrintState.PRINTED, False, payment.order_id)


def test_the_kitchen_ticket_and_the_receipt_both_print_after_one_payment(cashier_client, menu, till, printer):
    kitchen_printer = FakePrinter().start()
    try:
        kitchen = stations.save_station(None, "Dapur", kitchen_printer.address)
        for category in Category.query.all():
            stations.assign(category, kitchen)
        order = at_till(make.order(menu), till)
        assert take_cash(cashier_client, order, "30000").status_code == 303
        (ticket,) = kitchen_printer.wait_for(1)
        (receipt,) = printer.wait_for(1)
    finally:
        kitchen_printer.stop()
    assert b"DAPUR" in ticket and escpos.DRAWER_KICK not in ticket
    assert receipt.startswith(escpos.INIT + escpos.DRAWER_KICK) and b"TOTAL" in receipt
    assert KitchenTicket.query.one().print_state == ReceiptPrint.query.one().print_state == PrintState.PRINTED


def test_nothing_is_printed_for_an_order_not_rung_up_at_a_till(cashier_client, menu, till, clock):
    order = make.order(menu)
    assert take_cash(cashier_client, order, "30000").status_code == 303
    assert reload(order).status == OrderStatus.PAID
    assert count(ReceiptPrint) == 0 and printing.retry_due(clock() + timedelta(hours=1)) == 0


def test_nothing_is_printed_at_a_till_without_a_printer(cashier_client, menu, clock):
    order = at_till(make.order(menu), settings.default_till())
    assert settings.default_till().printer == ""
    response = take_cash(cashier_client, order, "30000", follow_redirects=True)
    assert count(ReceiptPrint) == 0 and printing.retry_due(clock() + timedelta(hours=1)) == 0
    assert "Struk belum tercetak" not in response.get_data(as_text=True)


def test_a_payment_rolled_back_queues_no_receipt(menu, till, clock):
    order = at_till(make.order(menu), till)
    cash = {"tendered": 30000, "change": 0}
    move_order(
        order.id,
        [OrderStatus.AWAITING_PAYMENT],
        OrderStatus.PAID,
        clock(),
        "cashier:sari",
        ChangeReason.CASH_PAID,
        cash,
    )
    db.session.flush()
    assert count(ReceiptPrint) == 1 and db.session.info[WRITTEN] == {"receipt": [ReceiptPrint.query.one().id]}
    db.session.rollback()
    assert count(ReceiptPrint) == 0 and WRITTEN not in db.session.info and COMMITTED not in db.session.info


def test_printer_off_queues_the_receipt_and_the_worker_prints_it_once_back_up(
    cashier_client, menu, till, printer, clock
):
    printer.stop()  # off: the connection is refused
    order = at_till(make.order(menu, lines=(("Mie Ayam", 1),)), till)
    response = take_cash(cashier_client, order, "50000", follow_redirects=True)
    assert reload(order).status == OrderStatus.PAID  # the payment did not wait for the printer
    page = response.get_data(as_text=True)
    assert "Struk belum tercetak di printer Kasir 1." in page and "Cetak ulang struk" in page
    job = ReceiptPrint.query.one()
    assert (job.print_state, job.print_attempts) == (PrintState.QUEUED, 1)
    assert "ConnectionRefusedError" in job.print_error
    assert printing.retry_due(clock()) == 0  # not due yet
    clock.advance(seconds=20)
    assert printing.retry_due(clock()) == 1  # due, still off
    assert reload(job).print_attempts == 2 and reload(job).print_due_at == clock() + timedelta(seconds=30)
    printer.start()  # back on the same port
    clock.advance(minutes=1)
    assert printing.retry_due(clock()) == 1
    (sent,) = printer.wait_for(1)
    assert sent.startswith(escpos.INIT + escpos.DRAWER_KICK) and b"1x Mie Ayam" in sent
    assert reload(job).print_state == PrintState.PRINTED and reload(job).print_error == ""
    assert printing.retry_due(clock() + timedelta(hours=1)) == 0
    page = cashier_client.get(f"/cashier/orders/{order.public_id}").get_data(as_text=True)
    assert "Struk belum tercetak" not in page and "Cetak salinan struk" in page
    assert printer.wait_for(2, timeout=0.5) == [sent]  # printed once, the drawer kicked once


def test_the_cashier_reprints_the_receipt_and_a_copy_never_opens_the_drawer(cashier_client, menu, till, printer):
    printer.stop()
    order = make.paid_order(menu, tendered=50_000)  # paid outside a request: the worker's to print
    at_till(order, till)
    assert count(ReceiptPrint) == 0  # it was not at the till when it was paid
    order = at_till(make.order(menu), till)
    make_paid = take_cash(cashier_client, order, "30000")
    assert make_paid.status_code == 303
    url = f"/cashier/orders/{order.public_id}/receipt/print"
    still_off = cashier_client.post(url, data={"csrf_token": cashier_client.csrf_token}, follow_redirects=True)
    assert "Printer Kasir 1 belum bisa dihubungi" in still_off.get_data(as_text=True)
    printer.start()
    first = cashier_client.post(url, data={"csrf_token": cashier_client.csrf_token}, follow_redirects=True)
    assert f"Struk {order.number} dicetak." in first.get_data(as_text=True)
    copy = cashier_client.post(url, data={"csrf_token": cashier_client.csrf_token}, follow_redirects=True)
    assert f"Struk {order.number} dicetak." in copy.get_data(as_text=True)
    late, again = printer.wait_for(2)
    assert late.startswith(escpos.INIT + escpos.DRAWER_KICK)  # the cash is still to go in the drawer
    assert escpos.DRAWER_KICK not in again and printed_lines(again) == printed_lines(late)
    job = reload(ReceiptPrint.query.one())
    assert (job.print_state, job.print_attempts) == (PrintState.PRINTED, 4)


def test_reprinting_an_order_without_a_receipt_printer_is_not_found(cashier_client, menu):
    order = make.paid_order(menu)
    url = f"/cashier/orders/{order.public_id}/receipt/print"
    assert cashier_client.post(url, data={"csrf_token": cashier_client.csrf_token}).status_code == 404


@pytest.mark.parametrize(("paper", "width"), [(ReceiptPaper.MM58, 32), (ReceiptPaper.MM80, 48)])
def test_the_receipt_is_laid_out_for_the_till_s_paper(cashier_client, menu, till, printer, paper, width):
    settings.save_till(till, till.name, till.printer, paper)
    make.bill_settings(rounding_step=500, merchant_address="Jl. Braga 12, Bandung", merchant_tax_number="P2.0001234")
    groups = make.menu_options(menu)
    level_3, egg = make.option_ids(groups, "Level 3", "Telur")
    lines = (("Nasi Goreng", 2, "tidak pedas, tanpa bawang goreng", {level_3: 0, egg: 4000}),)
    order = at_till(make.order(menu, lines=lines, name="Bapak Sutrisno Wijayakusuma"), till)
    assert take_cash(cashier_client, order, "100000").status_code == 303
    (sent,) = printer.wait_for(1)
    printed = printed_lines(sent)
    assert max(len(line) for line in printed) == width  # the rules and the columns fill the paper
    assert "-" * width in printed
    total = next(line for line in printed if line.startswith("TOTAL"))
    assert len(total) == width and total.endswith(f"Rp{order.total:,}".replace(",", "."))
    item = next(line for line in printed if line.startswith("2x Nasi Goreng"))
    assert len(item) == width and item.endswith("Rp58.000")
    assert "   + Level 3" in printed and "   + Telur" in printed
    start = next(index for index, line in enumerate(printed) if line.startswith("   (tidak pedas"))
    note = [printed[start], *takewhile(lambda line: line.startswith("    "), printed[start + 1 :])]
    assert " ".join(line.strip() for line in note) == "(tidak pedas, tanpa bawang goreng)"
    assert len(note) == (2 if width == 32 else 1)  # wrapped under itself on 58 mm
    name = next(line for line in printed if line.startswith("Nama"))
    assert len(name) == width and name.endswith(" Bapak Sutrisno Wijayakusuma")
    assert "NPWPD P2.0001234" in printed
