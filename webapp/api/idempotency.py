"""Idempotency-Key for payment creation: the same key and body replay the first answer
(no second Duitku inquiry); the same key with another body is a conflict. Keys live 24
hours. Only successful creations are remembered, so a failed attempt can be retried."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import IdempotencyKey, Partner
from .errors import ApiError

LIFETIME = timedelta(hours=24)
MAX_KEY_LENGTH = 255


def request_hash(body) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def begin(partner: Partner, key: str, body, now: datetime) -> tuple[IdempotencyKey | None, tuple | None]:
    """Claim the key for this request. Returns (claim, None) to go ahead, or
    (None, (status, body)) to replay an earlier answer."""
    if len(key) > MAX_KEY_LENGTH:
        raise ApiError(
            422, "validation_error", f"Idempotency-Key must be at most {MAX_KEY_LENGTH} characters", "Idempotency-Key"
        )
    digest = request_hash(body)
    db.session.execute(
        delete(IdempotencyKey).where(
            IdempotencyKey.partner_id == partner.id,
            IdempotencyKey.key == key,
            IdempotencyKey.created_at < now - LIFETIME,
        )
    )
    claim = IdempotencyKey(partner_id=partner.id, key=key, request_hash=digest, created_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(claim)
        db.session.commit()
        return claim, None
    except IntegrityError:
        db.session.rollback()
    earlier = db.session.scalar(
        select(IdempotencyKey).where(IdempotencyKey.partner_id == partner.id, IdempotencyKey.key == key)
    )
    if earlier is None or earlier.request_hash != digest:
        raise ApiError(
            409,
            "idempotency_key_reused",
            "this Idempotency-Key was used with a different request body",
            "Idempotency-Key",
        )
    if earlier.status_code is None:
        raise ApiError(
            409,
            "request_in_progress",
            "a request with this Idempotency-Key is still being processed",
            "Idempotency-Key",
            {"Retry-After": "2"},
        )
    return None, (earlier.status_code, earlier.response)


def complete(claim: IdempotencyKey, status: int, body: dict) -> None:
    claim.status_code, claim.response = status, body
    db.session.commit()


def abandon(claim: IdempotencyKey) -> None:
    db.session.rollback()
    db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.id == claim.id))
    db.session.commit()
