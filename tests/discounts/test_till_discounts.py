"""Discounts at the till (issue 27 item 5): the cashier enters the customer's voucher; it
shows in the figures, is checked again when the order is placed, and the order keeps it."""

from __future__ import annotations

import re

import pytest

from tests import factories as make
from tests.db_helpers import count, reload
from tests.http_helpers import HTMX, csrf_token_from, log_in, visible_text
from webapp.discounts import vouchers
from webapp.extensions import db
from webapp.models import DiscountSource, Order


class Till:
    """A staff member's till through the test client: its URL, its CSRF token, and the
    side column the last answer showed."""

    def __init__(self, app, username: str = "sari", **user):
        make.staff_user(username, **user)
        self.client = app.test_client()
        assert log_in(self.client, username).status_code == 303
        self.url = self.client.get("/till").location
        self.side = self.client.get(self.url).get_data(as_text=True)
        self.csrf = csrf_token_from(self.side)

    def post(self, path: str, **data):
        answer = self.client.post(self.url + path, data={"csrf_token": self.csrf, **data}, headers=HTMX)
        if "till-side" in answer.get_data(as_text=True):
            self.side = answer.get_data(as_text=True)
        return answer

    @property
    def text(self) -> str:
        return visible_text(self.side)

    def pay_cash(self, tendered: str, shown: int | None = None):
        version = re.search(r'data-version="(\d+)"', self.side).group(1)
        total = shown if shown is not None else re.search(r'name="shown_total" value="(\d+)"', self.side).group(1)
        return self.post("/pay/cash", version=version, shown_total=str(total), tendered=tendered)


@pytest.fixture
def till(app, menu, clock):
    """Sari's till with two Nasi Goreng rung up (Rp50.000); it is 22 November 2026."""
    cashier = Till(app)
    cashier.post("/lines", item_id=menu["Nasi Goreng"].id, quantity="2")
    return cashier


def test_the_cashier_enters_a_voucher_and_the_order_keeps_it(till):
    voucher = make.voucher("POTONG5", amount=5_000)
    assert till.post("/voucher", voucher="potong5").status_code == 200
    assert "Voucher POTONG5 -Rp5.000" not in till.text  # a line of the receipt, not of the till
    assert "Diskon -Rp5.000" in till.text and "Total Rp45.000" in till.text and "Hapus voucher POTONG5" in till.text
    assert till.pay_cash("50000").status_code == 200
    order = db.session.scalars(db.select(Order)).one()
    assert (order.total, order.bill_discount, order.discounts[0].source) == (45_000, 5_000, DiscountSource.VOUCHER)
    assert reload(voucher).uses == 1


def test_an_unknown_or_unusable_voucher_is_refused_on_its_field(till):
    refused = till.post("/voucher", voucher="LAIN")
    assert refused.status_code == 422 and "Kode voucher tidak dikenal." in till.text
    make.voucher("MINIMAL", min_spend=60_000)
    refused = till.post("/voucher", voucher="MINIMAL")
    assert refused.status_code == 422 and "Voucher ini untuk belanja minimal Rp60.000." in till.text
    assert "Total Rp50.000" in till.text


def test_a_voucher_taken_back_or_used_up_meanwhile(till, menu):
    voucher = make.voucher("SEKALI", uses=1)
    till.post("/voucher", voucher="SEKALI")
    assert "Total Rp45.000" in till.text
    till.post("/voucher", voucher="")
    assert "Total Rp50.000" in till.text and "Hapus voucher" not in till.text
    till.post("/voucher", voucher="SEKALI")
    make.order(menu, on_order=[vouchers.offer("SEKALI", 30_000)])  # a customer's checkout took its last use
    refused = till.pay_cash("50000", shown=45_000)
    assert refused.status_code == 422 and "Voucher ini sudah habis dipakai." in till.text
    assert count(Order) == 1 and reload(voucher).uses == 1
