"""WTForms for the customer pages. Every form carries a CSRF token (Flask-WTF)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..discounts.vouchers import CODE_LENGTH
from ..forms import strip
from ..models import DiningTable, OrderType, PaymentMethod
from ..tables.registry import active_table


class CheckoutForm(FlaskForm):
    customer_name = StringField(
        _l("Nama"),
        filters=[strip],
        validators=[
            DataRequired(_l("Nama wajib diisi.")),
            Length(max=40, message=_l("Nama paling panjang 40 karakter.")),
        ],
    )
    order_type = RadioField(
        _l("Makan di mana?"),
        choices=[(OrderType.DINE_IN, _l("Makan di sini")), (OrderType.TAKEAWAY, _l("Bungkus, dibawa pulang"))],
        validators=[InputRequired(_l("Pilih makan di sini atau bungkus."))],
    )
    table_id = SelectField(_l("Meja"), choices=[], validators=[Optional()])
    note = TextAreaField(
        _l("Catatan untuk dapur"),
        filters=[strip],
        validators=[Length(max=200, message=_l("Catatan paling panjang 200 karakter."))],
    )
    # Required unless the order goes on the table's bill (`payment_for`).
    payment_method = RadioField(
        _l("Cara bayar"),
        choices=[
            (PaymentMethod.QRIS, _l("QRIS (semua e-wallet dan m-banking)")),
            (PaymentMethod.CASH, _l("Tunai di kasir")),
        ],
        validate_choice=False,
    )
    voucher = StringField(
        _l("Kode voucher (jika ada)"),
        filters=[strip],
        validators=[Length(max=CODE_LENGTH, message=_l("Kode voucher paling panjang 20 karakter."))],
    )
    checkout_token = HiddenField(validators=[Optional(), Length(max=64)])
    # "1" once checkout found the table's bill being paid: this order is paid now.
    pay_now = HiddenField(validators=[Optional(), Length(max=1)])
    # The total the order button showed (for the order type chosen when it was shown).
    shown_total = HiddenField(validators=[Optional(), Length(max=12)])

    def total_shown(self) -> int | None:
        """The total the customer agreed to by pressing the button, if the form says."""
        value = self.shown_total.data or ""
        return int(value) if value.isascii() and value.isdigit() and len(value) <= 12 else None

    def offer_places(self, scanned: DiningTable | None, tables: list[DiningTable] | None) -> None:
        """Which places the form offers: a scanned table needs no choosing; without one,
        dine-in needs a table from `tables` (the list, when the restaurant offers it),
        else only takeaway is offered."""
        if scanned is not None or tables is None:
            del self.table_id
        else:
            self.table_id.choices = [("", _("Pilih meja"))] + [
                (str(table.id), f"{table.label} ({table.area})" if table.area else table.label) for table in tables
            ]
        self.offered = [OrderType.DINE_IN, OrderType.TAKEAWAY]
        if scanned is None and tables is None:
            self.order_type.choices = [(OrderType.TAKEAWAY, _l("Bungkus, dibawa pulang"))]
            self.offered = [OrderType.TAKEAWAY]
        if self.order_type.data is None:
            self.order_type.data = OrderType.DINE_IN if scanned is not None else OrderType.TAKEAWAY

    def pays_later(self, pay_later_offered: bool) -> bool:
        """Whether this order goes on the table's bill: the restaurant lets dine-in pay
        later, the customer eats here, and the table's bill is not being paid."""
        return pay_later_offered and self.order_type.data == OrderType.DINE_IN and self.pay_now.data != "1"

    def payment_for(self, pay_later_offered: bool) -> PaymentMethod | None:
        """How the order is paid: on the table's bill, or as the customer chose; None,
        with an error on the field, when a choice was needed and none was made."""
        if self.pays_later(pay_later_offered):
            return PaymentMethod.BILL
        if self.payment_method.data in (PaymentMethod.QRIS, PaymentMethod.CASH):
            return PaymentMethod(self.payment_method.data)
        self.payment_method.errors = [_("Pilih cara bayar.")]
        return None

    def place(self, scanned: DiningTable | None) -> tuple[OrderType, DiningTable | None] | None:
        """The validated form's order type and table; None, with an error on the table
        field, when dine-in names no table that takes orders."""
        order_type = OrderType(self.order_type.data)
        if order_type == OrderType.TAKEAWAY:
            return order_type, None
        if scanned is not None:
            return order_type, scanned
        chosen = self.table_id.data if "table_id" in self else ""
        table = active_table(int(chosen)) if chosen and chosen.isascii() and chosen.isdigit() else None
        if table is None:
            if "table_id" in self:
                self.table_id.errors = [_("Pilih meja, atau pilih bungkus.")]
            return None
        return order_type, table
