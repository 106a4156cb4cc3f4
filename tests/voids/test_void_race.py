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


def test_a_void_racing_a_qris_callback_lets_one_win_and_keeps_the_money(app, menu, clock, sandbox):
    won = []
    for lead in LEADS:
        payment = make.qris_payment(menu, now=clock())
        settle_quietly(sandbox, payment, clock())
        form, order_id = callback_form(payment), payment.order_id
        end_transaction()
        answered, voided = at_once(
            app,
            lambda form=form: callbacks.handle_duitku_callback(form, clock()),
            void_it(order_id, clock()),
            lead=lead,
        )
        assert isinstance(answered, callbacks.CallbackOutcome) and answered.http_status == 200, answered
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
