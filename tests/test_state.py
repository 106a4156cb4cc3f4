"""The transition kernel (webapp/state.py) on its own: a change happens once, its history
row only when it happened, and whoever registered hears of every commit once."""

from tests import factories as make
from tests.db_helpers import count, reload
from webapp import state
from webapp.models import Order, OrderStatus, OrderStatusChange


def test_a_transition_moves_once_and_writes_its_history_only_then(app, menu, clock):
    order = make.order(menu)
    history = count(OrderStatusChange, order_id=order.id)

    def row(previous):
        return OrderStatusChange(
            order_id=order.id, from_status=previous, to_status="cancelled", actor="t", created_at=clock()
        )

    allowed = [OrderStatus.PAID, OrderStatus.AWAITING_PAYMENT]  # the usual guess first, then what is found
    assert state.transition(Order, order.id, allowed, OrderStatus.CANCELLED, clock(), record=row) == "awaiting_payment"
    assert state.transition(Order, order.id, allowed, OrderStatus.CANCELLED, clock(), record=row) is None
    state.commit_and_publish()
    assert reload(order).status == OrderStatus.CANCELLED
    assert count(OrderStatusChange, order_id=order.id) == history + 1


def test_every_commit_is_heard_once_by_each_registered_hook(app):
    heard: list[str] = []

    def hook() -> None:
        heard.append("committed")

    state.after_commit(hook)
    state.after_commit(hook)  # registered twice: called once
    try:
        state.commit_and_publish()
        state.commit_and_publish()
    finally:
        state._AFTER_COMMIT.remove(hook)
    assert heard == ["committed", "committed"]
