"""What every print job for a network printer holds (a station's kitchen ticket, a
till's receipt): its order, and whether it is printed, how often it was tried, when it
is next due and why the last try failed. `webapp/printing` queues, prints and retries
them, one mechanism for every kind."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .types import UTCDateTime, codes


class PrintState(enum.StrEnum):
    NOT_NEEDED = "not_needed"  # no printer to print it on
    QUEUED = "queued"  # waiting to be printed (again)
    PRINTED = "printed"


class PrintJob:
    """The columns of a print job (a mixin: each kind is a table of its own)."""

    # The id and the order first in the table, as in any other (a mixin's columns come last).
    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-2)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"), index=True, sort_order=-1)
    print_state: Mapped[PrintState] = mapped_column(
        codes(PrintState, 12), default=PrintState.NOT_NEEDED, server_default=PrintState.NOT_NEEDED.value
    )
    print_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    print_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    print_error: Mapped[str] = mapped_column(String(200), default="", server_default="")
