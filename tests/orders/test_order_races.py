"""Real races on one QRIS order (PostgreSQL only, see tests/races.py): Duitku's callback
for its QR and the customer's or cashier's step away from it (switching to cash,
cancelling) at the same moment. Either may win; neither fails, and the money is never
dropped: a success that lost is paid and flagged. Guard: both take the payment's row
before the order's (a callback pays the payment, then the order), so neither waits for
the other's lock while holding the one the other needs."""

from __future__ import annotations

import pytest

from tests import factories as make
from tests.db_helpers import reload
from tests.duitku_side import callback_form, settle_quietly
from tests.races import at_once
from webapp.extensions import db
from webapp.models import Order, OrderStatus, PaymentStatus
from webapp.orders import lifecycle
from webapp.payments import callbacks
from webapp.state import IllegalTransition

pytestmark = pytest.mark.races
# Round by round: an even start; the callback first (its one statement is no ORM change
# for `at_once` to wait for, so it has committed before the step away starts); the step
# away ahead, the round that deadlocked when the two took the rows in opposite orders.
LEADS = (None, 0, 1, None)
STEPS_AWAY = {
    "switch to cash": lambda order, now: lifecycle.switch_to_cash(order, "customer", now),
    "cancel": lambda order, now: lifecycle.cancel_order(order, "customer", now=now),
}


@pytest.mark.parametrize("confirmed", [True, False], ids=["confirmed", "not-confirmed"])
@pytest.mark.parametrize("step_away", STEPS_AWAY, ids=list(STEPS_AWAY))
def test_a_callback_and_a_step_away_from_the_qr_at_once_never_fail(app, menu, clock, sandbox, step_away, confirmed):
    """Confirmed with Duitku first (the default), or not (as `make bench` runs: then a
    success pays the payment and the order in one statement, payments.paying.pay_pending_at_once)."""
    app.config["DUITKU_CONFIRM_CALLBACKS"] = confirmed
    won = []
    for lead in LEADS:
        payment = make.qris_payment(menu)
        settle_quietly(sandbox, payment, clock())
        form, order_id = callback_form(payment), payment.order_id

        def away(order_id=order_id):
            return STEPS_AWAY[step_away](db.session.get_one(Order, order_id), clock())

        answered, stepped = at_once(
            app, lambda form=form: callbacks.handle_duitku_callback(form, clock()), away, lead=lead
        )
        assert isinstance(answered, callbacks.CallbackOutcome) and answered.http_status == 200, answered
        payment, order = reload(payment), db.session.get_one(Order, order_id)
        assert payment.status == PaymentStatus.PAID, "the QR's money was dropped"
        if not order.needs_attention:  # the callback won: the step away was refused
            won.append("callback")
            assert order.status == OrderStatus.PAID and order.payment_method == "qris"
            assert stepped is False or isinstance(stepped, IllegalTransition), stepped
        else:  # the step away won: the money came anyway, kept and flagged
            won.append(step_away)
            assert stepped in (True, None), stepped
            assert order.attention_reason in ("paid_after_qr_closed", "paid_for_closed_order")
    assert won[1:3] == ["callback", step_away], won  # the one ahead wins
