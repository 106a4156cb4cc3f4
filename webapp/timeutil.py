"""Time helpers: the database stores aware UTC, people read Asia/Jakarta."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")


def utcnow() -> datetime:
    return datetime.now(UTC)


def jakarta_date(moment: datetime) -> date:
    """The calendar day in Jakarta at `moment` (an aware datetime)."""
    return moment.astimezone(JAKARTA).date()


def to_jakarta(moment: datetime) -> datetime:
    return moment.astimezone(JAKARTA)


def minutes_since(moment: datetime, now: datetime) -> int:
    """Whole minutes from `moment` to `now` (never negative): how long an order has
    waited, how long a bill has been open."""
    return max(0, int((now - moment).total_seconds() // 60))


def jakarta_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The UTC instants a Jakarta calendar day starts and the next one starts."""
    start = datetime.combine(day, time(), tzinfo=JAKARTA)
    return start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC)
