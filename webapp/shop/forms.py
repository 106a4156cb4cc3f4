"""WTForms for the customer pages. Every form carries a CSRF token (Flask-WTF)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..forms import WholeNumberField, strip
from ..models import PaymentMethod
from ..orders.cart import MAX_QUANTITY, NOTE_MAX_LENGTH
from ..request_guards import database_integer

QUANTITY_MESSAGE = _l("Jumlah harus angka 1 sampai %(max)s.", max=MAX_QUANTITY)
GROUP_FIELD_PREFIX = "group-"
NOTE_MESSAGE = _l("Catatan paling panjang %(max)s karakter.", max=NOTE_MAX_LENGTH)


class QuantityNoteForm(FlaskForm):
    """How many of an item, with a note for the kitchen."""

    quantity = WholeNumberField(
        _l("Jumlah"),
        invalid_message=QUANTITY_MESSAGE,
        default=1,
        validators=[InputRequired(QUANTITY_MESSAGE), NumberRange(1, MAX_QUANTITY, QUANTITY_MESSAGE)],
    )
    note = StringField(_l("Catatan"), filters=[strip], validators=[Length(max=NOTE_MAX_LENGTH, message=NOTE_MESSAGE)])


class AddToCartForm(QuantityNoteForm):
    item_id = WholeNumberField(
        _l("Menu"), invalid_message=_l("Menu tidak dikenal."), validators=[InputRequired(_l("Pilih menu."))]
    )


class CheckoutForm(FlaskForm):
    customer_name = StringField(
        _l("Nama"),
        filters=[strip],
        validators=[
            DataRequired(_l("Nama wajib diisi.")),
            Length(max=40, message=_l("Nama paling panjang 40 karakter.")),
        ],
    )
    table_label = StringField(
        _l("Meja"),
        filters=[strip],
        description=_l("Nomor meja, atau Bungkus untuk dibawa pulang."),
        validators=[Optional(), Length(max=20, message=_l("Meja paling panjang 20 karakter."))],
    )
    note = TextAreaField(
        _l("Catatan untuk dapur"),
        filters=[strip],
        validators=[Length(max=200, message=_l("Catatan paling panjang 200 karakter."))],
    )
    payment_method = RadioField(
        _l("Cara bayar"),
        choices=[
            (PaymentMethod.QRIS, _l("QRIS (semua e-wallet dan m-banking)")),
            (PaymentMethod.CASH, _l("Tunai di kasir")),
        ],
        validators=[InputRequired(_l("Pilih cara bayar."))],
    )
    checkout_token = HiddenField(validators=[Optional(), Length(max=64)])


class ChoiceForm(QuantityNoteForm):
    """An item with options: quantity and note here; the chosen options come as
    `group-<group id>` fields (radios or checkboxes), read by `chosen_option_ids`."""


def chosen_option_ids(formdata) -> list[int] | None:
    """The option ids of the `group-*` fields, or None if one is not an option id."""
    ids = []
    for key in formdata:
        if key.startswith(GROUP_FIELD_PREFIX):
            for value in formdata.getlist(key):
                try:
                    ids.append(database_integer(value))
                except ValueError:
                    return None
    return ids
