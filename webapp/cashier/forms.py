from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..forms import WholeNumberField


class CashForm(FlaskForm):
    """The amount tendered for an order of `total` rupiah: typed, or one of the quick
    buttons (`quick`, which wins: it is what the cashier pressed)."""

    tendered = WholeNumberField(
        _l("Uang diterima (Rp)"),
        invalid_message=_l("Tulis jumlah uang dalam rupiah, tanpa titik."),
        validators=[Optional(), NumberRange(min=1, max=100_000_000, message=_l("Jumlah tidak masuk akal."))],
    )
    quick = IntegerField(validators=[Optional(), NumberRange(min=1, max=100_000_000)])

    def __init__(self, *args, total: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.total = total

    def amount(self) -> int | None:
        return self.quick.data or self.tendered.data

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        amount = self.amount()
        if amount is None:
            problem = _l("Tulis uang yang diterima, atau pilih tombol cepat.")
        elif amount < self.total:
            problem = _l("Uang diterima kurang dari total.")
        else:
            return True
        self.tendered.errors = [*self.tendered.errors, problem]
        return False


class CancelForm(FlaskForm):
    reason = StringField(
        _l("Alasan pembatalan"),
        validators=[
            DataRequired(_l("Alasan wajib diisi.")),
            Length(max=200, message=_l("Alasan paling panjang 200 karakter.")),
        ],
    )
