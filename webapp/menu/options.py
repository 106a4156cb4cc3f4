"""Item options: checking a customer's choice against an item's option groups, and
pricing it.

A choice is a set of option ids. It is valid when every id is an option of a group
attached to the item, no chosen option is sold out, and each group has between its
minimum and maximum of chosen options. The price is always the item's price plus the
chosen options' current price differences, looked up here and never taken from a form.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _

from ..models import MenuItem, Option, OptionGroup
from .listing import localized

GENERAL = 0  # the key of a message that concerns no one group (a foreign option)


class ChoiceError(ValueError):
    """A refused choice; `messages` maps a group id (or GENERAL) to what to tell."""

    def __init__(self, messages: dict[int, str]):
        super().__init__("; ".join(messages.values()))
        self.messages = messages


@dataclass(frozen=True)
class Choice:
    item: MenuItem
    options: list[Option]  # in the item's group order, then the group's option order

    @property
    def unit_price(self) -> int:
        return self.item.price + sum(option.price_diff for option in self.options)


def item_options(item: MenuItem) -> dict[int, Option]:
    """The options a customer may choose on `item`, by id."""
    return {option.id: option for group in item.option_groups for option in group.options}


def group_rule(group: OptionGroup) -> str:
    """How many options of a group to choose, in words."""
    low, high = group.min_choices, group.max_choices
    if low == high:
        return _("Pilih %(num)s", num=low)
    if low == 0:
        return _("Opsional, paling banyak %(num)s", num=high)
    return _("Pilih %(low)s sampai %(high)s", low=low, high=high)


def _group_problem(group: OptionGroup, chosen: list[Option]) -> str | None:
    name = localized(group)
    if sold_out := [option for option in chosen if not option.available]:
        return _("%(option)s sedang habis; pilih yang lain.", option=localized(sold_out[0]))
    if len(chosen) < group.min_choices:
        if group.min_choices == 1:
            return _("%(group)s: pilih satu.", group=name)
        return _("%(group)s: pilih paling sedikit %(num)s.", group=name, num=group.min_choices)
    if len(chosen) > group.max_choices:
        return _("%(group)s: pilih paling banyak %(num)s.", group=name, num=group.max_choices)
    return None


def choose(item: MenuItem, option_ids: Iterable[int]) -> Choice:
    """The item with the chosen options, or ChoiceError with a message per group."""
    allowed = item_options(item)
    wanted = set(option_ids)
    messages: dict[int, str] = {}
    if wanted - allowed.keys():
        messages[GENERAL] = _("Pilihan itu bukan untuk %(name)s.", name=localized(item))
    chosen: list[Option] = []
    for group in item.option_groups:
        in_group = [option for option in group.options if option.id in wanted]
        if problem := _group_problem(group, in_group):
            messages[group.id] = problem
        chosen.extend(in_group)
    if messages:
        raise ChoiceError(messages)
    return Choice(item, chosen)


def default_choice(item: MenuItem) -> set[int]:
    """What to preselect: in a group where exactly one must be chosen, its one cheapest
    available option when no other costs as little (a regular size); where every option
    costs the same (spice levels) the customer decides, and nothing is preselected."""
    preselected: set[int] = set()
    for group in item.option_groups:
        available = [option for option in group.options if option.available]
        if group.min_choices == group.max_choices == 1 and available:
            cheapest = min(option.price_diff for option in available)
            defaults = [option for option in available if option.price_diff == cheapest]
            if len(defaults) == 1:
                preselected.add(defaults[0].id)
    return preselected
