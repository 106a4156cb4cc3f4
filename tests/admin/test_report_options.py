"""The daily report's top options (page and CSV), from the options orders remember."""

import csv
import io
from datetime import UTC, date, datetime

from tests import factories as make
from webapp.admin.report import daily_report
from webapp.menu import option_editing
from webapp.orders import lifecycle


def options_day(menu, clock):
    """Three orders: two paid with options, one cancelled that must not count."""
    groups = make.menu_options(menu)
    level3, telur, keju, jumbo = make.option_ids(groups, "Level 3", "Telur", "Keju", "Jumbo")
    now = clock()
    make.paid_order(menu, lines=[("Nasi Goreng", 2, "", {level3: 0, telur: 4000})], now=now)  # 2 x 29.000
    make.paid_order(
        menu,
        lines=[("Mie Ayam", 1, "", {level3: 0, telur: 4000, keju: 5000}), ("Es Teh Manis", 1, "", {jumbo: 3000})],
        now=now,
    )
    gone = make.order(menu, lines=[("Nasi Goreng", 5, "", {level3: 0, keju: 5000})], now=now)
    lifecycle.cancel_order(gone, "cashier:sari", "pelanggan pergi")
    return groups


def test_top_options_count_portions_of_paid_orders_with_their_price_differences(app, menu, clock):
    clock.current = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
    groups = options_day(menu, clock)
    telur = groups["Tambahan"].options[0]
    option_editing.save_option(telur, telur.group, name="Telur", price_diff=9000)  # later changes change nothing
    report = daily_report(date(2026, 11, 22))
    assert [(line.name, line.quantity, line.revenue) for line in report.top_options] == [
        ("Level pedas: Level 3", 3, 0),
        ("Tambahan: Telur", 3, 12000),
        ("Tambahan: Keju", 1, 5000),
        ("Ukuran: Jumbo", 1, 3000),
    ]
    assert ("Nasi Goreng", 2, 58000) in [(i.name, i.quantity, i.revenue) for i in report.top_items]


def test_the_report_page_and_csv_show_the_top_options(admin_client, menu, clock):
    clock.current = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
    options_day(menu, clock)
    page = admin_client.get("/admin/report?day=2026-11-22").get_data(as_text=True)
    assert "Pilihan terlaris" in page and "Tambahan: Telur" in page and "Rp12.000" in page
    rows = list(csv.reader(io.StringIO(admin_client.get("/admin/report.csv?day=2026-11-22").get_data(as_text=True))))
    assert ["top_option", "Tambahan: Telur", "3", "12000"] in rows
