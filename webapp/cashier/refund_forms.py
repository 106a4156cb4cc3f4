"""The refund forms of the cashier's order page (Flask-WTF, with CSRF): a paid order's
money given back (all of it, some of its lines, or an amount), or the money it never
asked for (a late or double payment); how it goes back (cash from the drawer, or a
transfer or an e-wallet with its reference), why, and always a manager's approval on
this device (forms.ApprovalForm)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from .. import labels
from ..access import may_open
from ..formatting import rupiah
from ..forms import NOT_RUPIAH, ApprovalForm, CheckboxesField, RupiahField, strip
from ..models import Order, RefundMethod
from ..refunds.giving import REFERENCE_NEEDED, Ask, Money, RefundError, at_most, line_amounts, money
from .forms import DrawerRefusal

ALL, LINES, AMOUNT = "all", "lines", "amount"


class RefundFields(DrawerRefusal, ApprovalForm):
    """How the money goes back, why, and the manager who approves it."""

    cash_field = "method"
    method = RadioField(
        _l("Dikembalikan lewat"),
        choices=[(method.value, labels.REFUND_METHOD[method]) for method in RefundMethod],
        default=RefundMethod.CASH.value,
        validators=[InputRequired(_l("Pilih cara mengembalikan uang."))],
    )
    reference = StringField(
        _l("Nomor referensi"),
        filters=[strip],
        description=_l("Wajib untuk transfer bank atau e-wallet."),
        validators=[Length(max=64, message=_l("Paling panjang 64 karakter."))],
    )
    reason = StringField(
        _l("Alasan"),
        filters=[strip],
        validators=[
            DataRequired(_l("Tulis alasan pengembalian.")),
            Length(max=200, message=_l("Alasan paling panjang 200 karakter.")),
        ],
    )

    def __init__(self, *args, figures: Money, **kwargs):
        super().__init__(*args, **kwargs)
        self.figures = figures

    def validate_reference(self, field) -> None:
        if self.method.data != RefundMethod.CASH and not field.data:
            raise ValidationError(REFERENCE_NEEDED)

    approval_hint = _l("Setiap pengembalian uang perlu persetujuan manajer.")

    def approved_by(self, now: datetime, needed: str = "") -> str | None:
        """The approving manager's actor code; None, with the reason on the PIN."""
        needed = needed or _("Pengembalian uang perlu persetujuan manajer: pilih manajer, lalu ketik PIN-nya.")
        return super().approved_by(now, needed)

    def refuse(self, refusal: RefundError) -> None:
        field = getattr(self, refusal.field or "reason")
        field.errors = [*(field.errors or []), str(refusal)]

    def asked(self) -> Ask:
        """The refund asked for, once the form has validated."""
        raise NotImplementedError

    def ask(self, amount: int, **more) -> Ask:
        return Ask(amount, RefundMethod(self.method.data), self.reference.data or "", self.reason.data or "", **more)


class RefundForm(RefundFields):
    """A paid order's money given back: all that is left, some of its lines, or an amount."""

    scope = RadioField(
        _l("Yang dikembalikan"),
        choices=[(ALL, _l("Semua")), (LINES, _l("Beberapa baris")), (AMOUNT, _l("Sejumlah uang"))],
        default=ALL,
        validators=[InputRequired(_l("Pilih yang dikembalikan."))],
    )
    lines = CheckboxesField(_l("Baris yang dikembalikan"), coerce=str, validate_choice=False)
    amount = RupiahField(_l("Jumlah (Rp)"), invalid_message=NOT_RUPIAH, validators=[Optional()])

    def __init__(self, *args, order: Order, figures: Money, **kwargs):
        super().__init__(*args, figures=figures, **kwargs)
        self.order = order
        self.amounts = line_amounts(order)
        self.lines.choices = [
            (str(item.id), f"{item.quantity}\u00d7 {item.name} \u00b7 {rupiah(self.amounts[item.id])}")
            for item in order.items
            if item.id not in figures.refunded_lines
        ]

    def _beyond(self, amount: int) -> None:
        if amount > self.figures.left:
            raise ValidationError(at_most(self.figures.left))

    def validate_lines(self, field) -> None:
        if self.scope.data != LINES:
            return
        offered = {str(choice[0]) for choice in self.lines.choices or []}
        if not field.data:
            raise ValidationError(_l("Pilih baris yang dikembalikan."))
        if not set(field.data) <= offered:
            raise ValidationError(_l("Baris itu tidak ada di pesanan ini, atau sudah dikembalikan."))
        self._beyond(sum(self.amounts[int(key)] for key in field.data))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.scope.data == AMOUNT and self.amount.data is None and not self.amount.errors:
            self.amount.errors = [_("Tulis jumlah yang dikembalikan.")]  # left empty: Optional stopped its checks
            return False
        return valid

    def validate_amount(self, field) -> None:
        if self.scope.data != AMOUNT or field.data is None:  # not a number: already said
            return
        if field.data <= 0:
            raise ValidationError(_l("Jumlah harus lebih dari nol."))
        self._beyond(field.data)

    def asked(self) -> Ask:
        if self.scope.data == LINES:
            items = [item for item in self.order.items if str(item.id) in (self.lines.data or [])]
            return self.ask(sum(self.amounts[item.id] for item in items), lines=items)
        return self.ask((self.amount.data or 0) if self.scope.data == AMOUNT else self.figures.left)


# The order page may hold the refund form too: the fields of this one are named apart
# ("extra-reason"), so that no two elements of the page share an id.
EXTRA_PREFIX = "extra"


class ExtraRefundForm(RefundFields):
    """Money the order never asked for (a late or double payment) given back: all of it."""

    def asked(self) -> Ask:
        return self.ask(self.figures.extra, extra=True)


def refund_forms(order: Order) -> dict:
    """The order page's blank refund forms, each while there is money it can give back
    and the staff member may give refunds."""
    if order.bill_id is not None or not may_open("cashier.refund"):
        return {}
    figures = money(order)
    forms: dict = {"refunded": figures}
    if figures.left:
        forms["refund_form"] = RefundForm(formdata=None, order=order, figures=figures)
    if figures.extra and order.needs_attention:
        forms["extra_refund_form"] = ExtraRefundForm(formdata=None, prefix=EXTRA_PREFIX, figures=figures)
    return forms
