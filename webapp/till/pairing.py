"""Pairing a till's customer display: a short code shown on the till, typed once on the
display device, which then keeps a token of its own.

- A cashier asks for a code (`new_code`): six digits, valid for CODE_VALID, unique
  among the codes in force. A new code replaces the till's previous one.
- The display device types it (`pair`): the first device to type it gets a new random
  token (the code is used up by that one conditional UPDATE, so two devices typing it
  at once cannot both pair), and the till's previous display, if any, stops working.
  The device keeps the token in a cookie; the till keeps only its SHA-256 digest
  (`Till.display_token`), so its rows do not hold what a device shows to be paired.
- Revoking (`revoke`) forgets the digest and any code in force: the device is then told
  it is not paired, and how to pair again.

Codes are compared in constant time against each code the tills hold (a shop has a
few tills), and tokens by their digests; the blueprint rate-limits code attempts. A
paired display holds no staff rights: its token opens its till's display and nothing
else.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update

from ..extensions import db
from ..models import Till
from ..state import rows_matched

CODE_DIGITS = 6
CODE_VALID = timedelta(minutes=5)
TOKEN_MAX_LENGTH = 100  # a token is 43 characters; a longer cookie is no token
_CODE = re.compile(rf"\d{{{CODE_DIGITS}}}")


class Refusal(enum.StrEnum):
    WRONG = "wrong"
    EXPIRED = "expired"


class PairingError(ValueError):
    """A code that pairs nothing; the message says why (wrong, or no longer valid)."""

    def __init__(self, refusal: Refusal):
        self.refusal = refusal
        super().__init__(
            _("Kode itu sudah tidak berlaku. Minta kode baru di kasir.")
            if refusal is Refusal.EXPIRED
            else _("Kode itu salah. Periksa kode yang tampil di kasir, lalu coba lagi.")
        )


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def holds_pairing(stored_digest: str | None, token: str | None) -> bool:
    """Whether a device's `token` is the one its till's display was paired with (a
    constant-time comparison of digests)."""
    if not stored_digest or not token or len(token) > TOKEN_MAX_LENGTH:
        return False
    return hmac.compare_digest(token_digest(token), stored_digest)


def paired_till(token: str | None) -> Till | None:
    """The till a device's token pairs it with, if any."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    return db.session.scalar(select(Till).where(Till.display_token == token_digest(token)))


def code_in_force(till: Till, now: datetime) -> str | None:
    """The till's code, while a display may still pair with it."""
    if till.pairing_code and till.pairing_expires_at is not None and till.pairing_expires_at > now:
        return till.pairing_code
    return None


def seconds_left(till: Till, now: datetime) -> int:
    """How long the till's code stays valid (0: none in force)."""
    if code_in_force(till, now) is None or till.pairing_expires_at is None:
        return 0
    return int((till.pairing_expires_at - now).total_seconds())


def new_code(till: Till, now: datetime) -> str:
    """A new code for the till's display (it replaces the till's previous one)."""
    others = set(db.session.scalars(select(Till.pairing_code).where(Till.id != till.id, Till.pairing_expires_at > now)))
    code = _random_code()
    while code in others:
        code = _random_code()
    till.pairing_code, till.pairing_expires_at, till.updated_at = code, now + CODE_VALID, now
    db.session.commit()
    return code


def _random_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def normalized(typed: str) -> str:
    """A code as typed ("123 456", "123-456"), without its spaces and dashes."""
    return re.sub(r"[\s-]", "", typed or "")


def looks_like_code(typed: str) -> bool:
    return _CODE.fullmatch(normalized(typed)) is not None


def pair(typed: str, now: datetime) -> tuple[Till, str]:
    """Pair the display device that typed `typed`: its till, and the device's new token.
    Raises PairingError for a code that no till holds or that is no longer valid."""
    if not looks_like_code(typed):
        raise PairingError(Refusal.WRONG)
    code = normalized(typed)
    held = db.session.execute(
        select(Till.id, Till.pairing_code, Till.pairing_expires_at).where(Till.pairing_code.is_not(None))
    ).all()
    matched = None
    for till_id, till_code, expires_at in held:  # every code compared: the time says nothing
        if hmac.compare_digest(till_code.encode(), code.encode()):
            matched = (till_id, expires_at)
    if matched is None:
        raise PairingError(Refusal.WRONG)
    till_id, expires_at = matched
    if expires_at is None or expires_at <= now:
        raise PairingError(Refusal.EXPIRED)
    token = secrets.token_urlsafe(32)
    used = rows_matched(
        update(Till)
        .where(Till.id == till_id, Till.pairing_code == code, Till.pairing_expires_at > now)
        .values(display_token=token_digest(token), pairing_code=None, pairing_expires_at=None, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if used != 1:  # another device typed it first, or a new code replaced it
        db.session.rollback()
        raise PairingError(Refusal.WRONG)
    db.session.commit()
    till = db.session.get(Till, till_id)
    if till is None:  # never: the row was just updated
        raise PairingError(Refusal.WRONG)
    return till, token


def revoke(till: Till, now: datetime) -> bool:
    """Unpair the till's display (and void any code in force); whether one was paired."""
    was_paired = till.display_token is not None
    till.display_token = till.pairing_code = till.pairing_expires_at = None
    till.updated_at = now
    db.session.commit()
    return was_paired
