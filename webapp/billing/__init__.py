"""The bill: its settings, its figures (bill.py), receipts and the bill report.

Templates get two filters: `order | bill` (an order's bill as it was placed) and
`amount | cart_bill` (what lines worth `amount` come to under today's settings, eaten
here); and `dine_in_serving()`, how ready dine-in orders reach their guests (read once
a request). A share's part of its table's bill is the bills package's filter.
"""

from flask import Flask, g

from ..models import Serving
from .bill import Bill, compute_bill, order_bill
from .settings import current_rules, current_serving


def cart_bill(lines_total: int) -> Bill:
    return compute_bill(lines_total, current_rules())


def dine_in_serving() -> Serving:
    if "dine_in_serving" not in g:
        g.dine_in_serving = current_serving()
    return g.dine_in_serving


def init_app(app: Flask) -> None:
    app.add_template_global(dine_in_serving)
    app.add_template_filter(order_bill, "bill")
    app.add_template_filter(cart_bill)
