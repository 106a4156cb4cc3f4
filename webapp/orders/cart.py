"""The customer's cart, kept in the session.

The session only ever holds menu item ids, chosen option ids, quantities and notes;
prices are looked up from the menu every time the cart is shown or checked out, so a
client can never choose what it pays. Each chosen option also keeps the price
difference the customer saw when adding it: if it changed since, checkout stops and
says so.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from flask_babel import gettext as _
from sqlalchemy import select

from ..billing.bill import line_discounts, order_discounts
from ..discounts.given import Given
from ..discounts.promotions import offers_now
from ..extensions import db
from ..formatting import rupiah
from ..menu.listing import localized
from ..menu.options import ChoiceError, choose
from ..models import MenuItem, Option

SESSION_KEY = "cart"
MAX_QUANTITY = 99
MAX_LINES = 20  # the cart lives in a signed cookie, which must stay under 4 KB
NOTE_MAX_LENGTH = 80


class CartError(ValueError):
    """A cart change that cannot be made; the message is shown to the customer."""


@dataclass(frozen=True)
class CartLine:
    line_id: str
    item_id: int
    quantity: int
    note: str
    options: tuple[tuple[int, int], ...] = ()  # (option id, price difference seen when added)

    @property
    def option_ids(self) -> list[int]:
        return [option_id for option_id, _seen in self.options]


def _raw_options(raw: Mapping) -> tuple[tuple[int, int], ...]:
    return tuple((option_id, seen) for option_id, seen in raw.get("opts", ()))


class Cart:
    """Lines of (menu item, quantity, note) stored in a session-like mapping."""

    def __init__(self, store: MutableMapping):
        self._store = store

    @property
    def store(self) -> MutableMapping:
        """The session-like mapping it keeps its lines in (a till's draft keeps its
        discounts beside them: webapp/till/discounts.py)."""
        return self._store

    @property
    def lines(self) -> list[CartLine]:
        return [
            CartLine(raw["id"], raw["item"], raw["qty"], raw.get("note", ""), _raw_options(raw))
            for raw in self._store.get(SESSION_KEY, [])
        ]

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self.lines)

    def add(self, item_id: int, quantity: int, note: str = "", options: Mapping[int, int] | None = None) -> None:
        """Add `quantity` of an item with `options` (option id -> price difference shown);
        the same item with the same options and note shares a line (and takes the
        prices just shown)."""
        _check_quantity(quantity)
        note = _clean_note(note)
        opts = sorted([option_id, seen] for option_id, seen in (options or {}).items())
        raw_lines = self._raw_lines()
        for raw in raw_lines:
            same_options = sorted(option_id for option_id, _seen in raw.get("opts", ())) == [o for o, _s in opts]
            if raw["item"] == item_id and raw.get("note", "") == note and same_options:
                _check_quantity(raw["qty"] + quantity)
                raw["qty"] += quantity
                raw["opts"] = opts
                self._save(raw_lines)
                return
        if len(raw_lines) >= MAX_LINES:
            raise CartError(_("Keranjang penuh: paling banyak %(lines)s baris.", lines=MAX_LINES))
        raw_lines.append({"id": secrets.token_hex(4), "item": item_id, "qty": quantity, "note": note, "opts": opts})
        self._save(raw_lines)

    def step(self, line_id: str, delta: int) -> None:
        """Change a line's quantity by +1 or -1; going below 1 removes the line."""
        if delta not in (1, -1):
            raise CartError(_("Perubahan jumlah tidak dikenal."))
        raw_lines = self._raw_lines()
        raw = _find(raw_lines, line_id)
        if raw["qty"] + delta < 1:
            raw_lines.remove(raw)
        else:
            _check_quantity(raw["qty"] + delta)
            raw["qty"] += delta
        self._save(raw_lines)

    def remove(self, line_id: str) -> None:
        raw_lines = self._raw_lines()
        raw_lines.remove(_find(raw_lines, line_id))
        self._save(raw_lines)

    def set_notes(self, notes: Mapping[str, str]) -> None:
        """Set the notes of the lines named in `notes` (line id -> note): all of them,
        or none if one is refused. Ids of lines no longer in the cart are ignored."""
        cleaned = {line_id: _clean_note(note) for line_id, note in notes.items()}
        raw_lines = self._raw_lines()
        changed = [raw for raw in raw_lines if raw["id"] in cleaned and raw.get("note", "") != cleaned[raw["id"]]]
        for raw in changed:
            raw["note"] = cleaned[raw["id"]]
        if changed:
            self._save(raw_lines)

    def clear(self) -> None:
        self._store.pop(SESSION_KEY, None)

    def _raw_lines(self) -> list[dict]:
        return [dict(raw) for raw in self._store.get(SESSION_KEY, [])]

    def _save(self, raw_lines: list[dict]) -> None:
        # Assigning a new list (not mutating in place) marks the session modified.
        self._store[SESSION_KEY] = raw_lines


def _find(raw_lines: list[dict], line_id: str) -> dict:
    for raw in raw_lines:
        if raw["id"] == line_id:
            return raw
    raise CartError(_("Baris keranjang itu sudah tidak ada."))


def _check_quantity(quantity: int) -> None:
    if not 1 <= quantity <= MAX_QUANTITY:
        raise CartError(_("Jumlah harus antara 1 dan %(max)s.", max=MAX_QUANTITY))


def _clean_note(note: str) -> str:
    note = " ".join((note or "").split())
    if len(note) > NOTE_MAX_LENGTH:
        raise CartError(_("Catatan paling panjang %(max)s karakter.", max=NOTE_MAX_LENGTH))
    return note


@dataclass(frozen=True)
class PricedLine:
    line: CartLine
    item: MenuItem | None
    problem: str | None  # a message when the line cannot be ordered
    options: tuple[Option, ...] = ()
    promotion: Given | None = None  # off each unit, in its time window (webapp/discounts)
    own: Given | None = None  # off the line, given by staff

    @property
    def unit_price(self) -> int:
        """The item's price plus its options' price differences, as the menu says now."""
        return self.item.price + sum(option.price_diff for option in self.options) if self.item else 0

    @property
    def line_total(self) -> int:
        """At menu prices (its discounts are `offs`)."""
        return self.unit_price * self.line.quantity if self.problem is None else 0

    @cached_property  # asked by its discount, what it is paid for, the cart's spend, the page
    def offs(self) -> tuple[int, int]:
        """What its promotion and its own discount take off it (billing/bill.py)."""
        if self.problem is not None:
            return 0, 0
        promotion, own = (given.discount if given else None for given in (self.promotion, self.own))
        return line_discounts(self.unit_price, self.line.quantity, promotion, own)

    @property
    def discount(self) -> int:
        return sum(self.offs)

    @property
    def paid_for(self) -> int:
        return self.line_total - self.discount


@dataclass(frozen=True)
class PricedCart:
    lines: list[PricedLine]
    on_order: tuple[Given, ...] = ()  # discounts off the whole order (a voucher, staff's)

    @property
    def total(self) -> int:
        """The lines at menu prices (their discounts and the order's are `discount`)."""
        return sum(line.line_total for line in self.lines)

    @property
    def spend(self) -> int:
        """What the lines come to after their own discounts (a voucher's minimum spend)."""
        return sum(line.paid_for for line in self.lines)

    @property
    def order_offs(self) -> list[int]:
        """What each discount off the whole order takes, after the lines' own."""
        return order_discounts(self.spend, [given.discount for given in self.on_order])

    @property
    def discount(self) -> int:
        return sum(line.discount for line in self.lines) + sum(self.order_offs)

    def with_discounts(self, lines: Mapping[str, Given], on_order: Sequence[Given]) -> PricedCart:
        """The cart with staff's or a voucher's discounts: `lines` by line id, and off the order."""
        priced = [replace(line, own=lines.get(line.line.line_id)) for line in self.lines]
        return PricedCart(priced, tuple(on_order))

    @property
    def count(self) -> int:
        return sum(line.line.quantity for line in self.lines)

    @property
    def problems(self) -> list[str]:
        return [line.problem for line in self.lines if line.problem]

    @property
    def is_empty(self) -> bool:
        return not self.lines


def price_cart(cart: Cart) -> PricedCart:
    """Look every line up in the menu (one query) and price it from there, with the
    promotion in effect now, if any covers it."""
    lines = cart.lines
    ids = {line.item_id for line in lines}
    items = {item.id: item for item in db.session.scalars(select(MenuItem).where(MenuItem.id.in_(ids)))} if ids else {}
    offers = offers_now() if items else None
    priced = []
    for line in lines:
        item = items.get(line.item_id)
        if item is None:
            problem = _("Menu ini sudah tidak ada: hapus dulu untuk melanjutkan.")
        elif not item.available:
            problem = _("%(name)s sedang habis: hapus dulu untuk melanjutkan.", name=localized(item))
        else:
            problem = None
        options: tuple[Option, ...] = ()
        if item is not None and problem is None:
            options, problem = _price_options(item, line)
        promotion = offers.given(item) if offers is not None and item is not None and problem is None else None
        priced.append(PricedLine(line, item, problem, options, promotion))
    return PricedCart(priced)


def _price_options(item: MenuItem, line: CartLine) -> tuple[tuple[Option, ...], str | None]:
    """The line's options as the menu has them now, and what stops the line, if anything:
    a choice no longer valid (sold out, removed, rules changed) or a changed price."""
    try:
        choice = choose(item, line.option_ids)
    except ChoiceError as exc:
        return (), _("%(name)s: %(problem)s Hapus lalu pilih lagi.", name=localized(item), problem=str(exc))
    seen = dict(line.options)
    for option in choice.options:
        if option.price_diff != seen[option.id]:
            return tuple(choice.options), _(
                "Harga %(option)s berubah dari %(old)s menjadi %(new)s; hapus lalu pilih lagi.",
                option=localized(option),
                old=rupiah(seen[option.id]),
                new=rupiah(option.price_diff),
            )
    return tuple(choice.options), None
