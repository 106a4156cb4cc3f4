"""The reports are net of refunds: the tax (bill) report takes off the PB1, service and
rounding a refund of a sale reversed, on the day it was given (a full refund leaves the
day at nothing sold), the daily report the money given back; money an order never asked
for reverses nothing in the tax report."""

import csv
import io
from datetime import date

import pytest

from tests import factories as make
from tests.refunds.conftest import refund
from webapp.admin.report import bill_report, daily_report

DAY = date(2026, 11, 22)  # the clock fixture's Jakarta day


@pytest.fixture
def paid(app, menu, clock):
    make.bill_settings(rounding_step=500)
    return make.paid_order(menu, lines=make.TWO_NASI_GORENG)  # 50.000 + 2.500 + 5.250 + 250 = 58.000


def figures(day):
    return day.subtotal, day.service, day.tax, day.rounding, day.total


def test_a_full_refund_reverses_the_whole_bill_in_the_tax_report(cashier_client, paid, rini, staff_client):
    assert figures(bill_report(DAY, DAY).totals) == (50_000, 2_500, 5_250, 250, 58_000)
    assert refund(cashier_client, paid).status_code == 303
    report = bill_report(DAY, DAY)
    assert figures(report.totals) == (0, 0, 0, 0, 0) and report.totals.paid_orders == 1
    daily = daily_report(DAY)
    assert (daily.revenue, daily.refunds, daily.refunded, daily.net_revenue) == (58_000, 1, 58_000, 0)
    admin = staff_client("admin")
    rows = list(csv.reader(io.StringIO(admin.get(f"/admin/report.csv?day={DAY.isoformat()}").get_data(as_text=True))))
    assert ["refunds", "total", "1", "-58000"] in rows and ["revenue", "net", "", "0"] in rows
    page = admin.get(f"/admin/report?day={DAY.isoformat()}").get_data(as_text=True)
    assert "Pendapatan bersih" in page


def test_a_part_refund_takes_its_share_off(cashier_client, paid, rini):
    assert refund(cashier_client, paid, scope="amount", amount="10.000").status_code == 303
    # 5.250 x 10.000 / 58.000 = 905 PB1, 2.500 x ... = 431 service, 250 x ... = 43 rounding.
    assert figures(bill_report(DAY, DAY).totals) == (50_000 - 8_621, 2_500 - 431, 5_250 - 905, 250 - 43, 48_000)
