"""The bill: its settings, its figures (bill.py), receipts and the bill report.

Templates get `order | bill` (an order's bill as it was placed), `discount | discount_label`
and `dine_in_serving()`,
how ready dine-in orders reach their guests (read once a request). A share's part of its
table's bill is the bills package's filter; what a cart comes to is the customer pages'
`cart_figures` (shop/checkout_views.py).
"""

from flask import Flask, g

from ..models import Serving
from .bill import order_bill
from .receipts import discount_label, discount_size
from .settings import current_serving


def dine_in_serving() -> Serving:
    if "dine_in_serving" not in g:
        g.dine_in_serving = current_serving()
    return g.dine_in_serving


def init_app(app: Flask) -> None:
    app.add_template_global(dine_in_serving)
    app.add_template_filter(order_bill, "bill")
    app.add_template_filter(discount_label)
    app.add_template_filter(discount_size)
