"""The table's bill on the phones at the table: ordering to it, seeing it update, and
paying it whole, evenly or by items, through the customer's own forms."""

import re

import pytest

from tests import factories as make
from tests.db_helpers import reload
from tests.http_helpers import HTMX, SEEN, add_to_cart, checkout_form, csrf_token_from
from webapp.bills import bill_splits, share_payments
from webapp.bills.table_bills import bill_view
from webapp.extensions import db
from webapp.formatting import rupiah
from webapp.models import BillShare, BillStatus, Order, OrderStatus, PaymentMethod, ShareStatus, SplitMode


@pytest.fixture
def table(app, menu):
    make.pay_later()
    return make.dining_table("4")


@pytest.fixture
def phone(app, table):
    """A phone that scanned table 4's QR."""
    client = app.test_client()
    assert client.get(f"/t/{table.token}").status_code == 303
    client.csrf = csrf_token_from(client.get("/").get_data(as_text=True))
    return client


def order_from(client, menu, name="Rina", item="Nasi Goreng", **fields):
    add_to_cart(client, client.csrf, menu[item].id)
    form = checkout_form(client) | {"customer_name": name, "order_type": "dine_in", "payment_method": ""}
    return client.post("/checkout", data=form | fields)


def placed(response) -> Order:
    assert response.status_code == 303, response.get_data(as_text=True)
    return db.session.query(Order).filter_by(public_id=response.location.rsplit("/", 1)[1]).one()


def bill_url(order: Order) -> str:
    return f"/bills/{reload(order).bill.public_id}"


def test_a_dine_in_order_goes_to_the_kitchen_on_the_tables_bill_without_choosing_how_to_pay(phone, menu):
    add_to_cart(phone, phone.csrf, menu["Es Teh Manis"].id)
    checkout = phone.get("/checkout").get_data(as_text=True)
    assert "Bayar nanti sebelum pulang" in checkout and "Cara bayar untuk pesanan bungkus" in checkout
    order = placed(order_from(phone, menu))
    assert (order.status, order.payment_method) == (OrderStatus.ON_BILL, PaymentMethod.BILL)
    page = phone.get(f"/orders/{order.public_id}").get_data(as_text=True)
    assert "Pesanan masuk dapur" in page and bill_url(order) in page
    menu_page = phone.get("/").get_data(as_text=True)
    assert bill_url(order) in menu_page and "Tagihan meja" in menu_page
    assert phone.get("/table/bill").location.endswith(bill_url(order))


def test_takeaway_still_pays_first_and_must_say_how(phone, menu):
    response = order_from(phone, menu, order_type="takeaway")
    assert response.status_code == 422 and "Pilih cara bayar" in response.get_data(as_text=True)
    order = placed(order_from(phone, menu, order_type="takeaway", payment_method="cash"))
    assert (order.status, order.bill_id) == (OrderStatus.AWAITING_PAYMENT, None)


def test_an_order_at_a_table_whose_bill_is_being_paid_is_paid_on_its_own(phone, menu, clock):
    first = placed(order_from(phone, menu))
    bill_splits.split_evenly(reload(first).bill, 2, "customer", clock())
    add_to_cart(phone, phone.csrf, menu["Es Teh Manis"].id)
    checkout = phone.get("/checkout").get_data(as_text=True)
    assert "Bayar nanti sebelum pulang" not in checkout
    assert 'name="pay_now" type="hidden" value="1"' in checkout
    response = order_from(phone, menu, pay_now="1")
    assert response.status_code == 422 and "Pilih cara bayar" in response.get_data(as_text=True)
    extra = placed(order_from(phone, menu, pay_now="1", payment_method="cash"))
    assert (extra.status, extra.bill_id) == (OrderStatus.AWAITING_PAYMENT, None)


def test_the_bill_shows_every_order_of_the_sitting_and_updates_itself(app, phone, menu, table):
    order = placed(order_from(phone, menu, name="Rina"))
    friend = app.test_client()
    friend.get(f"/t/{table.token}")
    friend.csrf = csrf_token_from(friend.get("/").get_data(as_text=True))
    page = friend.get(bill_url(order)).get_data(as_text=True)
    assert "Tagihan meja 4" in page and "Rina" in page and "Rp25.000" in page
    assert "Rp28.875" in page  # 25.000 + 5% service + 10% tax
    seen = SEEN.search(page).group(1)
    poll = f"{bill_url(order)}/live?seen={seen}"
    assert friend.get(poll, headers=HTMX).status_code == 204
    placed(order_from(friend, menu, name="Budi", item="Es Teh Manis"))
    changed = friend.get(poll, headers=HTMX)
    assert changed.status_code == 200 and "Budi" in changed.get_data(as_text=True)
    assert "Rp34.650" in changed.get_data(as_text=True)


def test_paying_the_whole_bill_by_qris_shows_the_qr_and_settles_it_on_payment(phone, menu, clock, sandbox):
    order = placed(order_from(phone, menu))
    response = phone.post(f"{bill_url(order)}/whole", data={"csrf_token": phone.csrf})
    share = db.session.query(BillShare).one()
    assert response.status_code == 303 and response.location.endswith(f"/shares/{share.public_id}")
    page = phone.get(f"/shares/{share.public_id}").get_data(as_text=True)
    assert "Scan untuk membayar" in page and "<svg" in page and "Rp28.875" in page
    seen = SEEN.search(page).group(1)
    status = f"/shares/{share.public_id}/status?seen={seen}"
    assert phone.get(status, headers=HTMX).status_code == 204
    share_payments.confirm_share_cash(reload(share), 30_000, "cashier:sari", clock())
    paid = phone.get(status, headers=HTMX)
    assert paid.status_code == 286 and "Lunas" in paid.get_data(as_text=True)
    assert reload(order).bill.status == BillStatus.SETTLED
    settled = phone.get(bill_url(order)).get_data(as_text=True)
    assert "Tagihan sudah dibayar" in settled and "hx-trigger" not in settled


@pytest.mark.parametrize("payers, message", [("1", "2 sampai 20"), ("21", "2 sampai 20"), ("dua", "2 sampai 20")])
def test_an_even_split_asks_for_2_to_20_people(phone, menu, payers, message):
    order = placed(order_from(phone, menu))
    response = phone.post(f"{bill_url(order)}/even", data={"csrf_token": phone.csrf, "payers": payers})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert reload(order).bill.split_mode is None


def test_an_even_split_gives_every_phone_a_share_to_pay(phone, menu):
    order = placed(order_from(phone, menu, item="Mie Ayam"))
    response = phone.post(f"{bill_url(order)}/even", data={"csrf_token": phone.csrf, "payers": "3"}, headers=HTMX)
    html = response.get_data(as_text=True)
    assert [share.amount for share in reload(order).bill.shares] == [8470, 8470, 8470]
    # Duitku takes QRIS from Rp10.000: these shares are paid at the counter.
    assert response.status_code == 200 and html.count("Tunai di kasir (QRIS mulai Rp10.000)") == 3
    assert "Bayar bagian saya" not in html and "Bayar untuk" not in html
    share = reload(order).bill.shares[0]
    page = phone.get(f"/shares/{share.public_id}").get_data(as_text=True)
    assert "Bayar tunai di kasir" in page and "Bayar dengan QRIS" not in page


def join(client, bill_path: str, name: str):
    return client.post(f"{bill_path}/join", data={"csrf_token": client.csrf, "name": name}, headers=HTMX)


def claim(client, bill_path: str, item_id: int, unit: int, action="claim"):
    data = {"csrf_token": client.csrf, "item": str(item_id), "unit": str(unit), "action": action}
    return client.post(f"{bill_path}/claims", data=data, headers=HTMX)


def test_by_items_each_phone_claims_what_it_ate(app, phone, menu, table):
    order = placed(order_from(phone, menu, item="Nasi Goreng"))
    placed(order_from(phone, menu, name="Budi", item="Es Teh Manis"))
    path = bill_url(order)
    friend = app.test_client()
    friend.get(f"/t/{table.token}")
    friend.csrf = csrf_token_from(friend.get("/").get_data(as_text=True))
    assert phone.post(f"{path}/items", data={"csrf_token": phone.csrf}, headers=HTMX).status_code == 200
    assert claim(phone, path, order.items[0].id, 1).status_code == 409  # join first
    assert join(phone, path, "").status_code == 422
    assert "Ikut bayar" not in join(phone, path, "Rina").get_data(as_text=True)
    assert join(friend, path, "Budi").status_code == 200
    nasi, es_teh = (portion.item.id for portion in bill_view(reload(order).bill).portions)
    assert claim(phone, path, nasi, 1).status_code == 200
    taken = claim(friend, path, nasi, 1)
    assert taken.status_code == 409 and "sudah diambil Rina" in taken.get_data(as_text=True)
    assert claim(friend, path, es_teh, 1).status_code == 200
    assert claim(friend, path, es_teh, 7).status_code == 409
    assert claim(friend, path, nasi, 1, action="steal").status_code == 422
    locked = friend.post(f"{path}/lock", data={"csrf_token": friend.csrf}, headers=HTMX)
    assert locked.status_code == 200 and "Bayar untuk Rina" in locked.get_data(as_text=True)
    assert "Bayar bagian saya" not in locked.get_data(as_text=True)  # Budi's Rp5.775: cash at the counter
    bill = reload(order).bill
    assert (bill.split_mode, bill.is_locked) == (SplitMode.ITEMS, True)
    assert {s.payer_name: s.amount for s in bill.shares} == {"Rina": 28_875, "Budi": 5775}
    mine = re.search(r"Rina <strong>\(Anda\)</strong>", phone.get(path).get_data(as_text=True))
    assert mine is not None


def test_a_split_can_be_changed_until_someone_pays_then_the_rest_is_paid_in_one(phone, menu, clock):
    order = placed(order_from(phone, menu))
    path = bill_url(order)
    phone.post(f"{path}/even", data={"csrf_token": phone.csrf, "payers": "3"})
    assert phone.post(f"{path}/cancel-split", data={"csrf_token": phone.csrf}).status_code == 303
    phone.post(f"{path}/even", data={"csrf_token": phone.csrf, "payers": "2"})
    first = next(s for s in reload(order).bill.shares if s.status == ShareStatus.OPEN)
    share_payments.confirm_share_cash(first, first.amount, "cashier:sari", clock())
    refused = phone.post(f"{path}/cancel-split", data={"csrf_token": phone.csrf}, headers=HTMX)
    assert refused.status_code == 409 and "Sudah ada yang membayar" in refused.get_data(as_text=True)
    rest = phone.post(f"{path}/rest", data={"csrf_token": phone.csrf})
    assert rest.status_code == 303 and "/shares/" in rest.location


def test_unknown_bills_and_shares_are_not_found(phone):
    assert phone.get("/bills/nope").status_code == 404
    assert phone.get("/shares/nope").status_code == 404
    assert phone.post("/bills/nope/whole", data={"csrf_token": phone.csrf}).status_code == 404


def test_a_phone_without_a_table_has_no_bill_to_see(client, menu):
    response = client.get("/table/bill")
    assert response.status_code == 404 and "Scan kode QR" in response.get_data(as_text=True)


def test_bill_forms_need_their_csrf_token(phone, menu):
    order = placed(order_from(phone, menu))
    assert phone.post(f"{bill_url(order)}/whole").status_code == 400
    assert reload(order).bill.split_mode is None


def test_checkout_refuses_qris_for_an_order_duitku_would_refuse(client, csrf, menu):
    add_to_cart(client, csrf, menu["Es Teh Manis"].id)  # Rp5.000
    page = client.get("/checkout").get_data(as_text=True)
    assert re.search(r'<input[^>]*disabled[^>]*value="qris"|<input[^>]*value="qris"[^>]*disabled', page)
    assert "QRIS bisa dipakai untuk Rp10.000 sampai Rp10.000.000" in page  # said before the customer tries
    assert re.search(r'<input[^>]*checked[^>]*value="cash"', page)  # the one way left, chosen already
    response = client.post("/checkout", data=checkout_form(client) | {"payment_method": "qris"})
    assert response.status_code == 422
    assert "QRIS bisa dipakai untuk Rp10.000 sampai Rp10.000.000" in response.get_data(as_text=True)
    assert db.session.query(Order).count() == 0
    assert client.post("/checkout", data=checkout_form(client)).status_code == 303  # in cash


def test_a_phone_pays_its_own_share_and_paying_for_a_friend_never_changes_who_it_is(app, phone, menu, table):
    """Rina and Budi each took a share of an item split; Rina pays Budi's deliberately:
    her phone is still Rina's (the issue: Citra's phone became Dewi's)."""
    order = placed(order_from(phone, menu, item="Nasi Goreng"))
    placed(order_from(phone, menu, name="Budi", item="Mie Ayam"))
    path = bill_url(order)
    friend = app.test_client()
    friend.get(f"/t/{table.token}")
    friend.csrf = csrf_token_from(friend.get("/").get_data(as_text=True))
    phone.post(f"{path}/items", data={"csrf_token": phone.csrf})
    join(phone, path, "Rina")
    join(friend, path, "Budi")
    phone.post(f"{path}/lock", data={"csrf_token": phone.csrf})
    rina, budi = sorted(reload(order).bill.shares, key=lambda share: share.position)
    page = phone.get(path).get_data(as_text=True)
    own = re.search(r'<form method="post" action="([^"]+)" class="pay-own">', page)
    assert own and own.group(1) == f"/shares/{rina.public_id}/qris"
    assert f"Bayar bagian saya · {rupiah(rina.amount)}" in page and "Bayar untuk Budi" in page
    paying_for_budi = phone.post(f"/shares/{budi.public_id}/qris", data={"csrf_token": phone.csrf})
    assert paying_for_budi.location.endswith(f"/shares/{budi.public_id}")
    budi_page = phone.get(paying_for_budi.location).get_data(as_text=True)
    assert "Anda membayar untuk Budi." in budi_page
    # Nobody took a portion: every share is an even part of both, and says so.
    assert "Ditambah bagian rata dari yang dimakan bersama: Nasi Goreng, Mie Ayam." in budi_page
    page = phone.get(path).get_data(as_text=True)
    assert re.search(r"Rina <strong>\(Anda\)</strong>", page) and "Budi <strong>(Anda)" not in page


def test_in_an_even_split_a_phone_takes_the_first_share_nobody_has_taken(app, phone, menu, table):
    order = placed(order_from(phone, menu, item="Nasi Goreng"))
    placed(order_from(phone, menu, name="Budi", item="Nasi Goreng"))
    path = bill_url(order)
    phone.post(f"{path}/even", data={"csrf_token": phone.csrf, "payers": "2"})
    first, second = sorted(reload(order).bill.shares, key=lambda share: share.position)
    friend = app.test_client()
    friend.get(f"/t/{table.token}")
    friend.csrf = csrf_token_from(friend.get("/").get_data(as_text=True))
    for client, share in ((phone, first), (friend, second)):
        taken = client.post(f"{path}/mine", data={"csrf_token": client.csrf})
        assert taken.status_code == 303 and taken.location.endswith(f"/shares/{share.public_id}")
        assert "Bagian Anda" in client.get(taken.location).get_data(as_text=True)
    third = app.test_client()
    third.get(f"/t/{table.token}")
    third.csrf = csrf_token_from(third.get("/").get_data(as_text=True))
    assert "Bayar bagian saya" not in third.get(path).get_data(as_text=True)  # every share is being paid
    refused = third.post(f"{path}/mine", data={"csrf_token": third.csrf})
    assert refused.status_code == 409 and "sedang dibayar di HP lain" in refused.get_data(as_text=True)
