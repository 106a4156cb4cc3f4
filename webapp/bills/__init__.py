"""A table's bill (pay later): the sitting's open bill and the orders that join it,
splits, claims, shares and their payments, closing, and the reading of it all.

- table_bills: the bill as everyone sees it (figures from billing/bill.py), reading only;
- bill_state: the bill's and its shares' state changes and history, under the bill's lock;
- open_bills: opening a sitting's bill and putting pay-later orders on it;
- bill_splits: whole, even, by items, changing one's mind;
- share_payments: paying a share by QRIS or cash (and the payee payments tell);
- bill_closing: the cashier closing a bill, moving an order to another table.
"""

from flask import Flask

from ..live import feed
from ..models import BillShare, TableBill
from ..orders.placing import register_table_bills
from ..payments.paying import register_payee
from .open_bills import OrdersJoinBills
from .share_payments import SHARE_PAYEE
from .table_bills import share_figures

BILLS_TOPIC = "bills"


def init_app(app: Flask) -> None:
    register_payee(SHARE_PAYEE)
    # Any write to a bill or a share wakes the floor's and the bill page's streams.
    feed.name_writes((TableBill, BillShare), BILLS_TOPIC)
    register_table_bills(OrdersJoinBills())
    # `share | share_bill`: a share's part of its table's bill, as locked.
    app.add_template_filter(share_figures, "share_bill")
