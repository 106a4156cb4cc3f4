from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from ..forms import strip
from ..request_guards import database_integer


class StationForm(FlaskForm):
    name = StringField(
        _l("Nama stasiun"),
        filters=[strip],
        validators=[DataRequired(_l("Nama wajib diisi.")), Length(max=40, message=_l("Paling panjang 40 karakter."))],
    )
    printer = StringField(
        _l("Printer (opsional)"),
        filters=[strip],
        description=_l("host:port printer ESC/POS di jaringan, misalnya 192.168.1.50:9100."),
        validators=[Length(max=120, message=_l("Paling panjang 120 karakter."))],
    )


class AssignForm(FlaskForm):
    """Which station cooks one category (0: none)."""

    station = SelectField(_l("Stasiun"), coerce=database_integer)
