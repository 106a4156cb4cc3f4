import pytest

from webapp.extensions import db
from webapp.orders.cart import MAX_LINES, Cart, CartError, price_cart


@pytest.fixture
def cart() -> Cart:
    return Cart({})


def test_same_item_and_note_share_a_line(cart):
    cart.add(1, 2, "tidak pedas")
    cart.add(1, 1, "tidak  pedas ")  # spacing is normalised
    cart.add(1, 1, "")
    assert [(line.item_id, line.quantity, line.note) for line in cart.lines] == [
        (1, 3, "tidak pedas"),
        (1, 1, ""),
    ]
    assert cart.count == 4


@pytest.mark.parametrize("quantity", [0, -1, 100])
def test_quantity_outside_1_to_99_is_refused(cart, quantity):
    with pytest.raises(CartError):
        cart.add(1, quantity)
    assert cart.lines == []


def test_a_line_never_grows_past_99(cart):
    cart.add(1, 99)
    with pytest.raises(CartError):
        cart.add(1, 1)
    line = cart.lines[0]
    with pytest.raises(CartError):
        cart.step(line.line_id, +1)
    assert cart.lines[0].quantity == 99


def test_increase_decrease_and_remove(cart):
    cart.add(1, 1)
    cart.add(2, 1)
    first, second = cart.lines
    cart.step(first.line_id, +1)
    assert cart.lines[0].quantity == 2
    cart.step(first.line_id, -1)
    cart.step(first.line_id, -1)  # below 1: the line goes
    assert [line.item_id for line in cart.lines] == [2]
    cart.remove(second.line_id)
    assert cart.lines == []


def test_unknown_line_is_a_clear_error(cart):
    with pytest.raises(CartError, match="tidak ada"):
        cart.remove("nope")


def test_notes_are_set_all_or_none_and_limited_to_80_characters(cart):
    cart.add(1, 1)
    cart.add(2, 1)
    first, second = (line.line_id for line in cart.lines)
    cart.set_notes({first: "tanpa  bawang ", "gone": "ignored"})
    assert [line.note for line in cart.lines] == ["tanpa bawang", ""]
    with pytest.raises(CartError):
        cart.set_notes({second: "es sedikit", first: "x" * 81})
    assert [line.note for line in cart.lines] == ["tanpa bawang", ""]


def test_cart_has_a_line_limit(cart):
    for item_id in range(MAX_LINES):
        cart.add(item_id, 1)
    with pytest.raises(CartError, match="penuh"):
        cart.add(999, 1)
    assert len(cart.lines) == MAX_LINES


def test_prices_come_from_the_menu(app, menu, cart):
    cart.add(menu["Nasi Goreng"].id, 2)
    cart.add(menu["Es Teh Manis"].id, 3)
    priced = price_cart(cart)
    assert [line.line_total for line in priced.lines] == [50000, 15000]
    assert priced.total == 65000
    assert priced.problems == []

    menu["Nasi Goreng"].price = 27000
    db.session.commit()
    assert price_cart(cart).total == 2 * 27000 + 15000


def test_sold_out_and_deleted_items_are_problems_and_not_counted(app, menu, cart):
    cart.add(menu["Rendang"].id, 1)
    cart.add(12345, 1)
    cart.add(menu["Mie Ayam"].id, 1)
    priced = price_cart(cart)
    assert len(priced.problems) == 2
    assert "Rendang sedang habis" in priced.problems[0]
    assert priced.total == 22000
