"""The form staff give a discount with, at the till and on the cashier's order page
(Flask-WTF, with CSRF): on a line or the whole order, a percentage or rupiah, a reason,
and above the limit a manager's approval on the same device (forms.ApprovalForm). A
rupiah discount above what it would be taken off is refused, as is one above 100%."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from .access import may_open
from .discounts import manual
from .discounts.given import Given
from .formatting import rupiah
from .forms import ApprovalForm, DiscountFields, strip
from .models import Order, OrderStatus
from .orders.discounting import discountable

ON_ORDER = "order"  # the target that is the whole order; a line's is its own key


@dataclass(frozen=True)
class Target:
    """Where a discount can go: `key` (ON_ORDER, or a line's), its words, and the rupiah
    it would be taken off."""

    key: str
    label: str
    base: int


class StaffDiscountForm(DiscountFields, ApprovalForm):
    target = SelectField(_l("Diskon untuk"))
    reason = StringField(
        _l("Alasan"),
        filters=[strip],
        description=_l("mis. pelanggan tetap, makanan terlambat"),
        validators=[
            DataRequired(_l("Tulis alasan diskon.")),
            Length(max=80, message=_l("Paling panjang 80 karakter.")),
        ],
    )

    def __init__(self, *args, targets: list[Target], **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = {target.key: target for target in targets}
        self.target.choices = [(target.key, target.label) for target in targets]

    def given(self, actor: str, now: datetime) -> Given | None:
        """The discount to give, once the form has validated: within what it is taken off,
        approved by a manager when above the limit; None, with the reason on its field."""
        discount, target = self.discount(), self.targets[self.target.data]
        if (why := manual.beyond(discount, target.base, target.key != ON_ORDER)) is not None:
            self.value.errors = [why]
            return None
        approver = (
            self.approved_by(now, approval_needed())
            if manual.needs_approval(discount, discount.off(target.base))
            else ""
        )
        if approver is None:
            return None
        return manual.by_staff(discount, self.reason.data or "", actor, approver)

    @property
    def approval_hint(self) -> str:
        return _("Perlu untuk diskon di atas %(limits)s.", limits=limits())


def limits() -> str:
    """ "20% atau Rp50.000": the limit above which a discount needs a manager."""
    config = current_app.config
    return _(
        "%(percent)s%% atau %(amount)s",
        percent=config["DISCOUNT_APPROVAL_PERCENT"],
        amount=rupiah(config["DISCOUNT_APPROVAL_AMOUNT"]),
    )


def approval_needed() -> str:
    return _("Diskon di atas %(limits)s perlu persetujuan manajer: pilih manajer, lalu ketik PIN-nya.", limits=limits())


def order_targets(order: Order) -> list[Target]:
    """Where staff's discount can go on a placed order: the whole order, or one of its lines."""
    lines = [
        Target(str(item.id), f"{item.quantity}\u00d7 {item.name}", discountable(order, item)) for item in order.items
    ]
    return [Target(ON_ORDER, _("Seluruh pesanan"), discountable(order, None)), *lines]


def order_discount_form(order: Order) -> StaffDiscountForm | None:
    """The cashier's order page's blank discount form, while the order may get one: it
    waits for its payment, is not on a table's bill, and the staff member gives discounts."""
    if order.status != OrderStatus.AWAITING_PAYMENT or order.bill_id is not None:
        return None
    return StaffDiscountForm(formdata=None, targets=order_targets(order)) if may_open("cashier.give_discount") else None
