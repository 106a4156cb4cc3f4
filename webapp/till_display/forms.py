from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ..forms import strip


class PairingForm(FlaskForm):
    """The code the till shows, typed on the display device."""

    code = StringField(
        _l("Kode dari kasir"),
        filters=[strip],
        description=_l("Enam angka yang tampil di layar kasir."),
        validators=[DataRequired(_l("Ketik kode dari kasir.")), Length(max=20, message=_l("Kode itu salah."))],
    )
