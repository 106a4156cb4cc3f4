"""The staff bar: every page staff work on, grouped by job (Hari ini, Menu, Meja, Dapur,
Laporan, Pengaturan). Each staff member sees the links they may open, by their role.

On a phone the bar holds only the groups' names; a group of more than one link opens
(a `<details>`, so without JavaScript too) onto its links. The page shown is marked
(`aria-current="page"` on its link), and so is its group, also on the pages reached
from one of the group's links (an item's edit page is "Kelola menu"'s).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, request, url_for
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from .access import may_open
from .kitchen.stations import all_stations


@dataclass(frozen=True)
class Link:
    label: LazyString
    endpoint: str
    also: tuple[str, ...] = ()  # pages reached from this one: they belong to its group


@dataclass(frozen=True)
class Group:
    key: str
    label: LazyString
    links: tuple[Link, ...]


GROUPS = (
    Group(
        "today",
        _l("Hari ini"),
        (
            Link(_l("Ringkasan hari ini"), "admin.today"),
            Link(_l("Kasir"), "till.start", also=("till.page", "till.choose", "till.choice_page")),
            Link(_l("Laci kas"), "shift_views.start", also=("shift_views.drawer_page", "shift_views.report")),
            Link(_l("Papan pesanan"), "cashier.board", also=("cashier.order_detail", "cashier.receipt")),
        ),
    ),
    Group(
        "menu",
        _l("Menu"),
        (
            Link(_l("Stok menu"), "cashier.menu"),
            Link(
                _l("Kelola menu"),
                "admin.menu",
                also=("admin.edit_item", "admin.edit_category", "admin.item_option_groups"),
            ),
            Link(
                _l("Pilihan menu"),
                "admin.options",
                also=("admin.edit_option_group", "admin.edit_option"),
            ),
            Link(_l("Promo"), "admin.promotions_page", also=("admin.edit_promotion",)),
            Link(_l("Voucher"), "admin.vouchers_page"),
        ),
    ),
    Group(
        "tables",
        _l("Meja"),
        (
            Link(_l("Meja dan tagihan"), "cashier.tables", also=("cashier.bill_page",)),
            Link(_l("Kelola meja"), "admin.tables", also=("admin.edit_table",)),
            Link(_l("Kartu QR meja"), "admin.print_tables"),
        ),
    ),
    Group(
        "kitchen",
        _l("Dapur"),
        (Link(_l("Atur stasiun"), "kitchen.station_settings", also=("kitchen.edit_station",)),),
    ),
    Group(
        "reports",
        _l("Laporan"),
        (
            Link(_l("Laporan harian"), "admin.report"),
            Link(_l("Laporan pajak"), "admin.bill_report_page"),
            Link(_l("Jejak audit"), "admin.audit_page"),
        ),
    ),
    Group(
        "settings",
        _l("Pengaturan"),
        (
            Link(_l("Toko"), "admin.shop"),
            Link(_l("Pajak dan aturan tagihan"), "admin.bill_settings"),
            Link(_l("Akun staf"), "admin.users", also=("admin.user",)),
            Link(_l("Mesin kasir"), "admin.tills", also=("admin.edit_till",)),
        ),
    ),
)


@dataclass(frozen=True)
class ShownLink:
    label: str
    url: str
    current: bool  # the page shown


@dataclass(frozen=True)
class ShownGroup:
    key: str
    label: str
    links: list[ShownLink]
    current: bool  # the page shown is one of its links', or reached from one


def _station_links() -> list[ShownLink]:
    """A link to each kitchen station's display (the kitchen tablet's page, which has a
    layout of its own without this bar: no link of these is ever the page shown)."""
    if not may_open("kitchen.display"):
        return []
    return [
        ShownLink(station.name, url_for("kitchen.display", station_id=station.id), False) for station in all_stations()
    ]


# Links made from the database, put before a group's own.
DYNAMIC_LINKS: dict[str, Callable[[], list[ShownLink]]] = {"kitchen": _station_links}


def staff_nav() -> list[ShownGroup]:
    """The groups the logged-in staff member may use, with the links they may open
    (by each page's permission: webapp/staff/permissions.py), in order."""
    groups = []
    for group in GROUPS:
        links = [link for link in group.links if may_open(link.endpoint)]
        shown = DYNAMIC_LINKS[group.key]() if group.key in DYNAMIC_LINKS else []
        shown += [
            ShownLink(str(link.label), url_for(link.endpoint), link.endpoint == request.endpoint) for link in links
        ]
        if not shown:
            continue
        reached = any(request.endpoint in link.also for link in links)
        groups.append(ShownGroup(group.key, str(group.label), shown, reached or any(link.current for link in shown)))
    return groups


def init_app(app: Flask) -> None:
    app.add_template_global(staff_nav)
