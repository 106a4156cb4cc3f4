"""The menu: categories and their items (integer rupiah prices)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model


class Category(Model):
    __tablename__ = "category"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    name_en: Mapped[str] = mapped_column(String(60), default="", server_default="")  # optional English name
    position: Mapped[int] = mapped_column(Integer, default=0)

    items: Mapped[list[MenuItem]] = relationship(back_populates="category", order_by="MenuItem.position, MenuItem.id")


class MenuItem(Model):
    __tablename__ = "menu_item"
    __table_args__ = (
        UniqueConstraint("category_id", "name", name="uq_menu_item_category_name"),
        CheckConstraint("price > 0", name="price_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(String(200), default="")
    # Optional English text, shown on English pages when given.
    name_en: Mapped[str] = mapped_column(String(80), default="", server_default="")
    description_en: Mapped[str] = mapped_column(String(200), default="", server_default="")
    price: Mapped[int] = mapped_column(Integer)
    available: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    category: Mapped[Category] = relationship(back_populates="items")
    # The photo's key (the hash its files are named by, see menu/photos.py); "" for none.
    photo_key: Mapped[str] = mapped_column(String(64), default="", server_default="")
