"""Changing what the order being rung up at a till gets off (webapp/till/draft_pricing.py
says how it is kept and priced): the cashier's voucher, and staff's discounts on a line
or on the order, each a change of the till's draft (`ringing.change`)."""

from __future__ import annotations

from ..discounts import vouchers
from ..discounts.given import Given
from ..models import Till
from ..orders.cart import Cart
from .draft_pricing import GIVEN, VOUCHER, priced_draft, stored
from .ringing import TillError, change, read_draft


def set_voucher(till: Till, code: str) -> None:
    """The cashier's voucher for the order being rung up (checked now: TillError on the
    voucher field), or none (an empty code)."""
    code = vouchers.normalise(code)
    if code:
        try:
            vouchers.offer(code, priced_draft(read_draft(till).store).priced.spend)
        except vouchers.VoucherError as exc:
            raise TillError(str(exc), VOUCHER) from exc

    def edit(cart: Cart) -> None:
        if code:
            cart.store[VOUCHER] = code
        else:
            cart.store.pop(VOUCHER, None)

    change(till, edit)


def give(till: Till, line_id: str | None, given: Given) -> None:
    """Staff's discount on a line (by its id) or, with None, on the order; replacing the
    one it had."""

    def edit(cart: Cart) -> None:
        raw = dict(cart.store.get(GIVEN) or {})
        if line_id is None:
            raw["order"] = stored(given)
        else:
            raw["lines"] = {**(raw.get("lines") or {}), line_id: stored(given)}
        cart.store[GIVEN] = raw

    change(till, edit)


def take_back(till: Till, line_id: str | None) -> None:
    """Staff's discount off a line (by its id) or, with None, off the order, taken back."""

    def edit(cart: Cart) -> None:
        raw = dict(cart.store.get(GIVEN) or {})
        if line_id is None:
            raw.pop("order", None)
        else:
            raw["lines"] = {key: value for key, value in (raw.get("lines") or {}).items() if key != line_id}
        cart.store[GIVEN] = raw

    change(till, edit)
