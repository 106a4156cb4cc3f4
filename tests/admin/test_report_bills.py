"""The reports count a table's bill (pay later) once: its shares' payments by the method
each was paid with, its orders as paid when it is settled and worth its total; a bill
closed unpaid brings in only the shares actually paid."""

import csv
import io
from datetime import UTC, date, datetime

import pytest

from tests import factories as make
from tests.db_helpers import reload
from tests.duitku_side import settle_quietly
from tests.http_helpers import visible_text
from webapp.admin.report import bill_report, daily_report, orders_by_type
from webapp.bills import bill_closing, bill_splits, share_payments
from webapp.bills.table_bills import bill_view
from webapp.models import BillStatus, CloseReason, OrderStatus
from webapp.orders import lifecycle
from webapp.payments import reconcile

DAY = date(2026, 11, 22)
CUSTOMER = "customer"


@pytest.fixture
def day(clock):
    clock.current = datetime(2026, 11, 22, 5, 0, tzinfo=UTC)  # 12:00 WIB
    return clock


def tax_figures() -> tuple[int, ...]:
    """The bill report's one day: paid orders, subtotal, service, tax, rounding, total."""
    [line] = bill_report(DAY, DAY).days
    return (line.paid_orders, line.subtotal, line.service, line.tax, line.rounding, line.total)


def csv_rows(client, url: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(client.get(url).get_data(as_text=True))))


def pay_by_qris(share, clock, sandbox) -> None:
    """The share's QR paid on the payer's phone (the callback lost, the status check finds it)."""
    payment = share_payments.create_share_qris(reload(share), clock())
    settle_quietly(sandbox, payment, clock())
    reconcile.check_with_gateway(payment, clock())


def claim(bill, share, name: str, index: int) -> None:
    portion = [p for p in bill_view(reload(bill)).portions if p.item.name == name][index]
    bill_splits.claim(bill, share, portion.item.id, portion.unit)


def a_bill_split_three_ways_and_a_paid_order(menu, clock, sandbox):
    """Table 4's Rp98.175 split by items: Rina 34.650 and Budi 57.750 by QRIS, Sari
    5.775 in cash; and Tono's takeaway Mie Ayam paid in cash (22.000 + 1.100 + 2.310)."""
    bill = make.three_friends_bill(menu, now=clock())
    make.paid_order(menu, name="Tono", lines=(("Mie Ayam", 1),), table=None, now=clock())
    bill_splits.split_by_items(bill, CUSTOMER, clock())
    rina, budi, sari = (bill_splits.join(bill, name, CUSTOMER, clock()) for name in ("Rina", "Budi", "Sari"))
    claims = [(rina, "Nasi Goreng", 0), (rina, "Es Teh Manis", 0), (budi, "Nasi Goreng", 1), (budi, "Nasi Goreng", 2)]
    for share, name, index in [*claims, (sari, "Es Teh Manis", 1)]:
        claim(bill, share, name, index)
    bill_splits.lock_items(bill, CUSTOMER, clock())
    pay_by_qris(rina, clock, sandbox)
    pay_by_qris(budi, clock, sandbox)
    share_payments.confirm_share_cash(reload(sari), 10_000, "cashier:sari", clock())
    assert reload(bill).status == BillStatus.SETTLED
    lifecycle.advance_order(bill.orders[0], OrderStatus.PREPARING, "cashier:sari")  # the kitchen's steps change nothing
    return bill


def test_a_bill_split_three_ways_counts_its_revenue_once(app, menu, day, sandbox):
    a_bill_split_three_ways_and_a_paid_order(menu, day, sandbox)
    report = daily_report(DAY)
    assert [(m.method, m.payments, m.revenue) for m in report.by_method] == [
        ("tunai", 2, 5_775 + 25_410),
        ("qris", 2, 34_650 + 57_750),
    ]
    assert report.revenue == 98_175 + 25_410 == 123_585
    assert (report.orders_placed, report.paid_orders, report.paid_order_value) == (4, 4, 123_585)
    assert report.average_ticket == 30_896
    assert [(i.name, i.quantity, i.revenue) for i in report.top_items] == [
        ("Nasi Goreng", 3, 75_000),
        ("Es Teh Manis", 2, 10_000),
        ("Mie Ayam", 1, 22_000),
    ]
    assert [(line.order_type, line.orders, line.revenue) for line in orders_by_type(DAY)] == [
        ("dine_in", 3, 98_175),
        ("takeaway", 1, 25_410),
    ]
    [line] = report.bills
    assert (line.outcome, line.name, line.bills, line.value, line.paid) == ("settled", "lunas", 1, 98_175, 98_175)
    assert tax_figures() == (4, 107_000, 5_350, 11_235, 0, 123_585)


def test_the_report_page_and_csv_show_the_bill_once(admin_client, menu, day, sandbox):
    a_bill_split_three_ways_and_a_paid_order(menu, day, sandbox)
    page = visible_text(admin_client.get(f"/admin/report?day={DAY}").get_data(as_text=True))
    assert "Pendapatan Rp123.585" in page and "Tunai 2 Rp31.185" in page and "QRIS 2 Rp92.400" in page
    assert "Tagihan meja (bayar nanti)" in page and "lunas 1 Rp98.175 Rp98.175" in page
    rows = csv_rows(admin_client, f"/admin/report.csv?day={DAY}")
    assert ["revenue", "total", "", "123585"] in rows and ["orders", "paid", "4", "123585"] in rows
    assert ["revenue_by_method", "qris", "2", "92400"] in rows
    assert ["table_bills", "settled", "1", "98175"] in rows and ["table_bills_paid", "settled", "1", "98175"] in rows
    tax_rows = csv_rows(admin_client, f"/admin/report/bill.csv?start={DAY}")
    assert tax_rows[1] == ["2026-11-22", "4", "107000", "5350", "11235", "0", "123585"]


def test_a_settled_bill_is_rounded_once_with_its_stored_figures(app, menu, day):
    bill = make.three_friends_bill(menu, now=day(), rounding_step=500)
    assert sum(order.bill_rounding for order in bill.orders) == 0  # a bill's orders are not rounded one by one
    share_payments.take_cash_for_rest(bill, 100_000, "cashier:sari", day())
    assert tax_figures() == (3, 85_000, 4_250, 8_925, 325, 98_500)
    report = daily_report(DAY)
    assert report.revenue == report.paid_order_value == 98_500


def test_open_and_closed_bills_count_only_the_money_actually_paid(app, menu, day):
    walked_out = make.three_friends_bill(menu, now=day())
    first, _second = bill_splits.split_evenly(walked_out, 2, CUSTOMER, day())
    share_payments.confirm_share_cash(first, 50_000, "cashier:sari", day())
    bill_closing.close_bill(walked_out, CloseReason.WALK_OUT, "", "cashier:sari", day())
    still_open = make.bill_order(menu, table="8", now=day())  # 34.650, cooked and eaten, not paid yet
    for step in (OrderStatus.PREPARING, OrderStatus.READY, OrderStatus.COMPLETED):
        lifecycle.advance_order(still_open, step, "cashier:sari")
    comped = make.bill_order(menu, table="9", name="Tamu", lines=(("Mie Ayam", 1),), now=day())  # 25.410
    bill_closing.close_bill(comped.bill, CloseReason.COMPED, "teman pemilik", "cashier:sari", day())

    report = daily_report(DAY)
    assert [(m.method, m.payments, m.revenue) for m in report.by_method] == [("tunai", 1, 49_088)]
    assert (report.orders_placed, report.paid_orders, report.paid_order_value, report.average_ticket) == (5, 0, 0, 0)
    assert report.top_items == [] and report.top_options == []
    assert [(line.orders, line.revenue) for line in orders_by_type(DAY)] == [(0, 0), (0, 0)]
    assert [(line.outcome, line.name, line.bills, line.value, line.paid) for line in report.bills] == [
        ("open", "terbuka", 1, 34_650, 0),
        ("closed:comped", "ditutup: digratiskan", 1, 25_410, 0),
        ("closed:walk_out", "ditutup: pergi tanpa membayar", 1, 98_175, 49_088),
    ]
    assert bill_report(DAY, DAY).days == []
