"""Changing item options: option groups, their options, and which items they are on.

Past orders keep their own snapshot of each chosen option (name, price difference), so
deleting or changing an option here never changes an order.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db, name_taken, next_position
from ..models import MenuItem, Option, OptionGroup
from .editing import MenuError, commit_unique


def save_group(
    group: OptionGroup | None, *, name: str, name_en: str = "", min_choices: int, max_choices: int
) -> OptionGroup:
    """Create or change a group; `min_choices` to `max_choices` options are chosen from it."""
    if min_choices < 0:
        raise MenuError(_("Minimal pilihan tidak boleh negatif."), "min_choices")
    if max_choices < 1 or max_choices < min_choices:
        raise MenuError(_("Maksimal pilihan harus 1 atau lebih, dan tidak kurang dari minimal."), "max_choices")
    if name_taken(OptionGroup.name, name, group):
        raise MenuError(_("Grup pilihan %(name)s sudah ada.", name=name), "name")
    if group is None:
        group = OptionGroup(position=next_position(OptionGroup.position))
        db.session.add(group)
    group.name, group.name_en = name, name_en
    group.min_choices, group.max_choices = min_choices, max_choices
    commit_unique(_("Grup pilihan %(name)s sudah ada.", name=name), "name")
    return group


def save_option(
    option: Option | None,
    group: OptionGroup,
    *,
    name: str,
    name_en: str = "",
    price_diff: int = 0,
    available: bool = True,
) -> Option:
    """Create or change an option of `group`; its price difference is 0 or more rupiah."""
    if price_diff < 0:
        raise MenuError(_("Selisih harga tidak boleh negatif."), "price_diff")
    if name_taken(Option.name, name, option, Option.group_id == group.id):
        raise MenuError(_("%(name)s sudah ada di grup ini.", name=name), "name")
    if option is None:
        option = Option(group=group, position=next_position(Option.position, Option.group_id == group.id))
        db.session.add(option)
    option.name, option.name_en, option.price_diff, option.available = name, name_en, price_diff, available
    commit_unique(_("%(name)s sudah ada di grup ini.", name=name), "name")
    return option


def attach_groups(item: MenuItem, group_ids: Iterable[int]) -> None:
    """Make `group_ids` the item's option groups (any others are taken off)."""
    wanted = set(group_ids)
    groups = list(db.session.scalars(select(OptionGroup).where(OptionGroup.id.in_(wanted)))) if wanted else []
    if len(groups) != len(wanted):
        raise MenuError(_("Grup pilihan tidak ditemukan."), "groups")
    item.option_groups = groups
    db.session.commit()


def delete_group(group: OptionGroup) -> None:
    db.session.delete(group)  # its options and attachments go with it
    db.session.commit()


def delete_option(option: Option) -> None:
    db.session.delete(option)  # order_item_option.option_id is SET NULL by the database
    db.session.commit()
