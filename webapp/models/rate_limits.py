"""Rate-limit counters, kept in the database so every worker shares them."""

from __future__ import annotations

from sqlalchemy import Double, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model


class RateLimitCounter(Model):
    """One rate-limit window's count (webapp/rate_limit_storage.py): kept in the app's
    database, so every worker on every machine counts against the same limit."""

    __tablename__ = "rate_limit_counter"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    # Seconds since the epoch, as the `limits` library keeps time.
    expires_at: Mapped[float] = mapped_column(Double, index=True)
