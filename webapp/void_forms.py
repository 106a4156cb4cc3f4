"""The form staff void with on the cashier's order page (Flask-WTF, with CSRF): the whole
order or one of its lines (and how many of it), a reason, and, once the order is paid
or the kitchen has it, a manager's approval on the same device (forms.ApprovalForm)."""

from __future__ import annotations

import re
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from .access import may_open
from .forms import ApprovalForm, strip
from .models import Order
from .orders.voiding import Wanted, approval_needed, needs_approval, refusal

WHOLE = "order"  # the target that is the whole order; a line's is its id
_DIGITS = re.compile(r"[0-9]{1,9}")  # a line's id or a quantity: ASCII digits, as many as an integer column holds


# The order page also holds the discount or the refund form: the void form's fields are
# named apart ("void-reason"), so that no two elements of the page share an id (a label
# would name the other form's field).
VOID_PREFIX = "void"


class VoidForm(ApprovalForm):
    target = SelectField(_l("Yang dibatalkan"), validate_choice=False)
    quantity = StringField(
        _l("Jumlah"), filters=[strip], description=_l("kosongkan untuk seluruh baris"), validators=[Length(max=3)]
    )
    reason = StringField(
        _l("Alasan"),
        filters=[strip],
        description=_l("mis. salah input, pelanggan batal"),
        validators=[
            DataRequired(_l("Tulis alasan pembatalan.")),
            Length(max=80, message=_l("Paling panjang 80 karakter.")),
        ],
    )

    def __init__(self, *args, order: Order, **kwargs):
        super().__init__(*args, **kwargs)
        self.order = order
        lines = [(str(item.id), f"{item.quantity}\u00d7 {item.name}") for item in order.items]
        self.target.choices = [(WHOLE, _("Seluruh pesanan")), *lines]

    @property
    def approval_hint(self) -> str:
        return _("Perlu setelah pesanan dibayar atau sudah di dapur.")

    def _lines(self) -> dict[int, int] | None:
        """{line id: quantity} for a line, None for the whole order; {} with the reason on
        its field when neither can be read."""
        if self.target.data == WHOLE:
            return None
        if not _DIGITS.fullmatch(self.target.data or ""):
            self.target.errors = [_("Pilih seluruh pesanan atau satu baris.")]
            return {}
        item_id, typed = int(self.target.data), self.quantity.data or ""
        if not typed:
            line = next((item for item in self.order.items if item.id == item_id), None)
            return {item_id: line.quantity if line else 1}
        if not _DIGITS.fullmatch(typed) or int(typed) < 1:
            self.quantity.errors = [_("Tulis jumlah 1 atau lebih.")]
            return {}
        return {item_id: int(typed)}

    def wanted(self, actor: str, now: datetime) -> Wanted | None:
        """What to void, once the form has validated; None, with the reason on its field.
        A manager's PIN is checked when the order needs it (or one was given)."""
        lines = self._lines()
        if lines == {}:
            return None
        approver: str | None = ""
        if needs_approval(self.order) or self.approval_given():
            approver = self.approved_by(now, approval_needed(self.order))
        if approver is None:
            return None
        return Wanted(lines, self.reason.data or "", actor, approver)


def order_void_form(order: Order) -> VoidForm | None:
    """The order page's blank void form, while something of the order can be voided and
    the staff member voids."""
    if refusal(order) is not None or not may_open("cashier.void_order"):
        return None
    return VoidForm(formdata=None, prefix=VOID_PREFIX, order=order)
