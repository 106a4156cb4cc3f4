"""The day's transactions CSV (issue 27 item 7): every payment and refund, one line each
(a refund negative), with Duitku's reference and issuer, the cashier and the shift; a
shift's lines sum to its X report's cash sales, QRIS and cash refunds, and so to its
net sales. Managers and the owner download it; cashiers do not."""

import csv
import io

from tests import factories as make
from tests.db_helpers import end_transaction
from tests.duitku_side import callback_form, settle_quietly
from tests.refunds.conftest import refund
from webapp.shifts import drawer, reports

URL = "/admin/report/transactions.csv?day=2026-11-22"  # the clock fixture's Jakarta day


def test_a_shifts_lines_sum_to_its_x_report(cashier_client, staff_client, app, menu, clock, sandbox, rini):
    till = make.close_drawer()
    shift = drawer.open_shift(till, 100_000, "cashier:sari", now=clock())
    make.bill_settings(rounding_step=500)
    cash_order = make.paid_order(menu, now=clock())  # Rp35.000
    payment = make.qris_payment(menu, now=clock())  # Rp50.000 before the settings? see its total below
    settle_quietly(sandbox, payment, clock())
    assert cashier_client.post("/api/v1/webhooks/duitku", data=callback_form(payment)).status_code == 200
    clock.advance(minutes=5)
    assert refund(cashier_client, cash_order, scope="amount", amount="10.000").status_code == 303
    qris_order = payment.order
    fields = {"scope": "amount", "amount": "5.000", "method": "ewallet", "reference": "DANA-1"}
    assert refund(cashier_client, qris_order, **fields).status_code == 303
    end_transaction()

    response = staff_client("admin").get(URL)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    header, *rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert header[:5] == ["time", "kind", "paid_for", "method", "amount_idr"]
    lines = [dict(zip(header, row, strict=True)) for row in rows]
    assert [(line["kind"], line["paid_for"], line["method"], int(line["amount_idr"])) for line in lines] == [
        ("payment", "A-001", "cash", cash_order.total),
        ("payment", "A-002", "qris", qris_order.total),
        ("refund", "A-001", "cash", -10_000),
        ("refund", "A-002", "ewallet", -5_000),
    ]
    qris_line = lines[1]
    assert qris_line["duitku_reference"] == payment.reference and qris_line["issuer"] == "ShopeePay"
    assert lines[0]["cashier"] == "sari" and lines[2]["cashier"] == "sari"
    assert lines[3]["shift"] == "" and lines[0]["till"] == "Kasir 1"

    report = reports.shift_report(shift)
    of_shift = [line for line in lines if line["shift"] == str(shift.id)]

    def summed(kind: str, method: str) -> int:
        return sum(int(line["amount_idr"]) for line in of_shift if (line["kind"], line["method"]) == (kind, method))

    assert summed("payment", "cash") == report.cash_sales == cash_order.total
    assert summed("payment", "qris") == report.qris_sales == qris_order.total
    assert summed("refund", "cash") == -report.cash_refunds == -10_000
    assert sum(int(line["amount_idr"]) for line in of_shift) == report.net_sales


def test_cashiers_do_not_download_it(cashier_client):
    assert cashier_client.get(URL).status_code == 403
