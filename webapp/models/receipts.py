"""A till's receipts on its printer: the paper it prints on, and one print job per paid
order rung up at a till that has a printer (with the cash drawer's kick for cash)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from ..timeutil import utcnow
from .orders import Order
from .printing import PrintJob
from .types import UTCDateTime

if TYPE_CHECKING:  # the till names its paper, from here
    from .till import Till


class ReceiptPaper(enum.StrEnum):
    """A thermal roll's width in mm: 58 prints 32 characters a line, 80 prints 48."""

    MM58 = "58"
    MM80 = "80"


class ReceiptPrint(PrintJob, Model):
    """A paid till order's receipt, for its till's printer. `drawer_kick`: it was paid
    in cash at the till, so the drawer opens with the receipt's first print (never with
    a copy printed later)."""

    __tablename__ = "receipt_print"

    till_id: Mapped[int] = mapped_column(ForeignKey("till.id", ondelete="CASCADE"), index=True)
    drawer_kick: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    order: Mapped[Order] = relationship()
    till: Mapped[Till] = relationship()
