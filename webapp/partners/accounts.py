"""Partner accounts and store licenses: creation, key rotation, revocation, auth."""

from __future__ import annotations

import hashlib
import secrets

from flask import Flask, current_app
from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..live import cache, feed
from ..models import License, Partner
from ..payments import outbound

API_KEY_PREFIX = "wrg_"
LICENSE_PREFIX = "LIC-"
PARTNERS_TOPIC = "partners"  # any write to a partner (webapp/live/triggers.py)


class PartnerError(ValueError):
    pass


def hash_api_key(api_key: str) -> str:
    return hashlib.sha256(api_key.encode("utf-8")).hexdigest()


def _new_api_key() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def create_partner(name: str, webhook_url: str = "") -> tuple[Partner, str]:
    """A new partner; returns it with its API key, which is shown once and not stored."""
    name = " ".join(name.split())
    if not name or len(name) > 80:
        raise PartnerError("Partner name: 1 to 80 characters.")
    if webhook_url and not webhook_url.startswith(("https://", "http://")):
        raise PartnerError("Webhook URL must start with https:// (or http:// for testing).")
    if webhook_url and not current_app.config["PARTNER_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES"]:
        try:
            outbound.check_url(webhook_url)
        except outbound.AddressRefused as exc:
            raise PartnerError(f"Webhook URL refused: {exc}.") from exc
    if db.session.scalar(select(Partner).where(Partner.name == name)):
        raise PartnerError(f"Partner {name} already exists.")
    api_key = _new_api_key()
    partner = Partner(
        name=name,
        api_key_hash=hash_api_key(api_key),
        webhook_url=webhook_url,
        webhook_secret="whsec_" + secrets.token_urlsafe(32),
    )
    db.session.add(partner)
    db.session.commit()
    return partner, api_key


def find_partner(name: str) -> Partner:
    partner = db.session.scalar(select(Partner).where(Partner.name == " ".join(name.split())))
    if partner is None:
        raise PartnerError(f"No partner named {name}.")
    return partner


def rotate_api_key(partner: Partner) -> str:
    """A new API key; the old one stops working at once."""
    api_key = _new_api_key()
    partner.api_key_hash = hash_api_key(api_key)
    db.session.commit()
    return api_key


def add_license(partner: Partner, store_name: str, counter_pos: bool = False) -> License:
    store_name = " ".join(store_name.split())
    if not store_name or len(store_name) > 80:
        raise PartnerError("Store name: 1 to 80 characters.")
    license_ = License(
        key=LICENSE_PREFIX + secrets.token_hex(12).upper(),
        partner_id=partner.id,
        store_name=store_name,
        counter_pos=counter_pos,
    )
    db.session.add(license_)
    db.session.commit()
    return license_


def _find_license(key: str) -> License:
    license_ = db.session.scalar(select(License).where(License.key == key))
    if license_ is None:
        raise PartnerError(f"No license {key}.")
    return license_


def revoke_license(key: str) -> License:
    license_ = _find_license(key)
    license_.active = False
    db.session.commit()
    return license_


def set_counter_pos(key: str, counter_pos: bool) -> License:
    """Mark a license as the restaurant's own counter POS (or no longer)."""
    license_ = _find_license(key)
    license_.counter_pos = counter_pos
    db.session.commit()
    return license_


def counter_license(partner: Partner) -> License | None:
    """The partner's active counter POS license: what allows it to take and cancel
    payments for this restaurant's web orders. None: it may not."""
    return db.session.scalar(
        select(License)
        .where(License.partner_id == partner.id, License.active, License.counter_pos)
        .order_by(License.id)
        .limit(1)
    )


def partner_id_for_api_key(api_key: str) -> int | None:
    """The id of the active partner holding this key, looked up by the key's SHA-256
    (the database never holds the key, and an index lookup of a hash tells a caller
    timing it nothing about the key).

    Every partner API call asks, so the answer is cached per process (by hash) while
    the change feed reaches every process: any write to any partner (a new key, a
    partner switched off) empties the cache in every process when it commits, and an
    entry lives 30 s at most in any case. Only keys that were found are kept, so
    made-up keys cannot fill it; on SQLite every call reads the database."""
    if not api_key:
        return None
    digest = hash_api_key(api_key)

    def read():
        partner_id = db.session.scalar(select(Partner.id).where(Partner.api_key_hash == digest, Partner.active))
        return None if partner_id is None else (partner_id, frozenset({PARTNERS_TOPIC}))

    return current_app.extensions["partner_key_cache"].fetch(digest, clock.now(), read)


def init_app(app: Flask) -> None:
    """The partner key cache, emptied by the change feed."""
    feed.name_writes((Partner,), PARTNERS_TOPIC)
    cache.install(app, "partner_key_cache")
