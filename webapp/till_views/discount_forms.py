"""The till's discount forms (Flask-WTF, with CSRF): the cashier's voucher, and what the
side column shows of them (those posted, with their errors, or blank ones)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length

from ..discounts.vouchers import CODE_LENGTH
from ..forms import strip
from ..till.draft_pricing import DraftPricing


class TillVoucherForm(FlaskForm):
    """A voucher's code (empty: no voucher)."""

    voucher = StringField(
        _l("Kode voucher"),
        filters=[strip],
        validators=[Length(max=CODE_LENGTH, message=_l("Kode voucher paling panjang 20 karakter."))],
    )


def discount_forms(pricing: DraftPricing, posted: dict) -> dict:
    """The side column's discount forms: `posted` ones (with their errors) as they were,
    else as the draft holds them; the voucher's refusal, if the draft's is not taken."""
    voucher_form = posted.get("voucher_form")
    if voucher_form is None:
        voucher_form = TillVoucherForm(formdata=None)
        voucher_form.voucher.data = pricing.voucher
        if pricing.voucher_error:
            voucher_form.voucher.errors = [pricing.voucher_error]
    return {"pricing": pricing, "voucher_form": voucher_form}
