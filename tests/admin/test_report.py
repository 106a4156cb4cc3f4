"""The daily report's figures on a fixture day with known orders."""

import csv
import io
from datetime import UTC, date, datetime

from tests import factories as make
from tests.db_helpers import reload
from tests.duitku_side import settle_quietly
from webapp.models import OrderStatus
from webapp.orders import lifecycle
from webapp.payments import reconcile

DAY = date(2026, 11, 22)


def fixture_day(menu, clock, sandbox):
    """Five orders on 22 Nov (Jakarta): 2 cash paid, 1 QRIS paid, 1 QRIS expired then
    cancelled, 1 cash cancelled; plus one order on the next day that must not count."""
    now = clock()
    cash1 = make.paid_order(menu, lines=[("Nasi Goreng", 2), ("Es Teh Manis", 2)], tendered=100000, now=now)  # 60.000
    make.paid_order(menu, lines=[("Mie Ayam", 1)], now=now)  # 22.000
    lifecycle.advance_order(reload(cash1), OrderStatus.PREPARING, "cashier:sari")
    payment = make.qris_payment(menu, lines=[("Nasi Goreng", 1), ("Es Teh Manis", 1)], now=now)  # 30.000
    settle_quietly(sandbox, payment, now)
    reconcile.check_with_gateway(payment, now)
    qris_lost = make.qris_payment(menu, lines=[("Mie Ayam", 2)], now=now).order  # 44.000
    cash_gone = make.order(menu, lines=[("Nasi Goreng", 3)], now=now)
    lifecycle.cancel_order(cash_gone, "cashier:sari", "pelanggan pergi")
    clock.advance(minutes=11)
    reconcile.sweep()
    lifecycle.cancel_order(reload(qris_lost), "system", "QR kedaluwarsa")
    clock.advance(days=1)
    make.paid_order(menu, lines=[("Mie Ayam", 5)], tendered=110000, now=clock())


def test_report_figures(app, menu, clock, sandbox):
    from webapp.admin.report import daily_report

    clock.current = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # 10:00 WIB
    fixture_day(menu, clock, sandbox)
    report = daily_report(DAY)
    assert report.orders_placed == 5
    assert (report.paid_orders, report.cancelled_orders, report.expired_qr) == (3, 2, 1)
    assert [(m.method, m.payments, m.revenue) for m in report.by_method] == [("tunai", 2, 82000), ("qris", 1, 30000)]
    assert report.revenue == 112000
    assert report.average_ticket == 37333  # 112.000 / 3
    assert [(i.name, i.quantity, i.revenue) for i in report.top_items] == [
        ("Es Teh Manis", 3, 15000),
        ("Nasi Goreng", 3, 75000),
        ("Mie Ayam", 1, 22000),
    ]


def test_report_page_and_csv(admin_client, app, menu, clock, sandbox):
    clock.current = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
    fixture_day(menu, clock, sandbox)
    page = admin_client.get("/admin/report?day=2026-11-22").get_data(as_text=True)
    assert "Rp112.000" in page and "Rp37.333" in page and "Es Teh Manis" in page
    assert "<td>QRIS</td>" in page and "<td>Tunai</td>" in page  # labels, not the CSV's codes
    admin_client.get("/lang/en")
    assert "<td>Cash</td>" in admin_client.get("/admin/report?day=2026-11-22").get_data(as_text=True)
    response = admin_client.get("/admin/report.csv?day=2026-11-22")
    assert response.mimetype == "text/csv" and "warung-2026-11-22.csv" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert ["revenue", "total", "", "112000"] in rows
    assert ["revenue_by_method", "qris", "1", "30000"] in rows
    assert ["top_item", "Nasi Goreng", "3", "75000"] in rows
    assert admin_client.get("/admin/report?day=kemarin").status_code == 400


def test_csv_cells_never_start_a_formula(admin_client, app, menu, clock):
    """A spreadsheet would run a cell that starts with = + - @ tab or CR."""
    from webapp.extensions import db

    names = ['=HYPERLINK("http://evil.example","x")', "+62812", "-1+1", "@SUM(A1)", "\tTab", "\rCR"]
    for item, name in zip(menu.values(), names[: len(menu)], strict=True):  # tab and CR: the helper test
        item.name, item.available = name, True
    db.session.commit()
    for key, item in menu.items():
        make.paid_order(menu, lines=[(key, 1)], tendered=item.price, now=clock())
    response = admin_client.get(f"/admin/report.csv?day={clock().date().isoformat()}")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True), newline="")))
    exported = {row[1] for row in rows if row[0] == "top_item"}
    assert exported == {"'" + name for name in names[: len(menu)]}


def test_csv_helper_neutralises_only_formula_text():
    from webapp.csv_export import to_csv

    rows = list(
        csv.reader(io.StringIO(to_csv([["=1", "+1", "-1", "@a", "\tb", "\rc", "Nasi", "a=b", -5000, 0]]), newline=""))
    )
    assert rows == [["'=1", "'+1", "'-1", "'@a", "'\tb", "'\rc", "Nasi", "a=b", "-5000", "0"]]
