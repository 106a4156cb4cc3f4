"""The till's forms (Flask-WTF, with CSRF): where the order is eaten and for whom, and
what a payment button sends along (the version of the draft and the total it showed)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, ValidationError
from wtforms.validators import InputRequired, Length, Optional

from ..cashier.forms import CashForm
from ..forms import hidden_number, strip
from ..models import DiningTable, OrderType
from ..till.ringing import Place

NAME_MAX_LENGTH = 40


class PlaceForm(FlaskForm):
    """Takeaway, or a table of the floor; the customer's name, if given. A table order
    without a table yet is kept as it is: placing it asks for one."""

    order_type = RadioField(
        _l("Pesanan untuk"),
        choices=[(OrderType.TAKEAWAY, _l("Bungkus")), (OrderType.DINE_IN, _l("Makan di sini"))],
        validators=[InputRequired(_l("Pilih bungkus atau makan di sini."))],
    )
    table_id = SelectField(_l("Meja"), validate_choice=False, validators=[Optional()])
    customer_name = StringField(
        _l("Nama pelanggan (boleh kosong)"),
        filters=[strip],
        validators=[Length(max=NAME_MAX_LENGTH, message=_l("Nama paling panjang 40 karakter."))],
    )

    def __init__(self, *args, tables: list[DiningTable], **kwargs):
        super().__init__(*args, **kwargs)
        self.tables = {str(table.id): table for table in tables}
        self.table_id.choices = [("", _("Pilih meja"))] + [
            (str(table.id), f"{table.label} ({table.area})" if table.area else table.label) for table in tables
        ]

    def validate_table_id(self, field) -> None:
        if field.data and field.data not in self.tables:
            raise ValidationError(_l("Meja itu tidak ada atau sedang tidak dipakai: pilih dari daftar."))

    def place(self) -> Place:
        """Where and for whom, once the form has validated."""
        order_type = OrderType(self.order_type.data)
        table = self.tables.get(self.table_id.data or "") if order_type == OrderType.DINE_IN else None
        return Place(order_type, table.id if table else None, self.customer_name.data or "")

    @classmethod
    def showing(cls, place: Place, tables: list[DiningTable]) -> "PlaceForm":
        """The form as the till holds it now."""
        form = cls(formdata=None, tables=tables)
        form.order_type.data = place.order_type.value
        form.table_id.data = str(place.table_id) if place.table_id else ""
        form.customer_name.data = place.customer_name
        return form


class SaleFields:
    """What every payment button sends: the version of the draft the page showed (it
    names the order, so a double tap places one) and the total it showed."""

    version = HiddenField()
    shown_total = HiddenField()

    def seen_version(self) -> int | None:
        return hidden_number(self.version.data)

    def total_shown(self) -> int | None:
        return hidden_number(self.shown_total.data)


class SaleForm(SaleFields, FlaskForm):
    """QRIS, the table's bill, or the counter."""


class TillCashForm(SaleFields, CashForm):
    """ "Bayar tunai": the cashier's cash form (the amount tendered, or a quick amount)
    for the total the till showed."""
