from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from ..orders.forms import WholeNumberField


def _strip(value):
    return " ".join(value.split()) if isinstance(value, str) else value


class CategoryForm(FlaskForm):
    name = StringField("Nama kategori", filters=[_strip], validators=[
        DataRequired("Nama wajib diisi."), Length(max=60, message="Nama paling panjang 60 karakter.")])


class ItemForm(FlaskForm):
    category_id = SelectField("Kategori", coerce=int, validate_choice=False,
                              validators=[InputRequired("Pilih kategori.")])
    name = StringField("Nama menu", filters=[_strip], validators=[
        DataRequired("Nama wajib diisi."), Length(max=80, message="Nama paling panjang 80 karakter.")])
    description = TextAreaField("Keterangan", filters=[_strip], validators=[
        Length(max=200, message="Keterangan paling panjang 200 karakter.")])
    price = WholeNumberField("Harga (Rp)", invalid_message="Harga harus bilangan bulat rupiah, tanpa titik.",
                             validators=[InputRequired("Harga wajib diisi."),
                                         NumberRange(min=1, max=100_000_000, message="Harga harus lebih dari 0.")])
    available = BooleanField("Tersedia", default=True)
