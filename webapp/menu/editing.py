"""Changing the menu: categories and items, their order, and deleting them.

Deleting an item never touches past orders: order lines keep their own snapshot of
name and price, and their link to the item is simply cut.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..extensions import db, name_taken, next_position
from ..models import AuditKind, Category, MenuItem
from .photos import forget_photo


class MenuError(ValueError):
    """A refused menu change; `field` names the form field it concerns."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def commit_unique(message: str, field: str) -> None:
    try:
        db.session.commit()
    except IntegrityError as exc:  # a concurrent edit took the name first
        db.session.rollback()
        raise MenuError(message, field) from exc


def _category_facts(category: Category | None) -> dict:
    return {"name": category.name, "name_en": category.name_en} if category is not None else {}


def save_category(category: Category | None, name: str, name_en: str = "", actor: str = "system") -> Category:
    if name_taken(Category.name, name, category):
        raise MenuError(_("Kategori %(name)s sudah ada.", name=name), "name")
    before = _category_facts(category)
    if category is None:
        category = Category(position=next_position(Category.position))
        db.session.add(category)
    category.name, category.name_en = name, name_en
    _audit(AuditKind.MENU_CATEGORY, actor, name, before, _category_facts(category))
    commit_unique(_("Kategori %(name)s sudah ada.", name=name), "name")
    return category


def delete_category(category: Category, actor: str = "system") -> None:
    if category.items:
        raise MenuError(
            _("Kategori %(name)s masih berisi menu; pindahkan atau hapus menunya dulu.", name=category.name)
        )
    _audit(AuditKind.MENU_CATEGORY, actor, category.name, _category_facts(category), {})
    db.session.delete(category)
    db.session.commit()


def save_item(
    item: MenuItem | None,
    *,
    category_id: int,
    name: str,
    description: str,
    price: int,
    available: bool,
    name_en: str = "",
    description_en: str = "",
    actor: str = "system",
) -> MenuItem:
    if db.session.get(Category, category_id) is None:
        raise MenuError(_("Kategori tidak ditemukan."), "category_id")
    if name_taken(MenuItem.name, name, item, MenuItem.category_id == category_id):
        raise MenuError(_("%(name)s sudah ada di kategori ini.", name=name), "name")
    if item is None or item.category_id != category_id:
        position = next_position(MenuItem.position, MenuItem.category_id == category_id)
    else:
        position = item.position
    before = _item_facts(item)
    if item is None:
        item = MenuItem()
        db.session.add(item)
    item.category_id, item.name, item.description = category_id, name, description
    item.name_en, item.description_en = name_en, description_en
    item.price, item.available, item.position = price, available, position
    _audit(AuditKind.MENU_ITEM, actor, name, before, _item_facts(item))
    commit_unique(_("%(name)s sudah ada di kategori ini.", name=name), "name")
    return item


def _item_facts(item: MenuItem | None) -> dict:
    """What the trail keeps of an item: its name, price, category and availability."""
    if item is None:
        return {}
    return {"name": item.name, "price": item.price, "category_id": item.category_id, "available": item.available}


def _audit(kind: AuditKind, actor: str, subject: str, before: dict, after: dict) -> None:
    """A change of the menu in the audit trail: what changed (all of it when created or
    deleted), nothing when nothing did."""
    if before and after:
        before, after = audit.changed(before, after)
        if not after:
            return
    audit.record(kind, actor, subject, before=before or None, after=after or None)


def delete_item(item: MenuItem, actor: str = "system") -> None:
    photo_key = item.photo_key
    _audit(AuditKind.MENU_ITEM, actor, item.name, _item_facts(item), {})
    db.session.delete(item)  # order_item.menu_item_id is SET NULL by the database
    db.session.commit()
    forget_photo(photo_key)


def move(row: Category | MenuItem, direction: int) -> None:
    """Swap a category or an item with its neighbour above (-1) or below (+1)."""
    model = type(row)
    query = select(model).order_by(model.position, model.id)
    if isinstance(row, MenuItem):
        query = query.where(MenuItem.category_id == row.category_id)
    siblings: list[Category | MenuItem] = list(db.session.scalars(query))
    index = siblings.index(row)
    target = index + direction
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
        for position, sibling in enumerate(siblings):
            sibling.position = position
        db.session.commit()
