"""Forms of the table's bill pages (each carries a CSRF token, as every form does)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from ..bills.bill_splits import MAX_SHARES
from ..forms import WholeNumberField, strip

PAYERS_MESSAGE = _l("Bagi untuk 2 sampai %(max)s orang.", max=MAX_SHARES)


class EvenSplitForm(FlaskForm):
    payers = WholeNumberField(
        _l("Dibagi rata untuk berapa orang?"),
        invalid_message=PAYERS_MESSAGE,
        default=2,
        validators=[InputRequired(PAYERS_MESSAGE), NumberRange(2, MAX_SHARES, PAYERS_MESSAGE)],
    )


class JoinForm(FlaskForm):
    """Joining an item split under one's name."""

    name = StringField(
        _l("Nama Anda"),
        filters=[strip],
        validators=[
            DataRequired(_l("Nama wajib diisi.")),
            Length(max=40, message=_l("Nama paling panjang 40 karakter.")),
        ],
    )


class ClaimForm(FlaskForm):
    """One portion of an order line ("I had this one"), or giving it back."""

    item = WholeNumberField(validators=[InputRequired()])
    unit = WholeNumberField(validators=[InputRequired(), NumberRange(1, 99)])
    action = RadioField(choices=[("claim", "claim"), ("unclaim", "unclaim")], validators=[InputRequired()])
