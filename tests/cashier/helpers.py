"""Helpers for cashier tests: cash orders, row counts, htmx headers."""
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Order, PaymentMethod
from webapp.orders.cart import Cart, price_cart
from webapp.orders.placing import CustomerDetails, place_order

HTMX = {"HX-Request": "true"}


def cash_order(menu, quantity=1, name="Rina", table_label="5") -> Order:
    """Nasi Goreng (with a note) and Es Teh Manis: Rp30.000 for one of each."""
    cart = Cart({})
    cart.add(menu["Nasi Goreng"].id, quantity, "tidak pedas")
    cart.add(menu["Es Teh Manis"].id, 1)
    return place_order(price_cart(cart), CustomerDetails(name=name, table_label=table_label, note="",
                                                         payment_method=PaymentMethod.CASH))


def count(model, **filters) -> int:
    return db.session.scalar(select(func.count()).select_from(model).filter_by(**filters))
