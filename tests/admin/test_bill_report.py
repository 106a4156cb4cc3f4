"""The bill report: tax, service and rounding per day and over a range, on screen and in CSV."""

import csv
import io
from datetime import UTC, date, datetime

from tests import factories as make
from tests.db_helpers import reload
from webapp.orders import lifecycle


def three_days(menu, clock):
    """10% tax, 5% service, rounding up to Rp500. 22 Nov: two paid orders of Rp50.000
    (each 58.000: service 2.500, tax 5.250, rounding 250) and one cancelled; 23 Nov: one
    paid of Rp25.000 (service 1.250, tax 2.625, rounding 125 -> 29.000); 30 Nov: one paid."""
    clock.current = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
    make.bill_settings(rounding_step=500)
    for _ in range(2):
        make.paid_order(menu, lines=[("Nasi Goreng", 2)], now=clock())
    cancelled = make.order(menu, lines=[("Nasi Goreng", 4)], now=clock())
    lifecycle.cancel_order(reload(cancelled), "cashier:sari", "pergi")
    clock.advance(days=1)
    make.paid_order(menu, lines=[("Nasi Goreng", 1)], now=clock())
    clock.advance(days=7)
    make.paid_order(menu, lines=[("Nasi Goreng", 1)], now=clock())


def test_the_figures_per_day_and_over_the_range(app, menu, clock):
    from webapp.admin.report import bill_report

    three_days(menu, clock)
    report = bill_report(date(2026, 11, 22), date(2026, 11, 28))
    assert [(d.day.day, d.paid_orders, d.subtotal, d.service, d.tax, d.rounding, d.total) for d in report.days] == [
        (22, 2, 100_000, 5_000, 10_500, 500, 116_000),
        (23, 1, 25_000, 1_250, 2_625, 125, 29_000),
    ]
    totals = report.totals
    assert (totals.paid_orders, totals.service, totals.tax, totals.rounding, totals.total) == (
        3,
        6_250,
        13_125,
        625,
        145_000,
    )
    assert totals.subtotal + totals.service + totals.tax + totals.rounding == totals.total


def test_the_page_the_daily_report_and_the_csv(staff_client, app, menu, clock):
    three_days(menu, clock)
    admin_client = staff_client("admin")  # logged in now: the clock has moved on
    page = admin_client.get("/admin/report/bill?start=2026-11-01&end=2026-11-30").get_data(as_text=True)
    assert "Rp10.500" in page and "Rp15.750" in page  # tax of 22 Nov; of the month (22, 23 and 30 Nov)
    daily = admin_client.get("/admin/report?day=2026-11-22").get_data(as_text=True)
    assert "Pajak restoran (PB1)" in daily and "Rp10.500" in daily and "Rp5.000" in daily
    response = admin_client.get("/admin/report/bill.csv?start=2026-11-22&end=2026-11-28")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["day", "paid_orders", "subtotal_idr", "service_idr", "tax_idr", "rounding_idr", "total_idr"]
    assert rows[1:] == [
        ["2026-11-22", "2", "100000", "5000", "10500", "500", "116000"],
        ["2026-11-23", "1", "25000", "1250", "2625", "125", "29000"],
        ["2026-11-22..2026-11-28", "3", "125000", "6250", "13125", "625", "145000"],
    ]


def test_quick_ranges_and_bad_dates(staff_client, app, clock):
    clock.current = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)  # a Thursday
    admin_client = staff_client("admin")
    page = admin_client.get("/admin/report/bill").get_data(as_text=True)
    assert "start=2026-11-23&amp;end=2026-11-26" in page  # this week, from Monday
    assert "start=2026-11-01&amp;end=2026-11-26" in page  # this month
    assert "start=2026-10-01&amp;end=2026-10-31" in page  # last month, for the monthly PB1 return
    for query in ["start=kemarin", "start=2026-11-26&end=2026-11-01", "start=2020-01-01&end=2026-11-26"]:
        assert admin_client.get(f"/admin/report/bill?{query}").status_code == 400, query
        assert admin_client.get(f"/admin/report/bill.csv?{query}").status_code == 400, query


def test_cashiers_cannot_see_the_bill_report(cashier_client, app):
    assert cashier_client.get("/admin/report/bill").status_code in (302, 303, 403)
