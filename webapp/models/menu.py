"""The menu: categories and their items (integer rupiah prices)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, String, Table, UniqueConstraint
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
    option_groups: Mapped[list[OptionGroup]] = relationship(
        secondary="menu_item_option_group", back_populates="items", order_by="OptionGroup.position, OptionGroup.id"
    )


# Item options: a group ("Level pedas", "Tambahan") is defined once and attached to any
# number of items; a customer picks between `min_choices` and `max_choices` of its options.
menu_item_option_group = Table(
    "menu_item_option_group",
    Model.metadata,
    Column("menu_item_id", ForeignKey("menu_item.id", ondelete="CASCADE"), primary_key=True),
    Column("option_group_id", ForeignKey("option_group.id", ondelete="CASCADE"), primary_key=True),
)


class OptionGroup(Model):
    __tablename__ = "option_group"
    __table_args__ = (
        CheckConstraint("min_choices >= 0", name="min_choices_not_negative"),
        CheckConstraint("max_choices >= 1 AND max_choices >= min_choices", name="max_choices_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    name_en: Mapped[str] = mapped_column(String(60), default="", server_default="")
    min_choices: Mapped[int] = mapped_column(Integer, default=0)
    max_choices: Mapped[int] = mapped_column(Integer, default=1)
    position: Mapped[int] = mapped_column(Integer, default=0)

    options: Mapped[list[Option]] = relationship(
        back_populates="group", order_by="Option.position, Option.id", cascade="all, delete-orphan"
    )
    items: Mapped[list[MenuItem]] = relationship(secondary=menu_item_option_group, back_populates="option_groups")

    @property
    def is_required(self) -> bool:
        return self.min_choices > 0


class Option(Model):
    __tablename__ = "option"
    __table_args__ = (
        UniqueConstraint("group_id", "name", name="uq_option_group_id_name"),
        CheckConstraint("price_diff >= 0", name="price_diff_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("option_group.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    name_en: Mapped[str] = mapped_column(String(60), default="", server_default="")
    price_diff: Mapped[int] = mapped_column(Integer, default=0)  # rupiah added to the item's price
    available: Mapped[bool] = mapped_column(default=True)  # False: sold out
    position: Mapped[int] = mapped_column(Integer, default=0)

    group: Mapped[OptionGroup] = relationship(back_populates="options")
