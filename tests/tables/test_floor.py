"""The cashier's floor view and the board filtered by type and table."""

import re

from tests import factories as make
from tests.http_helpers import HTMX
from webapp.models import OrderStatus
from webapp.orders import lifecycle
from webapp.payments import cash

SEEN = re.compile(r'hx-get="/cashier/tables/floor\?seen=([0-9a-f]+)"')


def tile(page: str, label: str) -> str:
    match = re.search(
        rf'<a class="floor-table[^"]*"[^>]*>\s*<span class="floor-label">{re.escape(label)}</span>(.*?)</a>', page, re.S
    )
    assert match, f"no tile for table {label}"
    return match.group(0)


def test_the_floor_shows_busy_tables_with_their_orders_payment_and_wait(cashier_client, menu, clock):
    make.dining_table("1")
    unpaid = make.order(menu, table="7", now=clock())
    clock.advance(minutes=4)
    make.paid_order(menu, table="7", now=clock())
    make.paid_order(menu, table="8", now=clock())
    make.order(menu, table=None, now=clock())  # takeaway: on no table
    clock.advance(minutes=8)
    page = cashier_client.get("/cashier/tables").get_data(as_text=True)
    seven, eight, one = tile(page, "7"), tile(page, "8"), tile(page, "1")
    assert "busy unpaid" in seven and "Pesanan: 2" in seven and "Belum dibayar: 1" in seven
    assert "menunggu 12 mnt" in seven  # the oldest order's wait
    assert "busy" in eight and "unpaid" not in eight and "sudah dibayar" in eight
    assert "kosong" in one and "busy" not in one
    assert f'href="/cashier?table={unpaid.table_id}"' in seven  # a tap opens the table's orders

    cash.confirm_cash(unpaid, unpaid.total, "cashier:sari")
    lifecycle.advance_order(unpaid, OrderStatus.PREPARING, "cashier:sari")
    page = cashier_client.get("/cashier/tables").get_data(as_text=True)
    assert "unpaid" not in tile(page, "7")


def test_the_floor_poll_is_204_until_something_changes(cashier_client, menu, clock):
    make.order(menu, table="7", now=clock())
    seen = SEEN.search(cashier_client.get("/cashier/tables").get_data(as_text=True)).group(1)
    assert cashier_client.get(f"/cashier/tables/floor?seen={seen}", headers=HTMX).status_code == 204
    make.order(menu, table="8", now=clock())
    answer = cashier_client.get(f"/cashier/tables/floor?seen={seen}", headers=HTMX)
    assert answer.status_code == 200 and "Pesanan: 1" in tile(answer.get_data(as_text=True), "8")
    assert SEEN.search(answer.get_data(as_text=True)).group(1) != seen
    assert cashier_client.get("/cashier/tables/floor").status_code == 303  # not htmx: the page


def test_the_floor_needs_a_login(client):
    assert client.get("/cashier/tables").status_code in (302, 303)


def test_the_board_filters_by_table_and_by_type(cashier_client, menu):
    at_seven = make.order(menu, name="Adi", table="7")
    make.order(menu, name="Bayu", table="8")
    make.order(menu, name="Citra", table=None)
    by_table = cashier_client.get(f"/cashier?table={at_seven.table_id}").get_data(as_text=True)
    assert "Adi" in by_table and "Bayu" not in by_table and "Citra" not in by_table
    assert f'class="board-filter" name="table" value="{at_seven.table_id}"' in by_table  # the polls keep it
    takeaway = cashier_client.get("/cashier?type=takeaway").get_data(as_text=True)
    assert "Citra" in takeaway and "Adi" not in takeaway and "Bayu" not in takeaway
    dine_in = cashier_client.get("/cashier?type=dine_in").get_data(as_text=True)
    assert "Adi" in dine_in and "Bayu" in dine_in and "Citra" not in dine_in
    everyone = cashier_client.get("/cashier?type=nonsense&table=x").get_data(as_text=True)
    assert all(name in everyone for name in ("Adi", "Bayu", "Citra"))


def test_a_filtered_board_poll_sends_only_its_orders(cashier_client, menu):
    table = make.dining_table("7")
    page = cashier_client.get(f"/cashier?table={table.id}").get_data(as_text=True)
    shown = dict(re.findall(r'class="board-shown" id="shown-[^"]+" name="([^"]+)" value="([^"]*)"', page))
    make.order(menu, name="Bayu", table="8")
    assert (
        cashier_client.get("/cashier/board", query_string=shown | {"table": table.id}, headers=HTMX).status_code == 204
    )
    make.order(menu, name="Adi", table="7")
    answer = cashier_client.get("/cashier/board", query_string=shown | {"table": table.id}, headers=HTMX)
    assert answer.status_code == 200 and "Adi" in answer.get_data(as_text=True)
