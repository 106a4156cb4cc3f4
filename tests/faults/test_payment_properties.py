"""Property tests: random interleavings of everything that can touch a payment, run
against the service layer (on SQLite and on PostgreSQL, like the whole suite).

Invariants checked after every sequence:
- a payment becomes paid at most once (one event moving it to paid);
- an order is paid (or further) only when one of its payments is paid, and a paid
  payment's order is paid (or further) unless the order is flagged for the cashier;
- a validly signed success callback for money Duitku really received ends in a paid
  payment;
- no event is lost: every callback is recorded exactly once.
"""

import secrets

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests import factories as make
from tests.duitku_side import callback_form
from webapp.extensions import db
from webapp.models import Order, OrderStatus, Payment, PaymentEvent
from webapp.orders import lifecycle
from webapp.orders.paying import confirm_cash
from webapp.payments import callbacks, qris_payments, reconcile
from webapp.state import IllegalTransition

ACTIONS = [
    "pay_at_duitku",
    "callback_success",
    "callback_success",
    "callback_failed",
    "callback_forged",
    "callback_wrong_amount",
    "status_check",
    "switch_to_cash",
    "cash_confirm",
    "cancel",
    "expire",
    "new_qr",
]
PAID_OR_LATER = {
    OrderStatus.PAID.value,
    OrderStatus.PREPARING.value,
    OrderStatus.READY.value,
    OrderStatus.COMPLETED.value,
}


class Run:
    def __init__(self, menu, clock, sandbox):
        self.clock, self.store = clock, sandbox.extensions["sandbox_store"]
        self.order = make.qris_payment(menu).order
        self.callbacks = 0
        self.confirmed_successes = []  # payment ids whose valid success callback Duitku backed

    def latest(self) -> Payment:
        db.session.refresh(self.order)
        return self.order.current_payment

    def callback(self, **overrides) -> None:
        payment = self.latest()
        if payment.provider != "duitku":
            return
        outcome = callbacks.handle_duitku_callback(callback_form(payment, **overrides), self.clock())
        self.callbacks += 1
        txn = self.store.get(payment.reference) if payment.reference else None
        valid_success = not overrides and outcome.http_status == 200
        if valid_success and txn is not None and txn.status_at(self.clock()) == "00":
            self.confirmed_successes.append(payment.id)

    def do(self, action: str) -> None:
        now = self.clock()
        payment = self.latest()
        try:
            if action == "pay_at_duitku" and payment.reference:
                self.store.settle(payment.reference, "00", "93600915", now)
            elif action == "callback_success":
                self.callback()
            elif action == "callback_failed":
                self.callback(resultCode="01")
            elif action == "callback_forged":
                self.callback(signature="f" * 32)
            elif action == "callback_wrong_amount":
                self.callback(amount="12345")
            elif action == "status_check" and payment.status == "pending" and payment.provider == "duitku":
                reconcile.check_with_gateway(payment, now)
            elif action == "switch_to_cash":
                lifecycle.switch_to_cash(self.order, now=now)
            elif action == "cash_confirm":
                db.session.refresh(self.order)
                confirm_cash(self.order, self.order.total, "cashier:property", now)
            elif action == "cancel":
                lifecycle.cancel_order(self.order, "cashier:property", "property test", now)
            elif action == "expire":
                self.clock.advance(minutes=11)
                reconcile.reconcile_if_due(payment, self.clock())
            elif action == "new_qr":
                db.session.refresh(self.order)
                qris_payments.create_qris_payment(self.order, now)
        except (IllegalTransition, qris_payments.PaymentNotAllowed, qris_payments.QrisUnavailable):
            db.session.rollback()

    def check(self) -> None:
        db.session.expire_all()
        order = db.session.get(Order, self.order.id)
        payments = order.payments
        for payment in payments:
            paid_moves = db.session.scalar(
                select(func.count())
                .select_from(PaymentEvent)
                .where(PaymentEvent.payment_id == payment.id, PaymentEvent.to_status == "paid")
            )
            assert paid_moves <= 1, "a payment became paid twice"
            assert (paid_moves == 1) == (payment.status == "paid")
        any_paid = any(p.status == "paid" for p in payments)
        if order.status in PAID_OR_LATER:
            assert any_paid, "order paid without a paid payment"
        if any_paid and order.status not in PAID_OR_LATER:
            assert order.needs_attention, "money arrived for an unpaid order and nobody was told"
        for payment_id in self.confirmed_successes:
            assert db.session.get(Payment, payment_id).status == "paid", "a confirmed success was dropped"
        recorded = db.session.scalar(
            select(func.count())
            .select_from(PaymentEvent)
            .where(PaymentEvent.kind == "callback", PaymentEvent.payment_id.in_([p.id for p in payments]))
        )
        assert recorded == self.callbacks, "a callback was not recorded"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=12))
def test_payment_invariants_hold_for_any_interleaving(app, menu, clock, sandbox, actions):
    run = Run(menu, clock, sandbox)
    for action in actions:
        run.do(action)
    run.check()


FUZZ_FIELDS = st.dictionaries(
    st.sampled_from(
        ["merchantCode", "amount", "merchantOrderId", "resultCode", "signature", "reference", "issuerCode", "x"]
    ),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=60),
    max_size=8,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(form=FUZZ_FIELDS)
def test_webhook_fuzz_never_gives_a_500(client, app, form):
    response = client.post("/api/v1/webhooks/duitku", data=form)
    assert response.status_code in (200, 400, 503) and response.is_json


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.dictionaries(
        st.sampled_from(
            ["license_key", "amount", "reference_id", "description", "metadata", "order_id", "customer_details"]
        ),
        JSON_VALUES,
        max_size=6,
    )
    | JSON_VALUES
)
def test_partner_api_fuzz_never_gives_a_500(client, app, body):
    account = make.partner(f"Fuzz POS {secrets.token_hex(4)}", store=None)
    response = client.post("/api/v1/payments/qris", json=body, headers=account.headers)
    assert response.status_code < 500 or response.status_code == 503
    assert response.is_json
