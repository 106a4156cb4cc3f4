"""Test data made the way the app makes it.

Every builder goes through the functions the views, the API and the CLI call: the menu
through the admin's menu editing, orders through a cart and `place_order`, QRIS
payments through the payment service against the sandbox, cash through
`orders.paying.confirm_cash`, partners and staff through their accounts modules. So a test
starts only from states the app can reach.

Import the module as a namespace, `from tests import factories as make`, and call
`make.order(menu)`, `make.qris_payment(menu)`, `make.partner()`: test bodies keep the
plain names (`order`, `payment`) for the rows they get back. `menu` is the fixture of
that name (menu items by name).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from webapp.billing.bill import Discount
from webapp.billing.settings import SettingsChange, save_settings
from webapp.bills import table_bills
from webapp.discounts import promotions, vouchers
from webapp.discounts.given import Given
from webapp.extensions import db
from webapp.menu import editing, option_editing
from webapp.models import (
    BillSettings,
    DiningTable,
    DiscountKind,
    DiscountSource,
    License,
    MenuItem,
    OptionGroup,
    Order,
    OrderType,
    Partner,
    Payment,
    PaymentMethod,
    PaymentTiming,
    PriceMode,
    Promotion,
    Role,
    RoundingDirection,
    Shift,
    TableBill,
    Till,
    User,
    Voucher,
)
from webapp.orders.cart import Cart, price_cart
from webapp.orders.paying import confirm_cash
from webapp.orders.placing import CustomerDetails, place_order
from webapp.partners import accounts as partners
from webapp.payments import qris_payments
from webapp.shifts import drawer
from webapp.staff import approvals
from webapp.staff.accounts import create_user
from webapp.tables import registry as tables
from webapp.till.settings import default_till

STAFF_PASSWORD = "rahasia-kasir-123"


def small_menu() -> dict[str, MenuItem]:
    """The menu most tests order from, as an admin enters it: Makanan (Nasi Goreng
    Rp25.000, Mie Ayam Rp22.000, Rendang Rp35.000 sold out) and Minuman (Es Teh Manis
    Rp5.000). Keyed by item name."""
    food, drinks = editing.save_category(None, "Makanan"), editing.save_category(None, "Minuman")
    items = [
        (food, "Nasi Goreng", 25000, "Pedas sedang", True),
        (food, "Mie Ayam", 22000, "", True),
        (food, "Rendang", 35000, "", False),
        (drinks, "Es Teh Manis", 5000, "", True),
    ]
    return {
        name: editing.save_item(
            None, category_id=category.id, name=name, description=description, price=price, available=available
        )
        for category, name, price, description, available in items
    }


# An order's lines: (menu item name, quantity) or (menu item name, quantity, note).
NASI_GORENG_AND_ES_TEH = (("Nasi Goreng", 1, "tidak pedas"), ("Es Teh Manis", 1))  # Rp30.000
TWO_NASI_GORENG = (("Nasi Goreng", 2),)  # Rp50.000


def order(
    menu,
    *,
    method: PaymentMethod | str = PaymentMethod.CASH,
    lines=NASI_GORENG_AND_ES_TEH,
    name: str = "Rina",
    table: str | None = "5",
    note: str = "",
    now: datetime | None = None,
    line_discounts: Mapping[int, Given] | None = None,
    on_order: Sequence[Given] = (),
) -> Order:
    """An order placed as checkout places it: the lines go into a cart, are priced from
    the menu and stored with the day's next number. Eaten at the table labelled
    `table` (made when missing, see `dining_table`), or taken away when it is None.
    Nothing is paid: see `paid_order` and `qris_payment`. Discounts given by staff, as
    the till gives them: `line_discounts` by the line's position, `on_order` off the
    whole order (see `given`)."""
    cart = Cart({})
    for item, quantity, *line_note in lines:
        cart.add(menu[item].id, quantity, *line_note)
    priced = price_cart(cart)
    if line_discounts or on_order:
        ids = [line.line.line_id for line in priced.lines]
        priced = priced.with_discounts({ids[at]: given for at, given in (line_discounts or {}).items()}, on_order)
    customer = CustomerDetails(
        name=name,
        note=note,
        payment_method=PaymentMethod(method),
        order_type=OrderType.TAKEAWAY if table is None else OrderType.DINE_IN,
        table=None if table is None else dining_table(table),
        seated=table is not None,  # as from a phone that scanned the table's QR
    )
    return place_order(priced, customer, now=now)


def given(
    *, percent: int = 0, amount: int = 0, reason: str = "pelanggan tetap", by: str = "cashier:sari", approver: str = ""
) -> Given:
    """A discount staff give: `percent` (whole percent) or `amount` rupiah, with a reason."""
    discount = Discount(DiscountKind.PERCENT, percent * 100) if percent else Discount(DiscountKind.AMOUNT, amount)
    return Given(DiscountSource.MANUAL, discount, reason, by, approver)


WEEKDAYS = 0b001_1111  # Monday to Friday


def promotion(
    menu,
    *,
    name: str = "Happy hour",
    percent: int = 20,
    amount: int = 0,
    days: int = WEEKDAYS,
    hours: tuple[int, int] = (15, 17),
    items: tuple[str, ...] = (),
    categories: tuple[str, ...] = ("Minuman",),
    active: bool = True,
) -> Promotion:
    """A promotion as the admin makes one: by default "Happy hour", 20% off Minuman on
    weekdays 15.00-17.00 (WIB); `amount` rupiah off instead of a percentage."""
    kind = DiscountKind.AMOUNT if amount else DiscountKind.PERCENT
    change = promotions.PromotionChange(
        name=name,
        kind=kind,
        value=amount or percent * 100,
        days=days,
        starts_at=hours[0] * 60,
        ends_at=hours[1] * 60,
        active=active,
        item_ids=[menu[item].id for item in items],
        category_ids=sorted({item.category_id for item in menu.values() if item.category.name in categories}),
    )
    return promotions.save_promotion(None, change, "cashier:budi")


def voucher(
    code: str = "HEMAT10",
    *,
    percent: int = 10,
    amount: int = 0,
    days: tuple[str, str] = ("2026-11-01", "2026-12-31"),
    uses: int = 100,
    min_spend: int = 0,
) -> Voucher:
    """A voucher as the admin makes one: by default HEMAT10, 10% off, valid all of
    November and December 2026, 100 uses, no minimum spend; `amount` rupiah off instead."""
    kind = DiscountKind.AMOUNT if amount else DiscountKind.PERCENT
    new = vouchers.NewVoucher(
        code, kind, amount or percent * 100, date.fromisoformat(days[0]), date.fromisoformat(days[1]), uses, min_spend
    )
    return vouchers.create_voucher(new, "cashier:budi")


def dining_table(label: str = "7", area: str = "") -> DiningTable:
    """The table labelled `label`, as an admin creates it (made when missing)."""
    return tables.find_by_label(label) or tables.save_table(None, label, area)


def paid_order(
    menu, *, tendered: int | None = None, cashier: str = "sari", now: datetime | None = None, **order_fields
) -> Order:
    """A cash order the cashier confirmed, handed `tendered` rupiah (by default the exact
    total)."""
    placed = order(menu, method=PaymentMethod.CASH, now=now, **order_fields)
    confirm_cash(placed, placed.total if tendered is None else tendered, f"cashier:{cashier}", now)
    return placed


def qris_payment(menu, *, lines=TWO_NASI_GORENG, now: datetime | None = None, **order_fields) -> Payment:
    """A QRIS order (two Nasi Goreng, Rp50.000, unless `lines` says) and its pending
    payment, its QR asked of the sandbox as checkout asks for it."""
    placed = order(menu, method=PaymentMethod.QRIS, lines=lines, now=now, **order_fields)
    return qris_payments.create_qris_payment(placed, now)


@dataclass
class PartnerAccount:
    """A partner as its POS knows itself: the API key (shown once) and a license. The
    keys are plain text, so reading them never starts a transaction (on SQLite that
    would hold the write lock a server thread may be waiting for)."""

    partner: Partner
    api_key: str
    license: License | None
    license_key: str | None = field(init=False)

    def __post_init__(self):
        self.license_key = self.license.key if self.license is not None else None

    @property
    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.api_key}"}


def partner(
    name: str = "Kasir Nusantara",
    *,
    webhook_url: str = "",
    store: str | None = "Toko Sinar Jaya",
    counter_pos: bool = False,
) -> PartnerAccount:
    """A partner, as `flask partners create` makes one, with a license for `store` (no
    license when it is None); `counter_pos`: that license is the restaurant's own
    counter POS, which may act on web orders."""
    created, api_key = partners.create_partner(name, webhook_url)
    license_ = partners.add_license(created, store, counter_pos=counter_pos) if store is not None else None
    return PartnerAccount(created, api_key, license_)


def staff_user(username: str, *, role: Role = Role.CASHIER, password: str = STAFF_PASSWORD) -> User:
    """A cashier (or, with `role`, an admin), as `flask users create` makes one."""
    return create_user(username, password, role)


MANAGER_PIN = "4321"


def manager(username: str = "rini", pin: str = MANAGER_PIN) -> User:
    """A manager who approves on the cashier's device with `pin` (set on her account page)."""
    user = staff_user(username, role=Role.MANAGER)
    approvals.set_pin(user, pin, STAFF_PASSWORD)
    return user


def bill_settings(*, actor: str = "admin", **change) -> BillSettings:
    """Bill settings in force from now on, as the admin page saves them: by default 10%
    tax, 5% service, "++", no rounding (rates in basis points)."""
    fields = {
        "tax_rate": 1000,
        "service_rate": 500,
        "mode": PriceMode.EXCLUSIVE,
        "service_on_takeaway": True,
        "rounding_step": 0,
        "rounding_direction": RoundingDirection.UP,
        "merchant_address": "",
        "merchant_tax_number": "",
    }
    return save_settings(SettingsChange(**{**fields, **change}), actor)


def pay_later(**change) -> BillSettings:
    """Bill settings with dine-in paid later, on the table's bill (10% tax, 5% service
    unless `change` says otherwise)."""
    return bill_settings(payment_timing=PaymentTiming.PAY_LATER, **change)


def bill_order(menu, *, table: str = "4", name: str = "Rina", lines=NASI_GORENG_AND_ES_TEH, **fields) -> Order:
    """A pay-later order at `table`, as checkout places it there: straight to the
    kitchen, on the table's open bill (opened by the table's first order)."""
    return order(menu, method=PaymentMethod.BILL, table=table, name=name, lines=lines, **fields)


def three_friends_bill(menu, *, now: datetime | None = None, **settings) -> TableBill:
    """Table 4's open bill after Rina (Nasi Goreng "tidak pedas", Es Teh), Budi (two Nasi
    Goreng) and Sari (Es Teh) ordered, paid later: 85.000 + 5% service 4.250 + 10% tax
    8.925 = Rp98.175 (unless `settings` change the bill settings)."""
    pay_later(**settings)
    bill_order(menu, name="Rina", now=now)
    bill_order(menu, name="Budi", lines=TWO_NASI_GORENG, now=now)
    bill_order(menu, name="Sari", lines=(("Es Teh Manis", 1),), now=now)
    return open_bill()


def open_bill(label: str = "4") -> TableBill:
    """The open bill of the table labelled `label`."""
    bill = table_bills.open_bill_of(dining_table(label).id)
    assert bill is not None, f"table {label} has no open bill"
    return bill


def menu_options(menu) -> dict[str, OptionGroup]:
    """Option groups on `menu`, as an admin enters them: Level pedas (exactly 1 of 0..5)
    and Tambahan (0 to 3: Telur +Rp4.000, Keju +Rp5.000, Kerupuk +Rp2.000, Sosis +Rp3.000
    sold out) on Nasi Goreng and Mie Ayam; Ukuran (exactly 1: Reguler, Jumbo +Rp3.000) on
    Es Teh Manis. Keyed by group name."""
    spicy = option_editing.save_group(None, name="Level pedas", min_choices=1, max_choices=1)
    for level in range(6):
        option_editing.save_option(None, spicy, name=f"Level {level}")
    extras = option_editing.save_group(None, name="Tambahan", name_en="Extras", min_choices=0, max_choices=3)
    for name, diff, available in (
        ("Telur", 4000, True),
        ("Keju", 5000, True),
        ("Kerupuk", 2000, True),
        ("Sosis", 3000, False),
    ):
        option_editing.save_option(None, extras, name=name, price_diff=diff, available=available)
    size = option_editing.save_group(None, name="Ukuran", min_choices=1, max_choices=1)
    option_editing.save_option(None, size, name="Reguler")
    option_editing.save_option(None, size, name="Jumbo", price_diff=3000)
    option_editing.attach_groups(menu["Nasi Goreng"], [spicy.id, extras.id])
    option_editing.attach_groups(menu["Mie Ayam"], [spicy.id, extras.id])
    option_editing.attach_groups(menu["Es Teh Manis"], [size.id])
    return {group.name: group for group in (spicy, extras, size)}


def option_ids(groups: dict[str, OptionGroup], *names: str) -> list[int]:
    """The ids of the options named `names` (in any of `groups`)."""
    by_name = {option.name: option.id for group in groups.values() for option in group.options}
    return [by_name[name] for name in names]


def open_drawer(opening_float: int = 0, till: Till | None = None) -> Shift:
    """The till's drawer with its shift open (the first till, made when missing), as a
    cashier opens it: cash can be taken from now on."""
    till = till or default_till()
    shift = drawer.open_shift_of(till) or drawer.open_shift(till, opening_float, "cashier:sari")
    db.session.commit()  # the last read ends: on SQLite an open transaction holds the write lock
    return shift


def close_drawer(till: Till | None = None) -> Till:
    """Close the till's open shift (the first till's by default, the one every test starts
    with) with exactly the cash expected: cash is refused from now on."""
    till = till or default_till()
    shift = drawer.open_shift_of(till)
    drawer.close_shift(shift, drawer.Count.of_total(drawer.expected_cash(shift)), "cashier:sari")
    db.session.commit()  # the last read ends: on SQLite an open transaction holds the write lock
    return till
