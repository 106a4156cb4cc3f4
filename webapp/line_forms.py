"""Adding a line to an order being put together, by a customer (their cart) or by staff
(a till): how many and a note, and for an item with options the choice made in its
choice panel. One implementation for both: the forms, reading and checking the options
chosen (`menu.options.choose`, a message per group), and what the panel shows
(templates/_choice.html).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length, NumberRange

from .forms import WholeNumberField, strip
from .menu.options import GENERAL, Choice, ChoiceError, choose, group_rule
from .models import MenuItem
from .orders.cart import MAX_QUANTITY, NOTE_MAX_LENGTH
from .request_guards import database_integer

QUANTITY_MESSAGE = _l("Jumlah harus angka 1 sampai %(max)s.", max=MAX_QUANTITY)
GROUP_FIELD_PREFIX = "group-"
NOTE_MESSAGE = _l("Catatan paling panjang %(max)s karakter.", max=NOTE_MAX_LENGTH)


class QuantityNoteForm(FlaskForm):
    """How many of an item, with a note for the kitchen."""

    quantity = WholeNumberField(
        _l("Jumlah"),
        invalid_message=QUANTITY_MESSAGE,
        default=1,
        validators=[InputRequired(QUANTITY_MESSAGE), NumberRange(1, MAX_QUANTITY, QUANTITY_MESSAGE)],
    )
    note = StringField(_l("Catatan"), filters=[strip], validators=[Length(max=NOTE_MAX_LENGTH, message=NOTE_MESSAGE)])


class AddLineForm(QuantityNoteForm):
    """An item without options, added as it is."""

    item_id = WholeNumberField(
        _l("Menu"), invalid_message=_l("Menu tidak dikenal."), validators=[InputRequired(_l("Pilih menu."))]
    )


class ChoiceForm(QuantityNoteForm):
    """An item with options: quantity and note here; the chosen options come as
    `group-<group id>` fields (radios or checkboxes), read by `chosen_option_ids`."""

    def priced_quantity(self) -> int:
        """How many the panel's running price is for: the quantity when it is a valid
        one, else 1 (its error says what is wrong with it)."""
        quantity = self.quantity.data
        return quantity if isinstance(quantity, int) and 1 <= quantity <= MAX_QUANTITY else 1


def chosen_option_ids(formdata) -> list[int] | None:
    """The option ids of the `group-*` fields, or None if one is not an option id."""
    ids = []
    for key in formdata:
        if key.startswith(GROUP_FIELD_PREFIX):
            for value in formdata.getlist(key):
                try:
                    ids.append(database_integer(value))
                except ValueError:
                    return None
    return ids


@dataclass(frozen=True)
class PostedChoice:
    """A choice panel's form as posted: the choice, or None with what to fix (`errors`:
    a message per option group, GENERAL for the rest; the form's own field errors)."""

    form: ChoiceForm
    chosen: set[int]
    choice: Choice | None
    errors: dict[int, str]

    @property
    def options(self) -> dict[int, int]:
        """The chosen options and their price differences as the panel showed them."""
        return {option.id: option.price_diff for option in self.choice.options} if self.choice else {}


def read_choice(item: MenuItem) -> PostedChoice:
    """The choice posted for `item`, checked rule by rule (every group's rule, sold-out
    options, the quantity and the note)."""
    form = ChoiceForm()
    option_ids = chosen_option_ids(request.form)
    if option_ids is None:
        return PostedChoice(form, set(), None, {GENERAL: _("Pilihan tidak dikenal.")})
    chosen = set(option_ids)
    try:
        choice = choose(item, option_ids)
    except ChoiceError as exc:
        form.validate()
        return PostedChoice(form, chosen, None, exc.messages)
    if not form.validate():
        return PostedChoice(form, chosen, None, {})
    return PostedChoice(form, chosen, choice, {})


def choice_context(item: MenuItem, form: ChoiceForm, chosen: set[int], errors: dict[int, str]) -> dict:
    """What the choice panel shows, priced by the server from `chosen`."""
    options = [option for group in item.option_groups for option in group.options if option.id in chosen]
    return {
        "item": item,
        "form": form,
        "chosen": chosen,
        "errors": errors,
        "general_error": errors.get(GENERAL),
        "group_rule": group_rule,
        "running_price": form.priced_quantity() * (item.price + sum(o.price_diff for o in options if o.available)),
    }
