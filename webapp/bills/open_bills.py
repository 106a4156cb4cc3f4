"""Opening a table's bill and putting pay-later orders on it.

The first pay-later order at a table with no open bill opens one (a new sitting),
under the bill rules in force then; two phones ordering at once at a free table open
one bill between them (a unique index allows one open bill per table, and the loser
joins the winner's). An order joins a bill only while nobody has started paying it
(its split is not locked): then `bill_for_order` answers None and the order is paid
on its own.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..billing.settings import current_rules
from ..extensions import db
from ..models import BillEventKind, BillStatus, DiningTable, Order, TableBill
from ..state import IllegalTransition
from ..timeutil import jakarta_date
from . import bill_state
from .table_bills import open_bill_of

OPENING_ATTEMPTS = 3


def bill_for_order(table: DiningTable, now: datetime, actor: str = "customer") -> TableBill | None:
    """The table's open bill, locked for adding an order, or a new one; None while the
    table's bill is being paid."""
    for _attempt in range(OPENING_ATTEMPTS):
        bill = open_bill_of(table.id)
        if bill is None:
            bill = _open_bill(table, now, actor)
            if bill is not None:
                return bill
            continue  # another phone opened it first: join theirs
        if bill_state.lock_bill(bill.id, now, TableBill.status == BillStatus.OPEN, TableBill.locked_at.is_(None)):
            return bill
        db.session.refresh(bill)
        if bill.status == BillStatus.OPEN:
            return None  # being paid
    raise IllegalTransition(_("Tagihan meja sedang berubah; coba lagi."))


def _open_bill(table: DiningTable, now: datetime, actor: str) -> TableBill | None:
    rules = current_rules()
    bill = TableBill(
        table_id=table.id,
        table_label=table.label,
        business_date=jakarta_date(now),
        status=BillStatus.OPEN,
        service_rate=rules.service_rate,
        tax_rate=rules.tax_rate,
        mode=rules.mode,
        rounding_step=rules.rounding_step,
        rounding_direction=rules.rounding_direction,
        opened_at=now,
        updated_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(bill)
    except IntegrityError:
        return None
    bill_state.record(bill.id, BillEventKind.OPENED, now, actor)
    return bill


class OrdersJoinBills:
    """What placing a pay-later order asks of its table's bill (`orders.placing.TableBills`):
    registered by the bills package, so that orders know no bills."""

    def open_bill_of(self, table_id: int) -> TableBill | None:
        return open_bill_of(table_id)

    def bill_for_order(self, table: DiningTable, now: datetime, actor: str) -> TableBill | None:
        return bill_for_order(table, now, actor)

    def order_added(self, bill: TableBill, order: Order, now: datetime, actor: str) -> None:
        bill_state.record(bill.id, BillEventKind.ORDER_ADDED, now, actor, number=order.number)
