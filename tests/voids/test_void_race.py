"""A void racing a QRIS callback for the same order on PostgreSQL (SQLite runs one writer
at a time, so the race cannot happen there): either the void wins (the order is
cancelled, the callback's money is recorded and flagged, as late money is) or the
payment wins (the order is paid and the void, asked without a manager, is refused: it
now needs approval). Never a lost payment, never a void of a half-paid order. Guards:
the void's conditional UPDATE (the order still in the status it was seen in), and its
row locks taken in the callback's order, the payment's then the order's: with the
order's locked first, the two deadlocked and PostgreSQL killed the callback (this test
failed so, on its first run)."""

from __future__ import annotations

import pytest

from tests import factories as make
from tests.db_helpers import end_transaction, reload
from tests.duitku_side import callback_form, settle_quietly
from tests.races import at_once
from webapp.extensions import db
from webapp.models import AuditEntry, AuditKind, Order, OrderStatus, OrderVoid, PaymentStatus
from webapp.orders import voiding
from webapp.payments import callbacks

LEADS = (None, 0, 1, None)  # which step goes ahead, round by round (None: an even start)


pytestmark = pytest.mark.races


def void_it(order_id: int, now):
    def step():
        order = db.session.get_one(Order, order_id)
        return voiding.void(order, voiding.Wanted(None, "pelanggan pergi", "cashier:sari"), now)

    return step


def a_callback_and_a_void(app, menu, clock, sandbox, lead, extra: int = 0):
    """A new QRIS order's signed callback (for `extra` rupiah more than its amount) and
    a void of it, at once; the callback always answers 200. The payment, the order's
    id and what the void returned (or raised)."""
    payment = make.qris_payment(menu, now=clock())
    settle_quietly(sandbox, payment, clock())
    form, order_id = callback_form(payment, amount=str(payment.amount + extra)), payment.order_id
    end_transaction()
    answered, voided = at_once(
        app,
        lambda: callbacks.handle_duitku_callback(form, clock()),
        void_it(order_id, clock()),
        lead=lead,
    )
    assert isinstance(answered, callbacks.CallbackOutcome) and answered.http_status == 200, answered
    return payment, order_id, voided


def test_a_void_racing_a_qris_callback_lets_one_win_and_keeps_the_money(app, menu, clock, sandbox):
    won = []
    for lead in LEADS:
        payment, order_id, voided = a_callback_and_a_void(app, menu, clock, sandbox, lead)
        payment, order = reload(payment), db.session.get_one(Order, order_id)
        assert payment.status == PaymentStatus.PAID, "the money was lost"
        voids = OrderVoid.query.filter_by(order_id=order_id).count()
        if isinstance(voided, voiding.VoidRefused):  # the payment won: the void needs a manager now
            won.append("payment")
            assert voided.field == "pin" and "persetujuan manajer" in str(voided)
            assert order.status == OrderStatus.PAID and not order.needs_attention and voids == 0
        else:
            assert isinstance(voided, OrderVoid), voided
            won.append("void")
            assert order.status == OrderStatus.CANCELLED and order.needs_attention and voids == 1
            assert order.attention_reason in ("paid_for_closed_order", "paid_after_qr_closed")
        end_transaction()
    assert AuditEntry.query.filter_by(kind=AuditKind.VOID).count() == won.count("void")
    assert won[1:3] == ["payment", "void"], won  # the one ahead wins; the even starts may go either way


def test_a_void_racing_a_callback_for_another_amount_never_fails(app, menu, clock, sandbox):
    """A signed callback for another amount flags the order and records an event for
    the payment; the void locks the payment and the order. A row inserted that refers to
    a locked row takes KEY SHARE on it, which the void's FOR NO KEY UPDATE lets through:
    under FOR UPDATE the two could each wait for the other (a deadlock a review traced).
    Both always go through: the callback is recorded, the void made, the order flagged."""
    for lead in LEADS:
        payment, order_id, voided = a_callback_and_a_void(app, menu, clock, sandbox, lead, extra=1000)
        assert isinstance(voided, OrderVoid), voided
        order = db.session.get_one(Order, order_id)
        assert order.status == OrderStatus.CANCELLED and order.needs_attention
        assert reload(payment).status != PaymentStatus.PAID  # another amount pays nothing
        end_transaction()
