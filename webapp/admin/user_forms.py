"""Forms of the staff accounts page (each carries a CSRF token, as every form does)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, StringField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Regexp

from ..forms import strip
from ..labels import ROLE
from ..models import Role
from ..staff.accounts import MIN_PASSWORD_LENGTH, USERNAME_MAX_LENGTH

PASSWORD_MESSAGE = _l("Kata sandi paling sedikit %(min)s karakter.", min=MIN_PASSWORD_LENGTH)


def _role_field() -> RadioField:
    return RadioField(
        _l("Peran"),
        choices=[(role.value, ROLE[role]) for role in Role],
        default=Role.CASHIER.value,
        validate_choice=False,  # AnyOf below says it in the shop's words
        validators=[
            InputRequired(_l("Pilih peran.")),
            AnyOf([role.value for role in Role], _l("Pilih peran yang ada.")),
        ],
    )


def _password_field(label) -> PasswordField:
    return PasswordField(
        label,
        validators=[DataRequired(PASSWORD_MESSAGE), Length(min=MIN_PASSWORD_LENGTH, max=200, message=PASSWORD_MESSAGE)],
    )


class NewUserForm(FlaskForm):
    username = StringField(
        _l("Nama pengguna"),
        filters=[strip],
        description=_l("Huruf kecil, angka, titik atau garis bawah; dipakai untuk masuk."),
        validators=[
            DataRequired(_l("Isi nama pengguna.")),
            Length(max=USERNAME_MAX_LENGTH, message=_l("Paling panjang %(max)s karakter.", max=USERNAME_MAX_LENGTH)),
            Regexp(r"^[A-Za-z0-9._]+$", message=_l("Hanya huruf, angka, titik atau garis bawah.")),
        ],
    )
    role = _role_field()
    password = _password_field(_l("Kata sandi awal"))


class RoleForm(FlaskForm):
    role = _role_field()


class PasswordForm(FlaskForm):
    password = _password_field(_l("Kata sandi baru"))
