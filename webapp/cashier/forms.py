from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..orders.forms import WholeNumberField


class CashForm(FlaskForm):
    """The amount tendered: typed, or one of the quick buttons (`quick`)."""

    tendered = WholeNumberField(
        _l("Uang diterima (Rp)"),
        invalid_message=_l("Tulis jumlah uang dalam rupiah, tanpa titik."),
        validators=[Optional(), NumberRange(min=1, max=100_000_000, message=_l("Jumlah tidak masuk akal."))],
    )
    quick = IntegerField(validators=[Optional(), NumberRange(min=1, max=100_000_000)])

    def amount(self) -> int | None:
        return self.quick.data or self.tendered.data


class CancelForm(FlaskForm):
    reason = StringField(
        _l("Alasan pembatalan"),
        validators=[DataRequired(_l("Alasan wajib diisi.")),
                    Length(max=200, message=_l("Alasan paling panjang 200 karakter."))],
    )
