from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, StringField, ValidationError
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..formatting import rupiah
from ..forms import RupiahField, strip
from ..models import CloseReason, DiningTable, Order
from ..shifts.drawer import NoOpenShift


class DrawerRefusal:
    """Mixed into a form that moves cash: refused for want of an open shift, the form
    says so on its `cash_field` and links to the drawer's page to open one."""

    cash_field = "tendered"
    drawer_refused = False  # no shift was open: the form links to the drawer's page
    drawer_to_open: str | None = None  # that drawer's till (its public id); None: the shop has no till yet

    def refuse_for_closed_drawer(self, refusal: NoOpenShift) -> None:
        field = getattr(self, self.cash_field)
        field.errors = [*(field.errors or []), str(refusal)]
        self.drawer_refused = True
        self.drawer_to_open = refusal.till


class CashForm(DrawerRefusal, FlaskForm):
    """The amount tendered for `total` rupiah (an order, a share of a table's bill, or
    what is left of it): typed, or one of the quick buttons (`quick`, which wins: it is
    what the cashier pressed)."""

    tendered = RupiahField(
        _l("Uang diterima (Rp)"),
        invalid_message=_l("Tulis jumlah uang dalam rupiah, misalnya 50.000."),
        validators=[Optional(), NumberRange(min=1, max=100_000_000, message=_l("Jumlah tidak masuk akal."))],
    )
    quick = IntegerField(validators=[Optional(), NumberRange(min=1, max=100_000_000)])

    def __init__(self, *args, total: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.total = total

    def amount(self) -> int | None:
        return self.quick.data or self.tendered.data

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        amount = self.amount()
        if amount is None:
            problem = _l("Tulis uang yang diterima, atau pilih tombol cepat.")
        elif amount < self.total:
            problem = _(
                "Uang diterima kurang %(short)s dari total %(total)s.",
                short=rupiah(self.total - amount),
                total=rupiah(self.total),
            )
        else:
            return True
        self.tendered.errors = [*self.tendered.errors, problem]
        return False


class CancelForm(FlaskForm):
    reason = StringField(
        _l("Alasan pembatalan"),
        id="cancel-reason",  # the order page holds the discount and void forms' reasons too
        validators=[
            DataRequired(_l("Alasan wajib diisi.")),
            Length(max=200, message=_l("Alasan paling panjang 200 karakter.")),
        ],
    )


class MoveOrderForm(FlaskForm):
    """Another table for an open dine-in order: one of `tables` (active, not its own)."""

    table = SelectField(_l("Pindah ke meja"), validate_choice=False)

    def __init__(self, *args, tables: list[DiningTable], **kwargs):
        super().__init__(*args, **kwargs)
        self.table.choices = [("", _("Pilih meja"))] + [(str(table.id), table.label) for table in tables]
        self.tables = {str(table.id): table for table in tables}

    def validate_table(self, field) -> None:
        if field.data not in self.tables:
            raise ValidationError(_l("Pilih meja tujuan dari daftar."))

    def chosen_table(self) -> DiningTable:
        """The table chosen, once the form has validated."""
        return self.tables[self.table.data]


class BillMoveForm(MoveOrderForm):
    """Which order of a table's bill moves, and where to."""

    order = SelectField(_l("Pesanan"), validate_choice=False)

    def __init__(self, *args, orders: list[Order], tables: list[DiningTable], **kwargs):
        super().__init__(*args, tables=tables, **kwargs)
        self.order.choices = [(order.public_id, f"{order.number} · {order.customer_name}") for order in orders]
        self.orders = {order.public_id: order for order in orders}

    def validate_order(self, field) -> None:
        if field.data not in self.orders:
            raise ValidationError(_l("Pilih pesanan dari daftar."))

    def chosen_order(self) -> Order:
        return self.orders[self.order.data]


# What a cashier may close a bill for (EMPTIED is the system's: its last order moved away).
CLOSE_REASONS = (CloseReason.WALK_OUT, CloseReason.COMPED, CloseReason.OTHER)


class CloseBillForm(FlaskForm):
    reason = RadioField(_l("Alasan menutup tagihan"), validate_choice=False)
    note = StringField(
        _l("Catatan"),
        filters=[strip],
        description=_l("Wajib untuk alasan lainnya."),
        validators=[Length(max=200, message=_l("Catatan paling panjang 200 karakter."))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.choices = [(reason.value, reason.label) for reason in CLOSE_REASONS]

    def validate_reason(self, field) -> None:
        if field.data not in {reason.value for reason in CLOSE_REASONS}:
            raise ValidationError(_l("Pilih alasan menutup tagihan."))

    def validate_note(self, field) -> None:
        if self.reason.data == CloseReason.OTHER and not field.data:
            raise ValidationError(_l("Tulis alasannya."))

    def close_reason(self) -> CloseReason:
        return CloseReason(self.reason.data)
