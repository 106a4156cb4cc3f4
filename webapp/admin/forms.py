from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import WholeNumberField
from ..request_guards import database_integer


def _strip(value):
    return " ".join(value.split()) if isinstance(value, str) else value


ENGLISH_HINT = _l("Opsional: tampil di halaman berbahasa Inggris.")

PICK_CATEGORY = _l("Pilih kategori.")


class CategoryField(SelectField):
    """The item's category, by id. Whether it exists is checked when saving (a
    MenuError); what is not an id an integer column can hold is refused here."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, coerce=database_integer, validate_choice=False, **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(str(PICK_CATEGORY)) from exc


class CategoryForm(FlaskForm):
    name = StringField(
        _l("Nama kategori"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Nama wajib diisi.")),
            Length(max=60, message=_l("Nama paling panjang 60 karakter.")),
        ],
    )
    name_en = StringField(
        _l("Nama dalam bahasa Inggris"),
        filters=[_strip],
        description=ENGLISH_HINT,
        validators=[Length(max=60, message=_l("Nama paling panjang 60 karakter."))],
    )


class ItemForm(FlaskForm):
    category_id = CategoryField(_l("Kategori"), validators=[InputRequired(PICK_CATEGORY)])
    name = StringField(
        _l("Nama menu"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Nama wajib diisi.")),
            Length(max=80, message=_l("Nama paling panjang 80 karakter.")),
        ],
    )
    description = TextAreaField(
        _l("Keterangan"),
        filters=[_strip],
        validators=[Length(max=200, message=_l("Keterangan paling panjang 200 karakter."))],
    )
    name_en = StringField(
        _l("Nama dalam bahasa Inggris"),
        filters=[_strip],
        description=ENGLISH_HINT,
        validators=[Length(max=80, message=_l("Nama paling panjang 80 karakter."))],
    )
    description_en = TextAreaField(
        _l("Keterangan dalam bahasa Inggris"),
        filters=[_strip],
        description=ENGLISH_HINT,
        validators=[Length(max=200, message=_l("Keterangan paling panjang 200 karakter."))],
    )
    price = WholeNumberField(
        _l("Harga (Rp)"),
        invalid_message=_l("Harga harus bilangan bulat rupiah, tanpa titik."),
        validators=[
            InputRequired(_l("Harga wajib diisi.")),
            NumberRange(min=1, max=100_000_000, message=_l("Harga harus lebih dari 0.")),
        ],
    )
    available = BooleanField(_l("Tersedia"), default=True)


class OptionGroupForm(FlaskForm):
    name = StringField(
        _l("Nama grup"),
        filters=[_strip],
        description=_l("Mis. Level pedas, Tambahan, Ukuran."),
        validators=[
            DataRequired(_l("Nama wajib diisi.")),
            Length(max=60, message=_l("Nama paling panjang 60 karakter.")),
        ],
    )
    name_en = StringField(
        _l("Nama dalam bahasa Inggris"),
        filters=[_strip],
        description=ENGLISH_HINT,
        validators=[Length(max=60, message=_l("Nama paling panjang 60 karakter."))],
    )
    min_choices = WholeNumberField(
        _l("Minimal dipilih"),
        default=0,
        description=_l("0: boleh tidak memilih."),
        validators=[
            InputRequired(_l("Minimal wajib diisi.")),
            NumberRange(min=0, max=20, message=_l("Minimal antara 0 dan 20.")),
        ],
    )
    max_choices = WholeNumberField(
        _l("Maksimal dipilih"),
        default=1,
        validators=[
            InputRequired(_l("Maksimal wajib diisi.")),
            NumberRange(min=1, max=20, message=_l("Maksimal antara 1 dan 20.")),
        ],
    )


class OptionForm(FlaskForm):
    name = StringField(
        _l("Nama pilihan"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Nama wajib diisi.")),
            Length(max=60, message=_l("Nama paling panjang 60 karakter.")),
        ],
    )
    name_en = StringField(
        _l("Nama dalam bahasa Inggris"),
        filters=[_strip],
        description=ENGLISH_HINT,
        validators=[Length(max=60, message=_l("Nama paling panjang 60 karakter."))],
    )
    price_diff = WholeNumberField(
        _l("Tambahan harga (Rp)"),
        default=0,
        invalid_message=_l("Tambahan harga harus bilangan bulat rupiah, tanpa titik."),
        validators=[
            InputRequired(_l("Tambahan harga wajib diisi (0 bila gratis).")),
            NumberRange(min=0, max=100_000_000, message=_l("Tambahan harga tidak boleh negatif.")),
        ],
    )
    available = BooleanField(_l("Tersedia"), default=True)


class ItemOptionGroupsForm(FlaskForm):
    """Which option groups an item has; the choices are every group there is."""

    groups = SelectMultipleField(
        _l("Grup pilihan"),
        coerce=database_integer,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
