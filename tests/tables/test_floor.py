"""The cashier's floor view (tables, their open bills, today's bills) and the board
filtered by type and table."""

import re

from tests import factories as make
from tests.db_helpers import reload, statements
from tests.http_helpers import HTMX, visible_text
from webapp.bills import bill_closing, bill_splits, share_payments
from webapp.bills.table_bills import bill_view
from webapp.extensions import db
from webapp.formatting import rupiah
from webapp.models import CloseReason, OrderStatus
from webapp.orders import lifecycle
from webapp.orders.paying import confirm_cash

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

    confirm_cash(unpaid, unpaid.total, "cashier:sari")
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


def test_a_table_with_an_open_bill_shows_its_total_what_is_paid_and_for_how_long(cashier_client, menu, clock):
    bill = make.three_friends_bill(menu, now=clock())
    clock.advance(minutes=25)
    page = cashier_client.get("/cashier/tables").get_data(as_text=True)
    four = tile(page, "4")
    assert f'href="/cashier/bills/{bill.public_id}"' in four  # a tap opens the bill
    total = bill_view(bill).figures.total
    assert f"Tagihan {rupiah(total)}" in four and "Tagihan Rp98.175" in four
    assert "Dibayar Rp0" in four and "buka 25 mnt" in four and "Pesanan: 3" in four
    assert "Sedang dibayar" not in four and "Perlu dicek" not in four and "sudah dibayar" not in four

    first, _second = bill_splits.split_evenly(bill, 2, "customer")
    share_payments.confirm_share_cash(first, 50_000, "cashier:sari")
    four = tile(cashier_client.get("/cashier/tables").get_data(as_text=True), "4")
    assert "Tagihan Rp98.175" in four and "Dibayar Rp49.088" in four and "Sedang dibayar" in four

    bill = reload(bill)
    bill.needs_attention = True  # money arrived late for a share (see tests/bills)
    db.session.commit()
    four = tile(cashier_client.get("/cashier/tables").get_data(as_text=True), "4")
    assert "flagged" in four and "Perlu dicek" in four


def test_today_s_bills_are_listed_open_ones_first(cashier_client, menu, clock):
    settled = make.three_friends_bill(menu, now=clock())
    share_payments.take_cash_for_rest(settled, 100_000, "cashier:sari")
    make.bill_order(menu, table="8", now=clock())
    clock.advance(minutes=5)
    make.bill_order(menu, table="4", name="Dewi", now=clock())  # a new sitting at table 4
    page = visible_text(cashier_client.get("/cashier/tables").get_data(as_text=True))
    listed = page.split("Tagihan hari ini")[1]
    assert "Meja 8 12.00 WIB terbuka Rp34.650 Rp0 Rp34.650" in listed
    assert "Meja 4 12.05 WIB terbuka Rp34.650 Rp0 Rp34.650" in listed
    assert "Meja 4 12.00 WIB lunas Rp98.175 Rp98.175 Rp0" in listed
    assert listed.index("Meja 8") < listed.index("12.05") < listed.index("lunas")


def test_the_floor_poll_sees_a_bill_change(cashier_client, menu, clock):
    bill = make.three_friends_bill(menu, now=clock())
    seen = SEEN.search(cashier_client.get("/cashier/tables").get_data(as_text=True)).group(1)
    assert cashier_client.get(f"/cashier/tables/floor?seen={seen}", headers=HTMX).status_code == 204
    share_payments.take_cash_for_rest(bill, 100_000, "cashier:sari")
    answer = cashier_client.get(f"/cashier/tables/floor?seen={seen}", headers=HTMX)
    assert answer.status_code == 200 and "Tagihan Rp98.175" not in tile(answer.get_data(as_text=True), "4")


def test_the_floor_reads_the_same_few_statements_however_many_bills(cashier_client, menu, clock):
    make.pay_later()

    def poll_statements() -> int:
        with statements() as seen:
            assert cashier_client.get("/cashier/tables/floor", headers=HTMX).status_code == 200
        return len(seen)

    make.bill_order(menu, table="1", now=clock())
    one_bill = poll_statements()
    for label in ("2", "3", "4", "5", "6"):
        make.bill_order(menu, table=label, now=clock())
        make.bill_order(menu, table=label, name="Budi", now=clock())
    assert poll_statements() == one_bill
    print(f"floor poll: {one_bill} statements")  # noqa: T201 - shown with -s


def test_an_order_still_cooking_for_a_bill_closed_unpaid_is_not_paid(cashier_client, menu, clock):
    bill = make.three_friends_bill(menu, now=clock())
    bill_closing.close_bill(bill, CloseReason.WALK_OUT, "", "cashier:sari")
    four = tile(cashier_client.get("/cashier/tables").get_data(as_text=True), "4")
    assert "Pesanan: 3" in four and "Belum dibayar: 3" in four and "sudah dibayar" not in four
    assert "Tagihan" not in four and f'href="/cashier?table={bill.table_id}"' in four


def test_settling_a_bill_finishes_what_was_served_and_pays_what_is_still_cooking(menu, clock):
    bill = make.three_friends_bill(menu, now=clock())
    served, cooking, waiting = bill_view(bill).orders
    lifecycle.advance_order(served, OrderStatus.PREPARING, "cashier:sari", clock())
    lifecycle.advance_order(served, OrderStatus.READY, "cashier:sari", clock())
    lifecycle.advance_order(cooking, OrderStatus.PREPARING, "cashier:sari", clock())
    share_payments.take_cash_for_rest(reload(bill), 100_000, "cashier:sari", clock())
    assert [reload(order).status for order in (served, cooking, waiting)] == [
        OrderStatus.COMPLETED,
        OrderStatus.PREPARING,
        OrderStatus.PAID,
    ]
    assert [change.reason for change in reload(served).history][-1] == "bill_settled"


def test_the_cashier_frees_a_table_whose_guests_ate_paid_and_left(cashier_client, menu, clock):
    orders = [make.paid_order(menu, table="7", now=clock()) for _ in range(2)]
    page = cashier_client.get("/cashier/tables").get_data(as_text=True)
    assert "Dimasak: 2" in tile(page, "7") and "Kosongkan meja" not in page  # the kitchen has them still
    for order in orders:
        lifecycle.advance_order(order, OrderStatus.PREPARING, "cashier:sari", clock())
        lifecycle.advance_order(order, OrderStatus.READY, "cashier:sari", clock())
    page = cashier_client.get("/cashier/tables").get_data(as_text=True)
    assert "sudah dibayar" in tile(page, "7") and "Kosongkan meja" in page
    freed = cashier_client.post(
        f"/cashier/tables/{orders[0].table_id}/clear", data={"csrf_token": cashier_client.csrf_token}
    )
    assert freed.status_code == 303
    page = cashier_client.get("/cashier/tables").get_data(as_text=True)
    assert "Meja 7 kosong lagi: 2 pesanan selesai." in visible_text(page)
    assert "kosong" in tile(page, "7") and "busy" not in tile(page, "7")
    assert all(reload(order).status == OrderStatus.COMPLETED for order in orders)
    history = reload(orders[0]).history
    assert (history[-1].reason, history[-1].actor) == ("table_cleared", "cashier:sari")


def test_a_bill_paid_after_the_meal_leaves_nothing_to_clear(cashier_client, menu, clock):
    bill = make.three_friends_bill(menu, now=clock())
    for order in bill_view(bill).orders:
        lifecycle.advance_order(order, OrderStatus.PREPARING, "cashier:sari", clock())
        lifecycle.advance_order(order, OrderStatus.READY, "cashier:sari", clock())
    page = cashier_client.get("/cashier/tables").get_data(as_text=True)
    assert "Kosongkan meja" not in page  # an open bill: money to collect first
    share_payments.take_cash_for_rest(reload(bill), 100_000, "cashier:sari", clock())
    page = cashier_client.get("/cashier/tables").get_data(as_text=True)
    assert "kosong" in tile(page, "4") and "busy" not in tile(page, "4")  # served and paid: done


def test_a_table_with_money_to_collect_is_not_freed_and_the_cashier_is_told_why(cashier_client, menu, clock):
    cooking = make.paid_order(menu, table="7", now=clock())
    response = cashier_client.post(
        f"/cashier/tables/{cooking.table_id}/clear", data={"csrf_token": cashier_client.csrf_token}
    )
    page = cashier_client.get(response.location).get_data(as_text=True)
    assert f"Pesanan {cooking.number} di Meja 7 belum selesai dimasak." in visible_text(page)
    unpaid = make.order(menu, table="7", now=clock())
    response = cashier_client.post(
        f"/cashier/tables/{unpaid.table_id}/clear", data={"csrf_token": cashier_client.csrf_token}
    )
    page = cashier_client.get(response.location).get_data(as_text=True)
    assert f"Pesanan {unpaid.number} di Meja 7 belum dibayar." in visible_text(page)
    assert reload(unpaid).status == OrderStatus.AWAITING_PAYMENT
    make.three_friends_bill(menu, now=clock())
    response = cashier_client.post(
        f"/cashier/tables/{make.dining_table('4').id}/clear", data={"csrf_token": cashier_client.csrf_token}
    )
    assert "Meja 4 masih punya tagihan terbuka" in visible_text(
        cashier_client.get(response.location).get_data(as_text=True)
    )
