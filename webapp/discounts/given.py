"""A discount as it is given to a line or an order before the order is placed, and the
snapshot the order keeps of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..billing.bill import Discount
from ..models import DiscountKind, DiscountSource, OrderDiscount, OrderItem


@dataclass(frozen=True)
class Given:
    """A promotion's, a voucher's or staff's discount: what it is (`discount`), where it
    comes from, its label (the promotion's name, the voucher's code, the reason typed)
    and, given by staff, who gave and who approved it."""

    source: DiscountSource
    discount: Discount
    label: str
    given_by: str = ""
    approver: str = ""
    promotion_id: int | None = None
    voucher_id: int | None = None

    @property
    def kind(self) -> DiscountKind:
        return self.discount.kind

    @property
    def value(self) -> int:
        return self.discount.value

    def snapshot(self, amount: int, now: datetime, item: OrderItem | None = None) -> OrderDiscount:
        """The order's row of it: `amount` rupiah off `item` (None: off the order)."""
        return OrderDiscount(
            order_item=item,
            source=self.source,
            kind=self.discount.kind,
            value=self.discount.value,
            amount=amount,
            label=self.label[:80],
            given_by=self.given_by[:60],
            approver=self.approver[:60],
            promotion_id=self.promotion_id,
            voucher_id=self.voucher_id,
            created_at=now,
        )
