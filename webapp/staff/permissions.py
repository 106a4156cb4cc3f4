"""Who may do what: one table of roles and their permissions, and the permission every
route names.

Everyone in the shop has a role: the owner (`admin`) does everything, settings and
users included; a `manager` runs the day (the counter, reports, approvals, promotions and
vouchers); a `cashier`
takes orders and money and moves orders through the kitchen; a `waiter` takes orders
at the tables and sees the floor, never money; the `kitchen` sees the kitchen displays
and marks dishes sold out.

Every staff route names the permission it needs (`requires`); the blueprints whose
routes are for everyone (the customer's pages, Duitku's callback: `Permission.PUBLIC`)
or for partners (the API, with its own keys: `Permission.PARTNER`) are named in
`OPEN_BLUEPRINTS`. A route that names none is refused to everyone (fail closed), and a
test walks every route of the app with every role against this table.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import TypeVar

from ..models import Role


class Permission(enum.StrEnum):
    PUBLIC = "public"  # anyone, no login
    PARTNER = "partner"  # a partner POS with its API key (webapp/api checks the key)
    STAFF = "staff"  # anyone logged in (logging out)
    BOARD = "board"  # the order board, an order's page and receipt
    TAKE_ORDERS = "take_orders"  # ring up orders at the counter or the table
    TAKE_CASH = "take_cash"  # take money: cash for an order, a share, the rest of a bill
    ADVANCE = "advance"  # move an order through the kitchen from the board
    CANCEL = "cancel"  # cancel an unpaid order
    FLOOR = "floor"  # the floor and a table's bill
    MANAGE_BILLS = "manage_bills"  # move an order, close a bill, clear a flag, free a table
    STOCK = "stock"  # mark items and options sold out
    KITCHEN = "kitchen"  # the kitchen displays: start, bump
    REPRINT = "reprint"  # print a kitchen ticket or a receipt again
    REPORTS = "reports"  # the day's summary, reports, CSV
    APPROVE = "approve"  # a manager's approval (voids, refunds, discounts)
    PROMOTIONS = "promotions"  # promotions and vouchers
    DISCOUNT = "discount"  # give a discount by hand (above a limit, with a manager's approval)
    REFUND = "refund"  # give a paid order's money back (always with a manager's approval)
    VOID = "void"  # void lines or an order (once paid or in the kitchen, with a manager's approval)
    MANAGE_MENU = "manage_menu"  # categories, items, options, photos
    MANAGE_TABLES = "manage_tables"  # tables, their QR codes and cards
    SETTINGS = "settings"  # the bill and the shop, kitchen stations, tills
    USERS = "users"  # staff accounts and their roles
    AUDIT = "audit"  # the audit trail (the owner's: managers are in it)


NEEDS_NO_LOGIN = frozenset({Permission.PUBLIC, Permission.PARTNER})
_WAITER = frozenset({Permission.STAFF, Permission.TAKE_ORDERS, Permission.FLOOR})
_KITCHEN = frozenset({Permission.STAFF, Permission.KITCHEN, Permission.STOCK})
_CASHIER = _WAITER | {
    Permission.BOARD,
    Permission.TAKE_CASH,
    Permission.ADVANCE,
    Permission.CANCEL,
    Permission.MANAGE_BILLS,
    Permission.STOCK,
    Permission.KITCHEN,
    Permission.REPRINT,
    Permission.DISCOUNT,
    Permission.REFUND,
    Permission.VOID,
}
_MANAGER = _CASHIER | {Permission.REPORTS, Permission.APPROVE, Permission.PROMOTIONS}

# The one table: what each role may do (besides what needs no login).
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.WAITER: _WAITER,
    Role.KITCHEN: _KITCHEN,
    Role.CASHIER: frozenset(_CASHIER),
    Role.MANAGER: frozenset(_MANAGER),
    Role.ADMIN: frozenset(Permission) - NEEDS_NO_LOGIN,
}


def allows(role: Role, permission: Permission) -> bool:
    return permission in NEEDS_NO_LOGIN or permission in ROLE_PERMISSIONS.get(role, frozenset())


View = TypeVar("View", bound=Callable)


def requires(permission: Permission) -> Callable[[View], View]:
    """Name the permission a route needs (checked by its blueprint's guard)."""

    def named(view: View) -> View:
        view.permission = permission  # type: ignore[attr-defined]
        return view

    return named


# Blueprints whose routes need no staff login, and the app's own routes (static files,
# menu photos). A route of theirs may still name another permission (`requires`).
OPEN_BLUEPRINTS: dict[str, Permission] = {
    "shop": Permission.PUBLIC,
    "callbacks": Permission.PUBLIC,
    "i18n": Permission.PUBLIC,
    "health": Permission.PUBLIC,
    "api": Permission.PARTNER,
}
OPEN_APP_ROUTES: dict[str, Permission] = {"static": Permission.PUBLIC, "menu_photo": Permission.PUBLIC}


def permission_of(endpoint: str, view: Callable | None) -> Permission | None:
    """The permission a route needs: its view's own (`requires`), else its open
    blueprint's; None for a route that names none (refused to everyone)."""
    own = getattr(view, "permission", None)
    if own is not None:
        return own
    if endpoint in OPEN_APP_ROUTES:
        return OPEN_APP_ROUTES[endpoint]
    return OPEN_BLUEPRINTS.get(endpoint.rpartition(".")[0])
