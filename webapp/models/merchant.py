"""The shop's own details: its name and logo, shown in every page's header, on receipts
and on the table QR cards (the address and tax number belong to the bill settings)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from ..timeutil import utcnow
from .types import UTCDateTime


class MerchantProfile(Model):
    """The shop's name and logo as saved by someone at some moment. Rows are never
    updated: each change adds a row, the newest is in force and the older ones are the
    history (who changed what, and when). No row: the name is MERCHANT_NAME, no logo."""

    __tablename__ = "merchant_profile"
    __table_args__ = (
        CheckConstraint("length(name) > 0", name="name_given"),
        CheckConstraint("logo_width >= 0 AND logo_height >= 0", name="logo_size_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    # The logo's files are named after this key (menu.photos: the upload's hash); "": none.
    logo_key: Mapped[str] = mapped_column(String(64), default="")
    logo_width: Mapped[int] = mapped_column(Integer, default=0)  # pixels of the stored logo
    logo_height: Mapped[int] = mapped_column(Integer, default=0)
    changed_by: Mapped[str] = mapped_column(String(40))  # the admin's username
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
