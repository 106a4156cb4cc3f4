"""The till's discount forms (Flask-WTF, with CSRF): the cashier's voucher and staff's
discount (webapp/discount_forms.py), and what the side column shows of them (those
posted, with their errors, or blank ones)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length

from ..access import may_open
from ..discount_forms import ON_ORDER, StaffDiscountForm, Target
from ..discounts.vouchers import CODE_LENGTH
from ..forms import strip
from ..menu.listing import localized
from ..models import DiscountSource
from ..till.draft_pricing import DraftPricing


class TillVoucherForm(FlaskForm):
    """A voucher's code (empty: no voucher)."""

    voucher = StringField(
        _l("Kode voucher"),
        filters=[strip],
        validators=[Length(max=CODE_LENGTH, message=_l("Kode voucher paling panjang 20 karakter."))],
    )


def targets(pricing: DraftPricing) -> list[Target]:
    """Where staff's discount can go: the whole order (what its lines come to after their
    own discounts and the voucher), or a line that can be ordered (after its promotion)."""
    priced = pricing.priced
    voucher_off = sum(
        off
        for given, off in zip(priced.on_order, priced.order_offs, strict=True)
        if given.source == DiscountSource.VOUCHER
    )
    lines = [
        Target(line.line.line_id, f"{line.line.quantity}\u00d7 {localized(line.item)}", line.line_total - line.offs[0])
        for line in priced.lines
        if line.item is not None and line.problem is None
    ]
    return [Target(ON_ORDER, _("Seluruh pesanan"), priced.spend - voucher_off), *lines]


def discount_forms(pricing: DraftPricing, posted: dict) -> dict:
    """The side column's discount forms: `posted` ones (with their errors) as they were,
    else as the draft holds them; the voucher's refusal, if the draft's is not taken;
    staff's discounts given, by line id (ON_ORDER: the order's)."""
    voucher_form = posted.get("voucher_form")
    if voucher_form is None:
        voucher_form = TillVoucherForm(formdata=None)
        voucher_form.voucher.data = pricing.voucher
        if pricing.voucher_error:
            voucher_form.voucher.errors = [pricing.voucher_error]
    given = {**pricing.staff_lines, **({ON_ORDER: pricing.staff_order} if pricing.staff_order else {})}
    where = targets(pricing)
    blank = StaffDiscountForm(formdata=None, targets=where) if may_open("till.give_discount") else None
    return {
        "pricing": pricing,
        "voucher_form": voucher_form,
        "discount_form": posted.get("discount_form") or blank,
        "staff_given": {key: discount for key, discount in given.items() if key in {t.key for t in where}},
        "discount_targets": {target.key: target for target in where},
    }
