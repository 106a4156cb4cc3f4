"""The shop's name and logo in force, and saving a change (a new row: the old ones are
the history)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import IO

from flask import current_app, g
from sqlalchemy import select

from .. import audit, clock
from ..extensions import db
from ..models import AuditKind, MerchantProfile
from .logo import Logo, forget_logo, store_logo

MERCHANT_TOPIC = "merchant"  # what the PostgreSQL trigger announces for a write to merchant_profile
HISTORY_SHOWN = 20


@dataclass(frozen=True)
class Shop:
    """What the pages show of the shop (kept by every process: never a database row)."""

    name: str
    logo: Logo | None = None


def default_shop() -> Shop:
    """Before any admin saved the shop page: MERCHANT_NAME from the environment."""
    return Shop(current_app.config["MERCHANT_NAME"])


def _shop_of(row: MerchantProfile | None) -> Shop:
    if row is None:
        return default_shop()
    logo = Logo(row.logo_key, row.logo_width, row.logo_height) if row.logo_key else None
    return Shop(row.name, logo)


def current_profile() -> MerchantProfile | None:
    """The newest row, or None when nobody has saved the shop page."""
    return db.session.scalar(select(MerchantProfile).order_by(MerchantProfile.id.desc()).limit(1))


def current_shop() -> Shop:
    """The shop's name and logo in force: read once a request, and from this process's
    cache while the change feed reaches every process (PostgreSQL)."""
    if "shop" not in g:
        g.shop = current_app.extensions["merchant_cache"].fetch(
            MERCHANT_TOPIC, clock.now(), lambda: (_shop_of(current_profile()), frozenset({MERCHANT_TOPIC}))
        )
    return g.shop


def use_default_shop() -> None:
    """For the rest of this request, show the default without reading the database (an
    error page: the database may be what failed)."""
    g.shop = default_shop()


def save_profile(
    name: str, actor: str, *, logo: IO[bytes] | None = None, remove_logo: bool = False, now: datetime | None = None
) -> MerchantProfile:
    """Put a new name in force, with a new logo (`logo`), none (`remove_logo`) or the
    one before. A logo that is not a photo raises a PhotoError before anything is saved."""
    before = current_profile()
    old = _shop_of(before).logo
    kept = None if remove_logo else old
    if logo is not None:
        kept = store_logo(logo)
    row = MerchantProfile(
        name=name,
        logo_key=kept.key if kept else "",
        logo_width=kept.width if kept else 0,
        logo_height=kept.height if kept else 0,
        changed_by=actor,
        changed_at=now or clock.now(),
    )
    db.session.add(row)
    was, now_is = audit.changed(
        {"name": _shop_of(before).name, "logo": old.key if old else ""}, {"name": name, "logo": row.logo_key}
    )
    if now_is:
        audit.record(AuditKind.SHOP_SETTINGS, f"cashier:{actor}", "Toko", before=was, after=now_is)
    db.session.commit()
    g.pop("shop", None)
    if old is not None and old.key != row.logo_key:
        forget_logo(old.key)
    return row


def profile_history(limit: int = HISTORY_SHOWN) -> list[MerchantProfile]:
    return list(db.session.scalars(select(MerchantProfile).order_by(MerchantProfile.id.desc()).limit(limit)))
