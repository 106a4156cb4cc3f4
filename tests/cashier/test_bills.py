"""The cashier's page of a table's bill (pay later): what it shows, taking cash for a
share or for the rest, moving an order, closing the bill, clearing the late-money
flag; every form validated (422), refusals said, settled and closed bills read-only."""

import html
import re

import pytest

from tests import factories as make
from tests.db_helpers import count, reload
from tests.duitku_side import callback_form
from tests.http_helpers import HTMX, visible_text
from webapp.bills import bill_closing, bill_splits, share_payments
from webapp.bills.table_bills import bill_view
from webapp.models import BillStatus, CloseReason, Payment, ShareStatus
from webapp.payments import callbacks

CUSTOMER = "customer"


@pytest.fixture
def bill(app, menu, clock):
    """Table 4's bill of three orders, Rp98.175 (factories.three_friends_bill)."""
    return make.three_friends_bill(menu, now=clock())


def url(bill, tail: str = "") -> str:
    return f"/cashier/bills/{bill.public_id}{tail}"


def text(response) -> str:
    return visible_text(response.get_data(as_text=True))


def post(client, path: str, **data):
    """Post a form as the browser does; the response, and the page it lands on."""
    response = client.post(path, data={"csrf_token": client.csrf_token, **data})
    landed = client.get(response.location) if response.status_code in (302, 303) else response
    return response, text(landed)


def test_the_page_needs_a_login(client, bill):
    response = client.get(url(bill))
    assert response.status_code == 302 and response.location.startswith("/login")


def test_an_unknown_bill_or_share_is_a_404(cashier_client, bill):
    assert cashier_client.get("/cashier/bills/nope").status_code == 404
    bill_splits.split_evenly(bill, 2, CUSTOMER)
    response = cashier_client.post(url(bill, "/shares/9/cash"), data={"csrf_token": cashier_client.csrf_token})
    assert response.status_code == 404


def test_the_page_shows_the_sitting_the_figures_and_the_history(cashier_client, bill, clock):
    clock.advance(minutes=42)
    page = text(cashier_client.get(url(bill)))
    assert "Tagihan Meja 4" in page and "terbuka" in page and "(42 mnt)" in page
    assert "A-001 · Rina" in page and "1x Nasi Goreng (tidak pedas)" in page and "1x Es Teh Manis" in page
    assert "A-002 · Budi" in page and "2x Nasi Goreng Rp50.000" in page and "A-003 · Sari" in page
    assert page.count("bayar nanti") == 3  # each order's kitchen status
    assert "Subtotal Rp85.000" in page and "Biaya layanan 5% Rp4.250" in page
    assert "Pajak restoran (PB1) 10% Rp8.925" in page
    assert "Total Rp98.175 Sudah dibayar Rp0 Sisa Rp98.175" in page
    assert "Belum dibagi" in page and "Seluruh tagihan · Rp98.175" in page
    assert "Tagihan dibuka · Pelanggan" in page and "Pesanan A-003 masuk tagihan · Pelanggan" in page


def test_options_and_notes_of_each_line_are_shown(cashier_client, menu, clock):
    level_3, egg = make.option_ids(make.menu_options(menu), "Level 3", "Telur")
    make.pay_later()
    make.bill_order(menu, lines=(("Mie Ayam", 1, "kuah pisah", {level_3: 0, egg: 4000}),), now=clock())
    page = text(cashier_client.get(url(make.open_bill())))
    assert "1x Mie Ayam (kuah pisah) Level 3, Telur Rp26.000" in page


def test_cash_for_one_share_shows_the_change_large(cashier_client, bill):
    first, second = bill_splits.split_evenly(bill, 2, CUSTOMER)
    assert (first.amount, second.amount) == (49_088, 49_087)
    page = cashier_client.get(url(bill)).get_data(as_text=True)
    form = page.split('action="' + url(bill, "/shares/1/cash"))[1].split("</form>")[0]
    field = re.search(r'<input[^>]*name="share-1-tendered"[^>]*>', form).group(0)
    assert 'inputmode="numeric"' in field and 'class="amount-input"' in field
    assert 'name="share-1-quick" value="49088"' in form and 'name="share-1-quick" value="50000"' in form

    response, landed = post(cashier_client, url(bill, "/shares/1/cash"), **{"share-1-tendered": "50.000"})  # as printed
    assert response.status_code == 303 and "?cash=" in response.location
    assert "Bagian 1 lunas" in landed and "Kembalian Rp912" in landed
    assert "Uang diterima Rp50.000 untuk total Rp49.088" in landed
    assert '<h2 id="change-title">Kembalian Rp912</h2>' in cashier_client.get(response.location).get_data(as_text=True)
    assert "1 - Rp49.088 lunas · tunai" in landed and "Sisa Rp49.087" in landed
    assert reload(first).status == ShareStatus.PAID and reload(bill).status == BillStatus.OPEN

    response, landed = post(cashier_client, url(bill, "/shares/2/cash"), **{"share-2-quick": "49087"})
    assert "Kembalian Rp0" in landed and reload(bill).status == BillStatus.SETTLED
    assert "lunas" in landed and "Terima tunai" not in landed and "Tutup tagihan" not in landed  # read-only
    assert "Bagian 2 dibayar Rp49.087 dengan tunai · sari" in landed and "Tagihan lunas: Rp98.175 · sari" in landed


@pytest.mark.parametrize(
    "tendered, error",
    [
        ("", "Tulis uang yang diterima, atau pilih tombol cepat."),
        ("dua puluh", "Tulis jumlah uang dalam rupiah, misalnya 50.000."),
        ("49000", "Uang diterima kurang Rp88 dari total Rp49.088."),
        ("99999999999999999999", "Tulis jumlah uang dalam rupiah, misalnya 50.000."),
    ],
)
def test_cash_for_a_share_is_validated(cashier_client, bill, tendered, error):
    bill_splits.split_evenly(bill, 2, CUSTOMER)
    response = cashier_client.post(
        url(bill, "/shares/1/cash"), data={"csrf_token": cashier_client.csrf_token, "share-1-tendered": tendered}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert error in html.unescape(page)
    assert re.search(r'<details class="cash-choice" open>\s*<summary>Bagian 1', page)  # its form, opened
    assert count(Payment) == 0


def test_cash_for_the_rest_of_a_bill_not_yet_split_settles_it(cashier_client, bill):
    response, landed = post(cashier_client, url(bill, "/cash"), **{"rest-tendered": "Rp100.000"})
    assert response.status_code == 303
    assert "Sisa tagihan Meja 4 lunas." in landed and "Kembalian Rp1.825" in landed
    bill = reload(bill)
    assert bill.status == BillStatus.SETTLED and bill.total == 98_175
    [share] = bill.shares
    assert (share.amount, share.paid_method) == (98_175, "cash")


def test_cash_for_the_rest_after_a_share_was_paid_takes_what_is_left_in_one(cashier_client, bill):
    bill_splits.split_evenly(bill, 3, CUSTOMER)
    post(cashier_client, url(bill, "/shares/1/cash"), **{"share-1-quick": "32725"})
    page = text(cashier_client.get(url(bill)))
    assert "Seluruh sisa · Rp65.450" in page
    _response, landed = post(cashier_client, url(bill, "/cash"), **{"rest-quick": "65450"})
    assert "Sisa dijadikan satu: bagian 2, Rp65.450" in landed and reload(bill).status == BillStatus.SETTLED


def test_cash_for_the_rest_of_an_item_split_being_chosen_warns_and_cancels_it(cashier_client, bill):
    bill_splits.split_by_items(bill, CUSTOMER)
    bill_splits.join(bill, "Rina", CUSTOMER)
    page = text(cashier_client.get(url(bill)))
    assert "Pelanggan sedang memilih item masing-masing" in page
    assert "Pembagian per item yang sedang dipilih pelanggan dibatalkan." in page
    _response, landed = post(cashier_client, url(bill, "/cash"), **{"rest-tendered": "98175"})
    assert "Pembagian dibatalkan untuk dipilih lagi" in landed and reload(bill).status == BillStatus.SETTLED


def test_the_rest_form_is_validated(cashier_client, bill):
    response = cashier_client.post(
        url(bill, "/cash"), data={"csrf_token": cashier_client.csrf_token, "rest-quick": "x"}
    )
    assert response.status_code == 422
    response = cashier_client.post(
        url(bill, "/cash"), data={"csrf_token": cashier_client.csrf_token, "rest-tendered": "50000"}
    )
    assert response.status_code == 422 and "Uang diterima kurang Rp48.175 dari total Rp98.175." in response.get_data(
        as_text=True
    )
    assert reload(bill).status == BillStatus.OPEN


def test_a_share_paid_meanwhile_is_refused_saying_so(cashier_client, bill):
    first, _second = bill_splits.split_evenly(bill, 2, CUSTOMER)
    share_payments.confirm_share_cash(first, 50_000, "cashier:budi")  # the other tablet, a moment ago
    response, landed = post(cashier_client, url(bill, "/shares/1/cash"), **{"share-1-tendered": "50.000"})  # as printed
    assert response.status_code == 303 and "Bagian 1 sudah lunas." in landed
    assert count(Payment) == 1


def test_a_stale_form_on_a_settled_bill_says_it_is_settled(cashier_client, bill):
    share_payments.take_cash_for_rest(bill, 100_000, "cashier:budi")
    for path, data in ((url(bill, "/cash"), {"rest-tendered": ""}), (url(bill, "/close"), {"reason": ""})):
        response, landed = post(cashier_client, path, **data)
        assert response.status_code == 303 and "Tagihan ini sudah lunas." in landed


def test_a_stale_share_form_says_what_became_of_the_share(cashier_client, bill):
    bill_splits.split_evenly(bill, 2, CUSTOMER)
    bill_splits.cancel_split(bill, CUSTOMER)  # the friends chose again on their phones
    response, landed = post(cashier_client, url(bill, "/shares/1/cash"), **{"share-1-tendered": "10"})
    assert response.status_code == 303 and "Bagian 1 sudah dibatalkan." in landed
    assert count(Payment) == 0


def test_an_order_moves_to_another_table_and_its_bill(cashier_client, bill, clock):
    seven = make.dining_table("7")
    budi = bill_view(bill).orders[1]
    page = cashier_client.get(url(bill)).get_data(as_text=True)
    assert f'<option value="{budi.public_id}">A-002 · Budi</option>' in page
    assert f'<option value="{seven.id}">7</option>' in page
    assert f'<option value="{bill.table_id}">4</option>' not in page  # its own table
    response, landed = post(cashier_client, url(bill, "/move"), order=budi.public_id, table=str(seven.id))
    assert response.status_code == 303 and response.location.endswith(url(bill))
    assert "A-002 pindah ke Meja 7." in landed and "Pesanan A-002 pindah ke Meja 7 · sari" in landed
    assert "Total Rp40.425" in landed  # 35.000 + 1.750 + 3.675
    moved = reload(budi)
    assert moved.table_label == "7" and moved.bill.table_label == "7"
    assert "Pesanan A-002 pindah ke sini dari Meja 4" in text(cashier_client.get(url(moved.bill)))
    order_page = text(cashier_client.get(f"/cashier/orders/{budi.public_id}"))
    assert "pindah dari Meja 4 ke Meja 7" in order_page


def test_moving_the_last_order_closes_the_bill_and_follows_the_order(cashier_client, menu, clock):
    make.pay_later()
    order = make.bill_order(menu, now=clock())
    bill, seven = make.open_bill(), make.dining_table("7")
    response, landed = post(cashier_client, url(bill, "/move"), order=order.public_id, table=str(seven.id))
    assert reload(bill).close_reason == CloseReason.EMPTIED
    assert response.location.endswith(url(reload(order).bill)) and "Tagihan Meja 7" in landed
    assert "ditutup: semua pesanan pindah meja" in text(cashier_client.get(url(bill)))


@pytest.mark.parametrize(
    "data, error",
    [
        ({"table": ""}, "Pilih meja tujuan dari daftar."),
        ({"table": "99999999999999999999"}, "Pilih meja tujuan dari daftar."),
        ({"order": "nope"}, "Pilih pesanan dari daftar."),
    ],
)
def test_the_move_form_is_validated(cashier_client, bill, data, error):
    seven = make.dining_table("7")
    fields = {"order": bill_view(bill).orders[0].public_id, "table": str(seven.id)} | data
    response = cashier_client.post(url(bill, "/move"), data={"csrf_token": cashier_client.csrf_token, **fields})
    assert response.status_code == 422 and error in response.get_data(as_text=True)
    assert reload(bill_view(bill).orders[0]).table_label == "4"


def test_orders_of_a_bill_being_paid_cannot_move(cashier_client, bill):
    seven = make.dining_table("7")
    order = bill_view(bill).orders[0]
    bill_splits.split_evenly(bill, 2, CUSTOMER)
    page = text(cashier_client.get(url(bill)))
    assert "Pesanan tidak bisa dipindah meja selama tagihan sedang dibayar." in page
    response, landed = post(cashier_client, url(bill, "/move"), order=order.public_id, table=str(seven.id))
    assert response.status_code == 303
    assert "Tagihan ini sedang dibayar: pembagiannya sudah dikunci." in landed
    assert reload(order).table_label == "4"


def test_closing_a_bill_keeps_paid_shares_and_reads_read_only(cashier_client, bill):
    first, second = bill_splits.split_evenly(bill, 2, CUSTOMER)
    share_payments.confirm_share_cash(first, 49_088, "cashier:sari")
    response, landed = post(cashier_client, url(bill, "/close"), reason="walk_out", note="  lewat pintu belakang ")
    assert response.status_code == 303 and "Tagihan Meja 4 ditutup." in landed
    bill = reload(bill)
    assert (bill.status, bill.close_reason, bill.close_note) == ("closed", "walk_out", "lewat pintu belakang")
    assert reload(first).status == ShareStatus.PAID and reload(second).status == ShareStatus.CANCELLED
    assert "ditutup: pergi tanpa membayar" in landed and "Catatan: lewat pintu belakang" in landed
    assert "Tagihan ditutup: pergi tanpa membayar: lewat pintu belakang · sari" in landed
    assert "Sudah dibayar Rp49.088" in landed
    assert "Terima tunai" not in landed and "Pindahkan pesanan" not in landed and "Tutup tagihan" not in landed


@pytest.mark.parametrize(
    "data, error",
    [
        ({}, "Pilih alasan menutup tagihan."),
        ({"reason": "emptied"}, "Pilih alasan menutup tagihan."),
        ({"reason": "other", "note": "  "}, "Tulis alasannya."),
        ({"reason": "comped", "note": "x" * 201}, "Catatan paling panjang 200 karakter."),
    ],
)
def test_the_close_form_is_validated(cashier_client, bill, data, error):
    response = cashier_client.post(url(bill, "/close"), data={"csrf_token": cashier_client.csrf_token, **data})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert error in page and '<details class="card-form danger-zone" open>' in page
    assert reload(bill).status == BillStatus.OPEN


def test_late_money_is_shown_and_its_flag_cleared(cashier_client, bill, clock, sandbox):
    share = bill_splits.pay_whole(bill, CUSTOMER, clock())
    payment = share_payments.create_share_qris(share, clock())
    share_payments.confirm_share_cash(reload(share), 100_000, "cashier:budi", clock())
    sandbox.extensions["sandbox_store"].settle(payment.reference, "00", "93600914", clock())
    callbacks.handle_duitku_callback(callback_form(payment), clock())
    page = text(cashier_client.get(url(bill)))
    assert (
        "Perlu dicek: Pembayaran QRIS bagian 1 masuk padahal bagian itu sudah lunas dan tagihannya lunas: "
        "kembalikan uangnya atau catat sebagai kelebihan bayar."
    ) in page
    assert "Uang Rp98.175 masuk untuk bagian 1 yang sudah lunas (tagihan lunas) · Duitku" in page
    _response, landed = post(cashier_client, url(bill, "/resolve"))
    assert "Tagihan Meja 4: tanda perlu dicek dihapus." in landed and "Perlu dicek:" not in landed
    assert "Tanda perlu dicek sudah ditangani · sari" in landed
    assert reload(bill).needs_attention is False


def test_every_action_needs_the_csrf_token(cashier_client, bill):
    bill_splits.split_evenly(bill, 2, CUSTOMER)
    for tail in ("/shares/1/cash", "/cash", "/move", "/close", "/resolve"):
        response = cashier_client.post(url(bill, tail), data={"rest-tendered": "100000", "reason": "comped"})
        assert response.status_code == 400 and "Formulir kedaluwarsa" in response.get_data(as_text=True)
    assert reload(bill).status == BillStatus.OPEN and count(Payment) == 0


def test_the_page_reloads_itself_when_the_bill_changes(cashier_client, bill, menu, clock):
    page = cashier_client.get(url(bill)).get_data(as_text=True)
    poll = re.search(r'hx-get="([^"]+/version\?seen=\d+)"', page).group(1)
    assert cashier_client.get(poll, headers=HTMX).status_code == 204
    make.bill_order(menu, name="Dewi", now=clock())  # another round
    answer = cashier_client.get(poll, headers=HTMX)
    assert answer.status_code == 200 and answer.headers["HX-Refresh"] == "true"
    assert cashier_client.get(poll).status_code == 303  # not htmx: the page
    assert cashier_client.get("/cashier/bills/nope/version", headers=HTMX).status_code == 404
    share_payments.take_cash_for_rest(bill, 200_000, "cashier:budi")
    assert "/version" not in cashier_client.get(url(bill)).get_data(as_text=True)  # settled: nothing to watch


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_history_reads_as_words_not_codes(cashier_client, bill, language):
    bill_splits.split_evenly(bill, 3, CUSTOMER)
    share_payments.confirm_share_cash(bill.shares[0], 40_000, "cashier:sari")
    bill_closing.close_bill(bill, CloseReason.COMPED, "teman pemilik", "cashier:sari")
    cashier_client.get(f"/lang/{language}")
    page = text(cashier_client.get(url(bill)))
    codes = ["order_added", "share_paid", "attention_resolved", "walk_out", "cashier:sari", "{", "%("]
    assert [code for code in codes if code in page] == []
    assert "teman pemilik" in page and "Rp32.725" in page
