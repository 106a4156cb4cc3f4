"""Tills: where staff ring up orders at the counter (or on a phone at a table), with the
customer-facing display paired to each and its receipt printer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from ..timeutil import utcnow
from .receipts import ReceiptPaper
from .tables import OrderType
from .types import UTCDateTime, codes, new_public_id


class Till(Model):
    """A till (one by default, "Kasir 1"). What is being rung up lives here, not in a
    browser, so that the customer display (another device) shows it as it grows:

    - `draft`: the lines being rung up, in the cart's shape (`orders.cart.Cart` works on
      it: {"cart": [{"id", "item", "qty", "note", "opts"}]}), with `order_type`,
      `table_id` and `customer_name` for the order it becomes;
    - the order it placed last (`Order.till_id`) is what the display shows once the draft
      is empty (its QR, then paid, and the change of the cash handed over, from the
      order's cash payment) until the next order is rung up;
    - `version`: raised by every change of the draft (the display's poll compares it
      with the latest order's own version).

    A display is paired once with a short code shown on the till (`pairing_code`, valid
    until `pairing_expires_at`); the paired device keeps `display_token` in a cookie and
    holds no staff rights. Pairing again or revoking replaces the token.
    """

    __tablename__ = "till"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    printer: Mapped[str] = mapped_column(String(120), default="", server_default="")  # host:port, or ""
    paper: Mapped[ReceiptPaper] = mapped_column(
        codes(ReceiptPaper, 2, check="paper_known"), default=ReceiptPaper.MM80, server_default=ReceiptPaper.MM80
    )
    draft: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    order_type: Mapped[OrderType] = mapped_column(
        codes(OrderType, 10), default=OrderType.TAKEAWAY, server_default=OrderType.TAKEAWAY
    )
    table_id: Mapped[int | None] = mapped_column(ForeignKey("dining_table.id", ondelete="SET NULL"))
    customer_name: Mapped[str] = mapped_column(String(40), default="", server_default="")
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    display_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    pairing_code: Mapped[str | None] = mapped_column(String(8))
    pairing_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
