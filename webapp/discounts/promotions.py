"""Promotions: a percentage or rupiah off items and categories on some days of the week
between two times in Asia/Jakarta ("happy hour 15.00-17.00, minuman -20%"), applied by
the server wherever prices are shown or charged: the customer's menu, cart and checkout,
and the till (`orders.cart.price_cart` asks `offers_now`).

An item in more than one promotion at once gets the one that takes most off its own
price (the first made, when two take the same); a line with options gets that one off
its unit price, options included. Menu pages show the old price struck through beside
the new one (`Offers.prices`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, current_app, g, has_request_context
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import audit, clock
from ..billing.bill import Discount
from ..extensions import db
from ..live import cache, feed
from ..models import AuditKind, Category, DiscountKind, DiscountSource, MenuItem, Promotion
from ..timeutil import to_jakarta
from .given import Given

PROMOTIONS_TOPIC = "promotions"


@dataclass(frozen=True)
class Offer:
    """A promotion in its window, as read once."""

    promotion_id: int
    name: str
    discount: Discount
    item_ids: frozenset[int]
    category_ids: frozenset[int]

    def covers(self, item: MenuItem) -> bool:
        return item.id in self.item_ids or item.category_id in self.category_ids

    def given(self) -> Given:
        return Given(DiscountSource.PROMOTION, self.discount, self.name, promotion_id=self.promotion_id)


@dataclass(frozen=True)
class Offers:
    """The promotions in their window at one moment."""

    offers: tuple[Offer, ...] = ()

    def best(self, item: MenuItem) -> Offer | None:
        """The offer that takes most off the item's own price, if any covers it."""
        found = [offer for offer in self.offers if offer.covers(item)]
        return max(found, key=lambda offer: offer.discount.off(item.price), default=None)

    def given(self, item: MenuItem) -> Given | None:
        offer = self.best(item)
        return offer.given() if offer is not None else None

    def prices(self, items: Iterable[MenuItem]) -> dict[int, tuple[int, str]]:
        """For the menu and the till's tiles: item id -> (its price in the promotion,
        the promotion's name), for the items a promotion covers now."""
        found = {}
        for item in items:
            offer = self.best(item)
            if offer is not None and (off := offer.discount.off(item.price)):
                found[item.id] = (item.price - off, offer.name)
        return found


def in_window(promotion: Promotion | _Switched, now: datetime) -> bool:
    """Whether `now` (aware) falls on one of its days, between its times, in Jakarta."""
    local = to_jakarta(now)
    minute = local.hour * 60 + local.minute
    return bool(promotion.days >> local.weekday() & 1) and promotion.starts_at <= minute < promotion.ends_at


@dataclass(frozen=True)
class _Switched:
    """A promotion switched on, as each process keeps it (`promotion_cache`): its offer,
    and its window, which the clock is held against at every request."""

    offer: Offer
    days: int
    starts_at: int
    ends_at: int


def _switched_on() -> tuple[tuple[_Switched, ...], frozenset[str]]:
    promotions = db.session.scalars(
        select(Promotion)
        .where(Promotion.active)
        .options(selectinload(Promotion.items), selectinload(Promotion.categories))
        .order_by(Promotion.id)
    )
    switched = tuple(
        _Switched(
            Offer(
                promotion.id,
                promotion.name,
                Discount(promotion.kind, promotion.value),
                frozenset(item.id for item in promotion.items),
                frozenset(category.id for category in promotion.categories),
            ),
            promotion.days,
            promotion.starts_at,
            promotion.ends_at,
        )
        for promotion in promotions
    )
    return switched, frozenset({PROMOTIONS_TOPIC})


def in_effect(now: datetime) -> Offers:
    """The promotions switched on and in their window at `now`: read once per process
    until a promotion is written (where the change feed reaches every process), so a
    cached menu page costs no query."""
    switched = current_app.extensions["promotion_cache"].fetch("switched on", now, _switched_on)
    return Offers(tuple(promotion.offer for promotion in switched if in_window(promotion, now)))


def offers_now() -> Offers:
    """The promotions in effect now, read once a request (every price of a page is
    priced at the same moment)."""
    if not has_request_context():
        return in_effect(clock.now())
    if "offers" not in g:
        g.offers = in_effect(clock.now())
    return g.offers


@dataclass(frozen=True)
class PromotionChange:
    """What the admin typed, checked by its form."""

    name: str
    kind: DiscountKind
    value: int  # basis points or rupiah
    days: int  # a bit per day, Monday first
    starts_at: int  # minutes after midnight
    ends_at: int
    active: bool
    item_ids: list[int]
    category_ids: list[int]


def _facts(promotion: Promotion) -> dict:
    return {
        "name": promotion.name,
        "kind": promotion.kind.value,
        "value": promotion.value,
        "days": promotion.days,
        "starts_at": promotion.starts_at,
        "ends_at": promotion.ends_at,
        "active": promotion.active,
        "items": sorted(item.id for item in promotion.items),
        "categories": sorted(category.id for category in promotion.categories),
    }


def save_promotion(promotion: Promotion | None, change: PromotionChange, actor: str) -> Promotion:
    """Create or change a promotion (kept in the audit trail) and commit. Orders placed
    already keep what they got."""
    now = clock.now()
    before = _facts(promotion) if promotion is not None else {}
    if promotion is None:
        promotion = Promotion(created_at=now)
        db.session.add(promotion)
    promotion.name, promotion.kind, promotion.value = change.name, change.kind, change.value
    promotion.days, promotion.starts_at, promotion.ends_at = change.days, change.starts_at, change.ends_at
    promotion.active, promotion.updated_at = change.active, now
    promotion.items = list(db.session.scalars(select(MenuItem).where(MenuItem.id.in_(change.item_ids))))
    promotion.categories = list(db.session.scalars(select(Category).where(Category.id.in_(change.category_ids))))
    old, new = audit.changed(before, _facts(promotion))
    audit.record(AuditKind.PROMOTION, actor, promotion.name, before=old if before else None, after=new, now=now)
    db.session.commit()
    return promotion


def all_promotions() -> list[Promotion]:
    return list(
        db.session.scalars(
            select(Promotion)
            .options(selectinload(Promotion.items), selectinload(Promotion.categories))
            .order_by(Promotion.active.desc(), Promotion.name, Promotion.id)
        )
    )


def init_app(app: Flask) -> None:
    """The promotions switched on, cached, and forgotten on any write to them."""
    feed.name_writes((Promotion,), PROMOTIONS_TOPIC)
    cache.install(app, "promotion_cache")
