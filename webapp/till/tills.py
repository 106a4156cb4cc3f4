"""Which tills there are: the counter's (one by default, "Kasir 1", made when first
needed) and a waiter's phone, which is a till of its own.

A waiter rings up at a table on a phone: that phone needs a draft of its own, or two
waiters (or a waiter and the counter) would ring up into one order. So each waiter gets
a till named after them (`phone_till`, "HP sari"), made the first time they open the
till; the counter's tills are the others (`counter_tills`).
"""

from __future__ import annotations

from datetime import datetime

from flask import has_request_context, session
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..bills.table_bills import BillTotals, bill_totals
from ..extensions import db
from ..models import BillStatus, Order, OrderType, TableBill, Till
from ..timeutil import jakarta_date

DEFAULT_TILL = "Kasir 1"
PHONE_PREFIX = "HP "
NAME_MAX_LENGTH = 40
DEVICE_KEY = "till"  # in the session: the till this browser rang up at, or opened the drawer of, last


def find_till(public_id: str) -> Till | None:
    if len(public_id) > 32:  # longer than any public id: not worth a query
        return None
    return db.session.scalar(select(Till).where(Till.public_id == public_id))


def remember_device_till(till: Till) -> None:
    session[DEVICE_KEY] = till.public_id


def device_till() -> Till | None:
    """The till this browser used last (in a request), while it exists."""
    return find_till(str(session.get(DEVICE_KEY, ""))) if has_request_context() else None


def is_phone(till: Till) -> bool:
    """Whether the till is a waiter's phone (`phone_till`), not one of the counter's."""
    return till.name.startswith(PHONE_PREFIX)


def counter_tills() -> list[Till]:
    """The counter's tills by name; the first, "Kasir 1", is made when there is none."""
    tills = [till for till in db.session.scalars(select(Till).order_by(Till.name)) if not is_phone(till)]
    return tills or [_till_named(DEFAULT_TILL)]


def phone_till(username: str) -> Till:
    """The till of a waiter's phone, made the first time they ring up: for a table (a
    waiter serves tables), where a counter's till starts with takeaway."""
    return _till_named((PHONE_PREFIX + username)[:NAME_MAX_LENGTH], OrderType.DINE_IN)


def _till_named(name: str, order_type: OrderType = OrderType.TAKEAWAY) -> Till:
    """The till of that name, made if missing (two requests at once make one)."""
    till = db.session.scalar(select(Till).where(Till.name == name))
    if till is not None:
        return till
    try:
        with db.session.begin_nested():
            till = Till(name=name, order_type=order_type)
            db.session.add(till)
    except IntegrityError:
        return db.session.execute(select(Till).where(Till.name == name)).scalar_one()
    db.session.commit()
    return till


def latest_order(till: Till, now: datetime) -> Order | None:
    """The order placed last at the till today, if any (what it shows after placing)."""
    return db.session.scalar(
        select(Order)
        .where(Order.till_id == till.id, Order.business_date == jakarta_date(now))
        .order_by(Order.id.desc())
        .limit(1)
    )


def open_bill_at(table_id: int | None) -> BillTotals | None:
    """The open bill of the table chosen on the till, with its total and what is paid."""
    if table_id is None:
        return None
    found = bill_totals(TableBill.table_id == table_id, TableBill.status == BillStatus.OPEN)
    return found[0] if found else None


def served_bills(username: str) -> list[BillTotals]:
    """The open bills of the tables a staff member took orders for (a waiter's tables)."""
    taken = select(Order.bill_id).where(Order.taken_by == username, Order.bill_id.is_not(None))
    return bill_totals(TableBill.status == BillStatus.OPEN, TableBill.id.in_(taken))
