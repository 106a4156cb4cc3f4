"""Form pieces the blueprints share (every form is a Flask-WTF form, with CSRF)."""

import re
from datetime import datetime
from typing import TypeVar

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from .billing.bill import BASIS, Discount
from .models import DiscountKind
from .request_guards import database_integer
from .staff.approvals import ApprovalError, approve, approver_names

NOT_A_NUMBER = _l("Harus angka.")

T = TypeVar("T")


def required(data: T | None) -> T:
    """The data of a field its form requires (DataRequired, InputRequired), once the form
    has validated. WTForms types every field's data as optional; validation has refused
    a form without it, so None here means the form was never validated."""
    if data is None:
        raise ValueError("a required field has no data: validate the form first")
    return data


def hidden_number(value: str | None) -> int | None:
    """A hidden field's whole number, or None for anything else."""
    try:
        return database_integer(value) if value and value.isascii() and value.isdigit() else None
    except ValueError:
        return None


def strip(value):
    """A filter: surrounding whitespace off a typed value."""
    return value.strip() if isinstance(value, str) else value


class WholeNumberField(IntegerField):
    """An IntegerField whose "not a number" error speaks to the customer. A number no
    integer column can hold is not a number either: it never reaches a query."""

    def __init__(self, label=None, validators=None, invalid_message=NOT_A_NUMBER, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.invalid_message = invalid_message

    @staticmethod
    def parse(text: str) -> int:
        """The number typed (ValueError if it is none); RupiahField reads money."""
        return int(text)

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            self.data = database_integer(self.parse(valuelist[0]))
        except ValueError as exc:
            self.data = None
            raise ValueError(str(self.invalid_message)) from exc


# Rupiah as people write it: 50000, 50.000 (as the app prints it), 50,000, Rp50.000,
# Rp 50.000,- or Rp50.000,00, 50rb or 50 ribu. Grouped digits are grouped by threes
# (the first group 1 to 3 digits, not starting with 0), so 50.5, 1.000.00 and 50,5 are
# refused: they might mean another amount. Cents, written only after grouping that
# shows which mark groups, must be zero. A minus is read, so that the field's range
# says what is wrong with a negative amount.
_RUPIAH = re.compile(
    r"(?P<minus>-\s*)?(?:rp\.?\s*)?"
    r"(?:(?P<plain>[0-9]+)(?:\s*(?P<thousands>rb|ribu)|,-)?"
    r"|(?P<dots>[1-9][0-9]{0,2}(?:\.[0-9]{3})+)(?:,00|,-)?"
    r"|(?P<commas>[1-9][0-9]{0,2}(?:,[0-9]{3})+)(?:\.00)?)",
    re.IGNORECASE,
)
_RUPIAH_MAX_LENGTH = 40  # far beyond any amount; bounds the work on what is not one


def parse_rupiah(text: str) -> int:
    """A whole amount of rupiah typed by staff (see _RUPIAH); ValueError for anything
    else: decimals that are not zero, digits other than 0-9, "50k", "rb" alone."""
    match = _RUPIAH.fullmatch(text.strip()) if len(text) <= _RUPIAH_MAX_LENGTH else None
    if match is None:
        raise ValueError(f"{text!r} is not an amount of rupiah")
    if match["plain"] is not None:
        amount = int(match["plain"]) * (1000 if match["thousands"] else 1)
    else:
        amount = int(re.sub("[.,]", "", match["dots"] or match["commas"]))
    return -amount if match["minus"] else amount


class RupiahField(WholeNumberField):
    """An amount of money staff type (cash tendered, a price): whole rupiah, written any
    of the usual ways (parse_rupiah)."""

    parse = staticmethod(parse_rupiah)


class CheckboxesField(SelectMultipleField):
    """The choices ticked in a list of checkboxes (ids, as `coerce` reads them)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label=None, validators=None, coerce=database_integer, **kwargs):
        super().__init__(label, validators, coerce=coerce, **kwargs)


class ApprovalForm(FlaskForm):
    """What an action that needs a manager asks for, on the cashier's own device: the
    approving manager (one of staff.approvals.approver_names(): who may approve now)
    and their PIN. A form for such an action extends this one."""

    approver = SelectField(_l("Disetujui oleh"), choices=[], validate_choice=False)
    pin = PasswordField(_l("PIN manajer"), validators=[Optional(), Length(max=8)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.approver.choices = [("", _l("Pilih manajer")), *((name, name) for name in approver_names())]

    def approval_given(self) -> bool:
        """Whether the form carries an approval to check (a manager and a PIN)."""
        return bool(self.approver.data and self.pin.data)

    def approved_by(self, now: datetime, needed: str) -> str | None:
        """The approving manager as the audit trail names them ("cashier:rini"), their
        PIN checked now; None, with why on the PIN field (`needed`: none was given)."""
        if not self.approval_given():
            self.pin.errors = [needed]
            return None
        if self.approver.data not in [choice[0] for choice in self.approver.choices or []]:  # a name never offered
            self.pin.errors = [str(_l("PIN salah atau bukan PIN manajer."))]
            return None
        try:
            return f"cashier:{approve(self.approver.data or '', self.pin.data or '', now).username}"
        except ApprovalError as exc:
            self.pin.errors = [str(exc)]
            return None


_PERCENT = re.compile(r"(?P<whole>[0-9]{1,3})(?:[.,](?P<part>[0-9]{1,2}))?\s*%?")
MAX_DISCOUNT_AMOUNT = 10_000_000  # rupiah: QRIS's top, far above any dish
NOT_A_PERCENT = _l("Tulis angka persen, mis. 20 atau 12,5.")
NOT_RUPIAH = _l("Tulis jumlah rupiah, mis. 5.000.")


def parse_percent(text: str) -> int:
    """A percentage staff type ("20", "20%", "12,5" or "12.5") in basis points (2000,
    1250); ValueError for anything else (two decimals at most)."""
    match = _PERCENT.fullmatch(text.strip()) if len(text) <= 10 else None
    if match is None:
        raise ValueError(f"{text!r} is not a percentage")
    return int(match["whole"]) * 100 + int((match["part"] or "0").ljust(2, "0"))


class DiscountFields:
    """A discount typed by staff: a percentage or an amount of rupiah (mixed into a
    FlaskForm). The value is refused with a message that says why: not a number, nothing,
    above 100%, too large."""

    kind = RadioField(
        _l("Potongan dalam"),
        choices=[(DiscountKind.PERCENT.value, _l("Persen (%)")), (DiscountKind.AMOUNT.value, _l("Rupiah"))],
        default=DiscountKind.PERCENT.value,
        validators=[InputRequired(_l("Pilih persen atau rupiah."))],
    )
    value = StringField(
        _l("Besar potongan"),
        filters=[strip],
        validators=[DataRequired(_l("Tulis besar potongannya."))],
    )

    def validate_value(self, field) -> None:
        self.amount_off(field.data)

    def amount_off(self, text: str) -> Discount:
        """The discount typed, or ValidationError saying what is wrong with it."""
        percent = self.kind.data != DiscountKind.AMOUNT
        try:
            value = parse_percent(text) if percent else parse_rupiah(text)
        except ValueError as exc:
            raise ValidationError(NOT_A_PERCENT if percent else NOT_RUPIAH) from exc
        if value <= 0:
            raise ValidationError(_l("Potongan harus lebih dari 0."))
        if percent and value > BASIS:
            raise ValidationError(_l("Potongan paling besar 100%."))
        if not percent and value > MAX_DISCOUNT_AMOUNT:
            raise ValidationError(_l("Potongan terlalu besar."))
        return Discount(DiscountKind.PERCENT if percent else DiscountKind.AMOUNT, value)

    def discount(self) -> Discount:
        """The discount, once the form has validated."""
        return self.amount_off(self.value.data or "")
