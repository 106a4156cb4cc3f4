"""Changing item options: option groups, their options, and which items they are on.

Past orders keep their own snapshot of each chosen option (name, price difference), so
deleting or changing an option here never changes an order.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..extensions import db
from ..models import MenuItem, Option, OptionGroup
from .editing import MenuError, _commit_unique


def save_group(
    group: OptionGroup | None, *, name: str, name_en: str = "", min_choices: int, max_choices: int
) -> OptionGroup:
    """Create or change a group; `min_choices` to `max_choices` options are chosen from it."""
    if min_choices < 0:
        raise MenuError(_("Minimal pilihan tidak boleh negatif."), "min_choices")
    if max_choices < 1 or max_choices < min_choices:
        raise MenuError(_("Maksimal pilihan harus 1 atau lebih, dan tidak kurang dari minimal."), "max_choices")
    taken = db.session.scalar(
        select(OptionGroup).where(
            func.lower(OptionGroup.name) == name.lower(), OptionGroup.id != (group.id if group else -1)
        )
    )
    if taken:
        raise MenuError(_("Grup pilihan %(name)s sudah ada.", name=name), "name")
    if group is None:
        last = db.session.scalar(select(func.max(OptionGroup.position))) or 0
        group = OptionGroup(position=last + 1)
        db.session.add(group)
    group.name, group.name_en = name, name_en
    group.min_choices, group.max_choices = min_choices, max_choices
    _commit_unique(_("Grup pilihan %(name)s sudah ada.", name=name), "name")
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
    taken = db.session.scalar(
        select(Option).where(
            Option.group_id == group.id,
            func.lower(Option.name) == name.lower(),
            Option.id != (option.id if option else -1),
        )
    )
    if taken:
        raise MenuError(_("%(name)s sudah ada di grup ini.", name=name), "name")
    if option is None:
        last = db.session.scalar(select(func.max(Option.position)).where(Option.group_id == group.id)) or 0
        option = Option(group=group, position=last + 1)
        db.session.add(option)
    option.name, option.name_en, option.price_diff, option.available = name, name_en, price_diff, available
    _commit_unique(_("%(name)s sudah ada di grup ini.", name=name), "name")
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
