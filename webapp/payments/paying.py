"""Marking a payment paid, and telling the domain that owns what it pays for.

A payment pays for an order (webapp/orders), a share of a table's bill (webapp/bills),
or, for a partner, nothing of ours. Payments know none of those domains: each registers
a `Payee` for its kind of payment (`register_payee`, from its `init_app`), and
`mark_paid` calls it in the transaction that marks the payment paid. The payee moves
what was paid for and answers whether it still wanted the money.

Money that really arrived is never dropped: a confirmed success for a payment that had
already expired, failed or been cancelled is still recorded as paid, and what it was
for is flagged for the cashier by its payee when it no longer wanted the money (an
order closed, a share paid another way or cancelled, a bill settled or closed).

The busiest write of the day, a QRIS callback paying a pending web order on PostgreSQL,
is one statement (`_pay_in_one_statement`): the payment's UPDATE and its event here,
the order's move, its history row and its print jobs from the order payee's
`OneStatementStep`, chained with data-modifying WITH queries. A signed callback runs it
before reading the payment at all (`pay_pending_at_once`, keyed by its merchantOrderId):
when it matches, that statement is the callback's only one between BEGIN and COMMIT.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import CTE, BindParameter, ColumnElement, RowMapping, Select, bindparam, exists, func, select, update

from ..extensions import db
from ..live import feed
from ..models import EventKind, EventNote, Payment, PaymentEvent
from ..state import insert_from
from .issuers import issuer_name
from .state import NOT_PAID, PAID, PENDING, move_payment, record_event


class OneStatementStep(Protocol):
    """A payee's part of the one-statement payment: its writes, chained after the
    payment's UPDATE (`paid`, a CTE returning the payment's `id` and `order_id` when it
    moved)."""

    # Its payee's `pays_for` in SQL, for a payment not read first.
    pays_for: ColumnElement[bool]

    def ctes(self, paid: CTE, now: BindParameter) -> tuple[CTE, list[CTE], dict[str, ColumnElement]]:
        """The CTE returning what moved (its rows say the payee took the money), the
        CTEs that write the rest (history rows, print jobs), each built once with
        parameters, and what the statement reads back of them for `done` (scalar
        subqueries, by name)."""
        ...

    def parameters(self, merchant_order_id: str | None, actor: str) -> dict:
        """Values of the parameters its CTEs take, for the payment of this merchantOrderId."""
        ...

    def done(self, paid: RowMapping, now: datetime) -> None:
        """After the statement, in the same transaction: what the payee does next, given
        the statement's row (the payment's `order_id`, `moved`: the count of what the
        payee moved, 0 when it no longer wanted the money, and what its `ctes` read
        back)."""
        ...


@dataclass(frozen=True)
class Payee:
    """What a kind of payment pays for, as its owning domain handles it."""

    # Whether this payee's kind of payment is this one.
    pays_for: Callable[[Payment], bool]
    # The payment (it was `previous`) is now paid: move what it paid for. True when the
    # payee flagged something for the cashier (it no longer wanted the money, or it came
    # oddly late): the payment's event is flagged too.
    paid: Callable[[Payment, str, datetime, str], bool]
    # A signed callback said another amount than the payment's: flag what it pays for.
    amount_mismatch: Callable[[Payment, datetime, dict], None]
    # Called before the payment moves: a lock that orders every change of this payee
    # and its payments (a table bill's), or nothing.
    lock: Callable[[Payment, datetime], None] = lambda _payment, _now: None
    # The usual case in one statement, when the payee offers it.
    one_statement: OneStatementStep | None = None


_PAYEES: list[Payee] = []


def register_payee(payee: Payee) -> None:
    """Called by the domain that owns a kind of payment (once per process is enough)."""
    if payee not in _PAYEES:
        _PAYEES.append(payee)


def payee_of(payment: Payment) -> Payee | None:
    return next((payee for payee in _PAYEES if payee.pays_for(payment)), None)


def mark_paid(
    payment: Payment,
    now: datetime,
    *,
    kind: str,
    actor: str,
    issuer_code: str = "",
    reference: str | None = None,
    **event_fields,
) -> bool:
    """Mark a payment paid (from any unpaid status), and what it pays for; flag what is odd."""
    payee = payee_of(payment)
    step = payee.one_statement if payee is not None else None
    paid_values = _paid_values(now, issuer_code, reference)
    if step is not None and payment.partner_id is None and db.engine.dialect.name == "postgresql":
        key = {"p_payment_id": payment.id}
        if _pay_in_one_statement(step, key, payment.merchant_order_id, now, paid_values, kind, actor, event_fields):
            return True
    if payee is not None:
        payee.lock(payment, now)
    previous = move_payment(payment, NOT_PAID, PAID, now, **paid_values)
    if previous is None:
        record_event(payment, kind, now, actor=actor, **{**event_fields, "note": EventNote.ALREADY_PAID})
        return False
    flagged = payee.paid(payment, previous, now, actor) if payee is not None else previous != PENDING
    record_event(payment, kind, now, actor=actor, from_status=previous, to_status=PAID, flagged=flagged, **event_fields)
    return True


def pay_pending_at_once(
    merchant_order_id: str,
    amount: int,
    now: datetime,
    *,
    kind: str,
    actor: str,
    issuer_code: str = "",
    reference: str | None = None,
    **event_fields,
) -> bool:
    """`mark_paid` (the same keywords) for a signed success, on PostgreSQL, without
    reading the payment first: the one statement keyed by the merchantOrderId, paying
    the payment only if it is still pending, for `amount`, not a partner's, and for the
    payee that offers one statement (its `pays_for` in SQL; a payment pays for one
    thing: an order, a share or a partner's sale). True if it paid; False if it matched
    nothing, and then it wrote nothing: the caller reads the payment and takes the
    general path (a duplicate, another amount, another kind of payment, an unknown
    merchantOrderId, SQLite)."""
    step = next((payee.one_statement for payee in _PAYEES if payee.one_statement is not None), None)
    if step is None or not 0 < amount < 2**31 or db.engine.dialect.name != "postgresql":  # 2**31: no int4 holds it
        return False
    key = {"p_merchant_order_id": merchant_order_id, "p_amount": amount}
    paid_values = _paid_values(now, issuer_code, reference)
    return _pay_in_one_statement(step, key, merchant_order_id, now, paid_values, kind, actor, event_fields)


def amount_mismatch(payment: Payment, now: datetime, mismatch: dict) -> None:
    """A signed callback for another amount: what the payment pays for is flagged."""
    payee = payee_of(payment)
    if payee is not None:
        payee.amount_mismatch(payment, now, mismatch)


def _paid_values(now: datetime, issuer_code: str, reference: str | None) -> dict:
    """What a paid payment's row takes (its reference, when the payer's side gave none,
    stays as it was)."""
    values = {"paid_at": now, "payer_issuer_code": issuer_code[:16], "payer_issuer_name": issuer_name(issuer_code)[:64]}
    return {**values, "reference": reference} if reference else values


def _pay_in_one_statement(
    step: OneStatementStep,
    key: dict,
    merchant_order_id: str | None,
    now: datetime,
    paid_values: dict,
    kind: str,
    actor: str,
    event_fields: dict,
) -> bool:
    """The usual case in one statement: the pending payment (the one `key` names: by
    `p_payment_id`, or by `p_merchant_order_id` and `p_amount`) paid, the payee's writes,
    and the payment's event (flagged when the payee's move matched nothing).

    The same conditional UPDATEs as `transition` (exactly once: a concurrent winner
    leaves this one's UPDATE matching no row, and then nothing else is written). False
    when it matched no pending payment (the caller takes the general path)."""
    event_values = {"note": "", "note_params": None, **event_fields, "kind": EventKind(kind), "actor": actor}
    parameters = {
        **key,
        "p_now": now,
        **step.parameters(merchant_order_id, actor),
        **{f"p_paid_{name}": value for name, value in paid_values.items()},
        **{f"p_event_{name}": value for name, value in event_values.items()},
    }
    statement = _one_statement(step, tuple(key), tuple(paid_values), tuple(event_values))
    paid = db.session.execute(statement, parameters).mappings().one()
    if paid["payment_id"] is None:
        return False
    feed.order_changed(paid["order_id"])  # as every write of a payment does (state.move_payment)
    step.done(paid, now)
    return True


# The one statements, one per payee step, way of naming the payment (its id, or a
# callback's merchantOrderId and amount) and set of fields, with every value a
# parameter: built and keyed for SQLAlchemy's statement cache once, not per callback
# (building them cost a callback more CPU than its round trips). The parameters' names
# start with "p_": an UPDATE would take a parameter named as one of its columns as a
# value to set.
_ONE_STATEMENTS: dict[tuple[int, tuple[str, ...], tuple[str, ...], tuple[str, ...]], Select] = {}


def _one_statement(
    step: OneStatementStep, key_names: tuple[str, ...], paid_names: tuple[str, ...], event_names: tuple[str, ...]
) -> Select:
    key = (id(step), key_names, paid_names, event_names)
    statement = _ONE_STATEMENTS.get(key)
    if statement is None:
        statement = _ONE_STATEMENTS[key] = _build_one_statement(step, key_names, paid_names, event_names)
    return statement


def _build_one_statement(
    step: OneStatementStep, key_names: tuple[str, ...], paid_names: tuple[str, ...], event_names: tuple[str, ...]
) -> Select:
    def param(model, column: str, name: str) -> BindParameter:
        return bindparam(name, type_=model.__table__.c[column].type)

    now = param(Payment, "updated_at", "p_now")
    if key_names == ("p_payment_id",):
        which = [Payment.id == bindparam("p_payment_id")]
    else:  # a callback's payment, not read first
        which = [
            Payment.merchant_order_id == param(Payment, "merchant_order_id", "p_merchant_order_id"),
            Payment.amount == param(Payment, "amount", "p_amount"),
            Payment.partner_id.is_(None),
            step.pays_for,
        ]
    paid = (
        update(Payment)
        .where(*which, Payment.status == PENDING)
        .values(status=PAID, updated_at=now, **{name: param(Payment, name, f"p_paid_{name}") for name in paid_names})
        .returning(Payment.id, Payment.order_id)
        .cte("paid")
    )
    moved, writes, read_back = step.ctes(paid, now)
    recorded = insert_from(
        PaymentEvent,
        select(paid.c.id, ~exists(select(moved.c.id))),
        ("payment_id", "flagged"),
        **{name: param(PaymentEvent, name, f"p_event_{name}") for name in event_names},
        created_at=now,
        from_status=PENDING,
        to_status=PAID,
    ).cte("recorded")
    return select(
        select(paid.c.id).scalar_subquery().label("payment_id"),
        select(paid.c.order_id).scalar_subquery().label("order_id"),
        select(func.count()).select_from(moved).scalar_subquery().label("moved"),
        *(column.label(name) for name, column in read_back.items()),
    ).add_cte(*writes, recorded)
