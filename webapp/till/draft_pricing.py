"""What the order being rung up at a till gets off (and so what it is charged), kept in
the till's draft beside its lines (`orders.cart.Cart.store`), so every device showing
the till (and the customer display) prices it alike: the voucher the cashier entered
(its code, checked again whenever the draft is priced, and when it is placed) and the
discounts staff gave, on a line (by the line's id) or on the order, each with its
reason, who gave it and who approved it. Off the order, the voucher comes first and
staff's discount off what it leaves. A discount on a line that is gone is forgotten
with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..billing.bill import Discount
from ..discounts import vouchers
from ..discounts.given import Given
from ..models import DiscountKind, DiscountSource
from ..orders.cart import Cart, PricedCart, price_cart

VOUCHER = "voucher"  # the code, as stored
GIVEN = "discounts"  # {"order": {...}, "lines": {line id: {...}}}: staff's, as `stored`


@dataclass(frozen=True)
class DraftPricing:
    """The draft priced with its discounts, and why its voucher is not taken, if it is not."""

    priced: PricedCart
    voucher: str
    voucher_error: str | None
    staff_lines: dict[str, Given]  # staff's discounts, by line id
    staff_order: Given | None  # and on the order


def stored(given: Given) -> dict:
    """Staff's discount as the draft keeps it."""
    return {
        "kind": given.kind.value,
        "value": given.value,
        "reason": given.label,
        "by": given.given_by,
        "approver": given.approver,
    }


def _given(raw: Mapping) -> Given:
    discount = Discount(DiscountKind(raw["kind"]), int(raw["value"]))
    return Given(DiscountSource.MANUAL, discount, raw.get("reason", ""), raw.get("by", ""), raw.get("approver", ""))


def staff_discounts(store: Mapping) -> tuple[dict[str, Given], Given | None]:
    """Staff's discounts in the draft: by line id, and on the order."""
    raw = store.get(GIVEN) or {}
    lines = {line_id: _given(given) for line_id, given in (raw.get("lines") or {}).items()}
    return lines, _given(raw["order"]) if raw.get("order") else None


def priced_draft(store: Mapping) -> DraftPricing:
    """The draft's lines priced from the menu (promotions included) with its discounts."""
    lines, on_order = staff_discounts(store)
    staff = [on_order] if on_order else []
    priced = price_cart(Cart(dict(store))).with_discounts(lines, staff)
    code, error = store.get(VOUCHER) or "", None
    if code:
        try:
            voucher = vouchers.offer(code, priced.spend)
        except vouchers.VoucherError as exc:
            error = str(exc)
        else:
            priced = priced.with_discounts(lines, [voucher, *staff])
    return DraftPricing(priced, code, error, lines, on_order)
