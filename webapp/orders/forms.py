"""WTForms for the customer pages. Every form carries a CSRF token (Flask-WTF)."""
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..models import PaymentMethod
from .cart import MAX_QUANTITY, NOTE_MAX_LENGTH

QUANTITY_MESSAGE = f"Jumlah harus angka 1 sampai {MAX_QUANTITY}."


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class WholeNumberField(IntegerField):
    """An IntegerField whose "not a number" error speaks to the customer."""

    def __init__(self, label=None, validators=None, invalid_message="Harus angka.", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(self.invalid_message) from exc


class AddToCartForm(FlaskForm):
    item_id = WholeNumberField(
        "Menu", invalid_message="Menu tidak dikenal.", validators=[InputRequired("Pilih menu.")]
    )
    quantity = WholeNumberField(
        "Jumlah",
        invalid_message=QUANTITY_MESSAGE,
        default=1,
        validators=[InputRequired(QUANTITY_MESSAGE), NumberRange(1, MAX_QUANTITY, QUANTITY_MESSAGE)],
    )
    note = StringField(
        "Catatan",
        filters=[_strip],
        validators=[Length(max=NOTE_MAX_LENGTH, message=f"Catatan paling panjang {NOTE_MAX_LENGTH} karakter.")],
    )


class LineNoteForm(FlaskForm):
    note = StringField(
        "Catatan",
        filters=[_strip],
        validators=[Length(max=NOTE_MAX_LENGTH, message=f"Catatan paling panjang {NOTE_MAX_LENGTH} karakter.")],
    )


class CheckoutForm(FlaskForm):
    customer_name = StringField(
        "Nama",
        filters=[_strip],
        validators=[
            DataRequired("Nama wajib diisi."),
            Length(max=40, message="Nama paling panjang 40 karakter."),
        ],
    )
    table_label = StringField(
        "Meja",
        filters=[_strip],
        description="Nomor meja, atau Bungkus untuk dibawa pulang.",
        validators=[Optional(), Length(max=20, message="Meja paling panjang 20 karakter.")],
    )
    note = TextAreaField(
        "Catatan untuk dapur",
        filters=[_strip],
        validators=[Length(max=200, message="Catatan paling panjang 200 karakter.")],
    )
    payment_method = RadioField(
        "Cara bayar",
        choices=[
            (PaymentMethod.QRIS.value, "QRIS (semua e-wallet dan m-banking)"),
            (PaymentMethod.CASH.value, "Tunai di kasir"),
        ],
        validators=[InputRequired("Pilih cara bayar.")],
    )
    checkout_token = HiddenField(validators=[Optional(), Length(max=64)])
