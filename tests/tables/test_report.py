"""The daily report's split of paid orders by type (dine-in, takeaway)."""

import csv
import io
from datetime import date

from tests import factories as make
from webapp.admin.report import orders_by_type
from webapp.models import OrderType
from webapp.orders import lifecycle

DAY = date(2026, 11, 22)


def test_paid_orders_and_revenue_are_split_by_type(admin_client, menu, clock):
    make.paid_order(menu, table="7", now=clock())  # 30.000
    make.paid_order(menu, table="8", lines=[("Mie Ayam", 1)], now=clock())  # 22.000
    make.paid_order(menu, table=None, lines=[("Nasi Goreng", 2)], now=clock())  # 50.000
    lifecycle.cancel_order(make.order(menu, table=None, now=clock()), "cashier:sari", "pergi")  # counts nothing
    lines = orders_by_type(DAY)
    assert [(line.order_type, line.orders, line.revenue) for line in lines] == [
        (OrderType.DINE_IN, 2, 52000),
        (OrderType.TAKEAWAY, 1, 50000),
    ]
    page = admin_client.get(f"/admin/report?day={DAY}").get_data(as_text=True)
    assert "Per jenis pesanan" in page and "Makan di sini" in page and "Rp52.000" in page
    rows = list(csv.reader(io.StringIO(admin_client.get(f"/admin/report.csv?day={DAY}").get_data(as_text=True))))
    assert ["paid_orders_by_type", "dine_in", "2", "52000"] in rows
    assert ["paid_orders_by_type", "takeaway", "1", "50000"] in rows


def test_a_day_without_orders_lists_every_type_at_zero(app):
    assert [(line.orders, line.revenue) for line in orders_by_type(DAY)] == [(0, 0), (0, 0)]
