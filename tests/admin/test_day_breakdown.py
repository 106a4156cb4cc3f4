"""The daily report's breakdowns (issue 27 item 7): the day's payments and refunds by
cashier, by shift and by hour, and each cashier's discounts and voids; every breakdown
adds up to the transactions CSV's lines."""

import csv
import io

import pytest

from tests import factories as make
from tests.db_helpers import end_transaction
from tests.duitku_side import callback_form, settle_quietly
from tests.http_helpers import visible_text
from tests.refunds.conftest import refund
from tests.voids.conftest import void
from webapp.admin.breakdown import day_breakdown
from webapp.admin.transactions import day_lines
from webapp.formatting import rupiah
from webapp.orders.paying import confirm_cash
from webapp.timeutil import jakarta_date

DAY = "2026-11-22"  # the clock fixture's Jakarta day


@pytest.mark.usefixtures("rini")
def test_the_day_by_cashier_shift_and_hour(cashier_client, staff_client, app, menu, clock, sandbox):
    make.staff_user("dewi")
    sari_sale = make.paid_order(menu, now=clock())  # Rp30.000 in cash, taken by sari
    clock.advance(hours=1)
    dewi_sale = make.order(menu, lines=make.TWO_NASI_GORENG, on_order=[make.given(amount=5_000, by="cashier:dewi")])
    confirm_cash(dewi_sale, 50_000, "cashier:dewi", clock())  # Rp45.000
    payment = make.qris_payment(menu, now=clock())  # the customer's own QRIS
    settle_quietly(sandbox, payment, clock())
    assert cashier_client.post("/api/v1/webhooks/duitku", data=callback_form(payment)).status_code == 200
    assert refund(cashier_client, sari_sale, scope="amount", amount="10.000").status_code == 303
    unpaid = make.order(menu, lines=make.TWO_NASI_GORENG, table=None)
    assert void(cashier_client, unpaid, reason="salah input").status_code == 303  # sari voids Rp50.000
    end_transaction()

    breakdown = day_breakdown(jakarta_date(clock()))
    cashiers = {tally.name: tally for tally in breakdown.by_cashier}
    assert list(cashiers) == ["dewi", "sari", ""]  # the customer's own QRIS has no cashier
    sari, dewi, customer = cashiers["sari"], cashiers["dewi"], cashiers[""]
    assert (sari.payments, sari.taken, sari.refunds, sari.refunded, sari.voided) == (1, 30_000, 1, 10_000, 50_000)
    assert (dewi.payments, dewi.taken, dewi.discounted, dewi.net) == (1, 45_000, 5_000, 45_000)
    assert (customer.payments, customer.taken) == (1, payment.amount)
    lines = day_lines(jakarta_date(clock()))
    for tallies in (breakdown.by_cashier, breakdown.by_shift, breakdown.by_hour):
        assert sum(tally.net for tally in tallies) == sum(line.amount for line in lines)
    assert [tally.name for tally in breakdown.by_hour] == ["12.00", "13.00"]
    assert [(tally.payments, tally.refunds) for tally in breakdown.by_hour] == [(1, 0), (2, 1)]

    admin = staff_client("admin")
    text = visible_text(admin.get(f"/admin/report?day={DAY}").get_data(as_text=True))
    assert "Per kasir" in text and "sari Rp30.000 (1) -Rp10.000 (1) Rp0 -Rp50.000 Rp20.000" in text
    assert "dewi Rp45.000 (1) Rp0 -Rp5.000 Rp0 Rp45.000" in text and "Per jam" in text
    assert f"Pelanggan sendiri {rupiah(payment.amount)} (1)" in text  # the customer's own QRIS
    assert f"Di luar shift {rupiah(payment.amount)} (1)" in text
    rows = list(csv.reader(io.StringIO(admin.get(f"/admin/report.csv?day={DAY}").get_data(as_text=True))))
    assert ["cashier_payments", "sari", "1", "30000"] in rows and ["cashier_voids", "sari", "", "-50000"] in rows
    assert ["cashier_discounts", "dewi", "", "-5000"] in rows and ["hour_refunds", "13.00", "1", "-10000"] in rows
