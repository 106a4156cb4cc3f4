"""The drawer's forms (Flask-WTF, with CSRF): opening a shift with its float, a pay-in or
pay-out with its reason, and closing with the drawer counted (a total, or notes and
coins), its note and, past the limit, a manager's approval. Amounts are typed as on
the cash page (`50000`, `50.000`, `50rb`)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..formatting import rupiah
from ..forms import ApprovalForm, RupiahField, WholeNumberField, hidden_number, strip
from ..models import CashKind
from ..shifts.drawer import DENOMINATIONS, MAX_AMOUNT, MAX_PIECES, Count, DrawerError, difference_limit

NOT_AN_AMOUNT = _l("Tulis jumlah dalam rupiah, misalnya 50000, 50.000 atau 50rb.")
NEGATIVE = _l("Jumlah tidak boleh negatif.")
TOO_LARGE = _l("Jumlah tidak masuk akal.")


def amount_field(label, *, at_least: int, required: str | None = None, **kwargs) -> RupiahField:
    """Rupiah typed by staff: at least `at_least`, at most MAX_AMOUNT, each bound its
    message (`required`: the message for a field left empty; None: may stay empty)."""
    below = NEGATIVE if at_least == 0 else _l("Jumlah harus lebih dari nol.")
    return RupiahField(
        label,
        invalid_message=NOT_AN_AMOUNT,
        validators=[
            InputRequired(required) if required else Optional(),
            NumberRange(min=at_least, message=below),
            NumberRange(max=MAX_AMOUNT, message=TOO_LARGE),
        ],
        **kwargs,
    )


class OpenShiftForm(FlaskForm):
    opening_float = amount_field(
        _l("Uang awal di laci (Rp)"),
        at_least=0,
        required=_l("Hitung uang di laci dan tulis jumlahnya (0 jika kosong)."),
        description=_l("Uang kembalian yang ada di laci saat shift dibuka."),
    )


class CashMoveForm(FlaskForm):
    """Cash put into the drawer or taken out of it, with why."""

    kind = RadioField(
        _l("Jenis"),
        choices=[(CashKind.PAY_OUT.value, _l("Uang keluar")), (CashKind.PAY_IN.value, _l("Uang masuk"))],
        default=CashKind.PAY_OUT.value,
        validate_choice=False,
    )
    amount = amount_field(_l("Jumlah (Rp)"), at_least=1, required=_l("Tulis jumlahnya."))
    reason = StringField(
        _l("Alasan"),
        filters=[strip],
        description=_l("Misalnya: beli es batu, tambah uang kecil."),
        validators=[
            DataRequired(_l("Tulis alasannya.")),
            Length(max=200, message=_l("Alasan paling panjang 200 karakter.")),
        ],
    )

    def validate_kind(self, field) -> None:
        if field.data not in (CashKind.PAY_OUT, CashKind.PAY_IN):
            raise ValidationError(_l("Pilih uang masuk atau uang keluar."))

    def cash_kind(self) -> CashKind:
        return CashKind(self.kind.data)


def pieces_field(value: int) -> WholeNumberField:
    return WholeNumberField(
        rupiah(value),
        invalid_message=_l("Tulis jumlah lembar atau keping."),
        validators=[
            Optional(),
            NumberRange(min=0, max=MAX_PIECES, message=_l("Jumlah lembar atau keping 0 sampai 9999.")),
        ],
    )


class CloseShiftForm(ApprovalForm):
    """The drawer counted (a total, or pieces of each note and coin: `n100000` ...
    `n100`), a note, a manager's approval when the difference is past the limit, and
    the version of the shift the page showed."""

    total = amount_field(_l("Total uang di laci (Rp)"), at_least=0)
    note = StringField(
        _l("Catatan"),
        filters=[strip],
        description=_l("Wajib jika selisih lebih dari batas, misalnya: kembalian salah."),
        validators=[Length(max=200, message=_l("Catatan paling panjang 200 karakter."))],
    )
    version = HiddenField()

    @property
    def approval_hint(self) -> str:
        return _("Perlu jika selisih lebih dari %(limit)s.", limit=rupiah(difference_limit()))

    def pieces(self):
        """The note and coin fields, largest first."""
        return [self[f"n{value}"] for value in DENOMINATIONS]

    def seen_version(self) -> int | None:
        return hidden_number(self.version.data)

    def validate(self, extra_validators=None) -> bool:
        """Each field, then: something was counted (a total, or pieces)."""
        if not super().validate(extra_validators):
            return False
        if self.total.data is not None or any(piece.data is not None for piece in self.pieces()):
            return True
        self.total.errors = [_l("Tulis total uang di laci, atau jumlah per pecahan.")]
        return False

    def count(self) -> Count:
        """What was counted, once the form has validated: by notes and coins when any is
        given (a total typed too must agree), else the total."""
        notes = {value: self[f"n{value}"].data for value in DENOMINATIONS if self[f"n{value}"].data is not None}
        if not notes:
            return Count.of_total(self.total.data or 0)
        count = Count.of_notes(notes)
        if self.total.data is not None and self.total.data != count.total:
            raise DrawerError(
                _("Total tidak sama dengan hitungan per pecahan (%(amount)s).", amount=rupiah(count.total)),
                "total",
            )
        return count


for _value in DENOMINATIONS:
    setattr(CloseShiftForm, f"n{_value}", pieces_field(_value))
