"""The bill: its settings, its figures (bill.py), receipts and the bill report.

Templates get two filters: `order | bill` (an order's bill as it was placed) and
`amount | cart_bill` (what lines worth `amount` come to under today's settings, eaten here).
"""

from flask import Flask

from .bill import Bill, compute_bill, order_bill
from .settings import current_rules


def cart_bill(lines_total: int) -> Bill:
    return compute_bill(lines_total, current_rules())


def init_app(app: Flask) -> None:
    app.add_template_filter(order_bill, "bill")
    app.add_template_filter(cart_bill)
