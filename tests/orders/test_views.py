"""The customer pages over HTTP with the test client."""

import re

import pytest

from tests import factories as make
from tests.html_forms import form_with_button
from tests.http_helpers import HTMX, add_to_cart, cart_lines, check_out, checkout_form
from webapp.extensions import db
from webapp.models import Order, OrderStatus, OrderType

# Menu ---------------------------------------------------------------------------------


def test_menu_lists_categories_in_order_with_rupiah_prices(client, menu):
    html = client.get("/").get_data(as_text=True)
    assert html.index("Makanan") < html.index("Minuman")
    assert html.index("Nasi Goreng") < html.index("Mie Ayam")
    assert "Rp25.000" in html and "Rp5.000" in html
    assert "Pedas sedang" in html


def test_sold_out_item_is_shown_but_cannot_be_added(client, menu):
    html = client.get("/").get_data(as_text=True)
    assert "Rendang" in html and "Habis" in html
    assert f'name="item_id" value="{menu["Rendang"].id}"' not in html
    assert f'name="item_id" value="{menu["Mie Ayam"].id}"' in html


def english_menu_text(menu) -> None:
    nasi_goreng = menu["Nasi Goreng"]
    nasi_goreng.name_en, nasi_goreng.description_en = "Fried Rice", "Medium spicy"
    nasi_goreng.category.name_en = "Food"
    menu["Rendang"].name_en = "Beef Rendang"
    db.session.commit()


def test_english_pages_show_the_english_menu_text_where_one_is_given(client, csrf, menu):
    english_menu_text(menu)
    indonesian = client.get("/").get_data(as_text=True)
    assert "Nasi Goreng" in indonesian and "Pedas sedang" in indonesian and "Makanan" in indonesian
    assert "Fried Rice" not in indonesian and "Medium spicy" not in indonesian
    client.get("/lang/en")
    english = client.get("/").get_data(as_text=True)
    assert ">Food</h2>" in english and "<h3>Fried Rice</h3>" in english and "Medium spicy" in english
    assert 'aria-label="Add Fried Rice"' in english and "Nasi Goreng" not in english
    assert "<h3>Mie Ayam</h3>" in english and ">Minuman</h2>" in english  # none given: the Indonesian
    refused = add_to_cart(client, csrf, menu["Rendang"].id, htmx=True)
    assert "Sorry, Beef Rendang is sold out." in refused.get_data(as_text=True)


def test_english_names_follow_the_order_to_the_cart_checkout_and_order_page(client, csrf, menu):
    english_menu_text(menu)
    client.get("/lang/en")
    add_to_cart(client, csrf, menu["Nasi Goreng"].id, "2")
    assert "Fried Rice" in client.get("/cart").get_data(as_text=True)
    assert "Fried Rice" in client.get("/checkout").get_data(as_text=True)
    order = check_out(client, csrf, menu)
    line = order.items[0]
    assert (line.name, line.name_en) == ("Nasi Goreng", "Fried Rice")  # the kitchen's name stays
    assert "Fried Rice" in client.get(f"/orders/{order.public_id}").get_data(as_text=True)
    client.get("/lang/id")
    assert "Fried Rice" not in client.get(f"/orders/{order.public_id}").get_data(as_text=True)


def test_a_favicon_is_served_and_linked_from_every_page(client, menu):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert response.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
    for page in ("/", "/cart", "/checkout"):
        link = re.search(
            r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', client.get(page).get_data(as_text=True)
        )
        icon = client.get(link.group(1))
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"


# Cart ---------------------------------------------------------------------------------


def test_add_without_javascript_redirects_back_to_the_menu(client, csrf, menu):
    response = add_to_cart(client, csrf, menu["Mie Ayam"].id, "2")
    assert response.status_code == 303 and response.location == "/"
    html = client.get("/cart").get_data(as_text=True)
    assert "Mie Ayam" in html and "Rp44.000" in html


def test_add_with_htmx_returns_the_panel_and_an_out_of_band_badge(client, csrf, menu):
    response = add_to_cart(client, csrf, menu["Mie Ayam"].id, "3", htmx=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="cart"' in html and "Rp66.000" in html
    badge = re.search(r'<a id="cart-badge"[^>]*hx-swap-oob="true"[^>]*>.*?</a>', html, re.S)
    assert badge and '<span class="count">3</span>' in badge.group(0)


def test_the_menu_has_a_bottom_bar_with_the_carts_count_and_total(client, csrf, menu):
    def bar(html):
        return re.search(r'<a id="cart-bar".*?</a>', html, re.S).group(0)

    empty = bar(client.get("/").get_data(as_text=True))
    assert " hidden" in empty and 'href="/cart"' in empty
    update = bar(add_to_cart(client, csrf, menu["Mie Ayam"].id, "2", htmx=True, back="menu").get_data(as_text=True))
    assert 'hx-swap-oob="true"' in update and " hidden" not in update
    assert '<span class="count">2</span>' in update and "Rp44.000" in update
    assert "Lihat keranjang" in bar(client.get("/").get_data(as_text=True))
    assert 'id="cart-bar"' not in client.get("/cart").get_data(as_text=True)  # the cart page is the cart


@pytest.mark.parametrize("quantity", ["0", "100", "-1", "abc", "", "2.5"])
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_quantity_is_refused_with_a_message(client, csrf, menu, quantity, htmx):
    response = add_to_cart(client, csrf, menu["Mie Ayam"].id, quantity, htmx=htmx)
    assert response.status_code == 422
    assert "Jumlah harus angka 1 sampai 99" in response.get_data(as_text=True)
    assert cart_lines(client) == []


@pytest.mark.parametrize(
    "item_id, message", [("999999", "tidak ditemukan"), ("abc", "tidak dikenal"), ("", "Pilih menu")]
)
def test_unknown_item_is_refused(client, csrf, menu, item_id, message):
    response = add_to_cart(client, csrf, item_id)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert cart_lines(client) == []


def test_sold_out_item_is_refused(client, csrf, menu):
    response = add_to_cart(client, csrf, menu["Rendang"].id, htmx=True)
    assert response.status_code == 422
    assert "Rendang sedang habis" in response.get_data(as_text=True)


def test_increase_decrease_note_and_remove(client, csrf, menu):
    add_to_cart(client, csrf, menu["Nasi Goreng"].id)
    line_id = cart_lines(client)[0]["id"]
    base = f"/cart/lines/{line_id}"
    assert client.post(f"{base}/increase", data={"csrf_token": csrf}).status_code == 303
    assert cart_lines(client)[0]["qty"] == 2
    client.post(f"{base}/decrease", data={"csrf_token": csrf}, headers=HTMX)
    assert cart_lines(client)[0]["qty"] == 1
    client.post("/cart/notes", data={"csrf_token": csrf, f"note-{line_id}": "tidak pedas"})
    assert cart_lines(client)[0]["note"] == "tidak pedas"
    assert "tidak pedas" in client.get("/checkout").get_data(as_text=True)
    too_long = client.post("/cart/notes", data={"csrf_token": csrf, f"note-{line_id}": "x" * 81}, headers=HTMX)
    assert too_long.status_code == 422 and cart_lines(client)[0]["note"] == "tidak pedas"
    response = client.post(f"{base}/remove", data={"csrf_token": csrf, "back": "cart"})
    assert response.status_code == 303 and response.location == "/cart"
    assert cart_lines(client) == []


def note_fields(client) -> dict[str, str]:
    return {f"note-{line['id']}": line["item"] for line in cart_lines(client)}


@pytest.mark.parametrize("page", ["/", "/cart"])
def test_notes_typed_but_not_saved_go_to_checkout_without_javascript(client, csrf, menu, page):
    add_to_cart(client, csrf, menu["Nasi Goreng"].id)
    add_to_cart(client, csrf, menu["Es Teh Manis"].id)
    first, second = note_fields(client)
    cart = form_with_button(client.get(page).get_data(as_text=True), "Lanjut ke pembayaran")
    response = cart.submit(client, "Lanjut ke pembayaran", **{first: "tidak pedas", second: "es sedikit"})
    assert response.status_code == 303 and response.location == "/checkout"
    assert [line["note"] for line in cart_lines(client)] == ["tidak pedas", "es sedikit"]
    checkout = client.get("/checkout").get_data(as_text=True)
    assert "tidak pedas" in checkout and "es sedikit" in checkout


def test_every_cart_button_keeps_the_notes_as_typed(client, csrf, menu):
    add_to_cart(client, csrf, menu["Nasi Goreng"].id)
    (note,) = note_fields(client)
    cart = form_with_button(client.get("/cart").get_data(as_text=True), "Lanjut ke pembayaran")
    response = cart.submit(client, "Tambah satu Nasi Goreng", **{note: "tanpa bawang"})
    assert response.status_code == 303 and response.location == "/cart"
    assert [(line["qty"], line["note"]) for line in cart_lines(client)] == [(2, "tanpa bawang")]
    # Enter in a note presses the form's first button: it must be a Simpan, not "-".
    assert cart.buttons[0].label == "Simpan"


def test_notes_go_to_checkout_with_htmx_too(client, csrf, menu):
    add_to_cart(client, csrf, menu["Nasi Goreng"].id)
    (note,) = note_fields(client)
    data = {"csrf_token": csrf, "back": "menu", note: "tidak pedas", "checkout": "1"}
    response = client.post("/cart/notes", data=data, headers=HTMX)
    assert response.status_code == 200 and response.headers["HX-Redirect"] == "/checkout"
    assert cart_lines(client)[0]["note"] == "tidak pedas"


def test_a_note_too_long_is_refused_and_changes_nothing(client, csrf, menu):
    add_to_cart(client, csrf, menu["Nasi Goreng"].id)
    (note,) = note_fields(client)
    cart = form_with_button(client.get("/cart").get_data(as_text=True), "Lanjut ke pembayaran")
    response = cart.submit(client, "Tambah satu Nasi Goreng", **{note: "x" * 81})
    assert response.status_code == 422 and "Catatan paling panjang 80" in response.get_data(as_text=True)
    assert [(line["qty"], line["note"]) for line in cart_lines(client)] == [(1, "")]


def test_changing_a_line_that_is_gone_is_a_clear_error(client, csrf, menu):
    response = client.post("/cart/lines/gone/increase", data={"csrf_token": csrf, "back": "cart"})
    assert response.status_code == 422
    assert "sudah tidak ada" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/cart/add", "/cart/lines/x/increase", "/checkout"])
def test_posts_without_csrf_token_are_refused(client, menu, path):
    response = client.post(path, data={"item_id": menu["Mie Ayam"].id, "quantity": "1"})
    assert response.status_code == 400
    assert "Formulir kedaluwarsa" in response.get_data(as_text=True)
    assert cart_lines(client) == []


# Checkout -----------------------------------------------------------------------------


def test_checkout_with_empty_cart_says_so_and_places_nothing(client, csrf, menu):
    assert "Keranjang masih kosong" in client.get("/checkout").get_data(as_text=True)
    form = {"csrf_token": csrf, "customer_name": "Sari", "payment_method": "cash"}
    response = client.post("/checkout", data=form)
    assert response.status_code == 422
    assert "Keranjang masih kosong" in response.get_data(as_text=True)
    assert db.session.query(Order).count() == 0


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("customer_name", "", "Nama wajib diisi"),
        ("customer_name", "   ", "Nama wajib diisi"),
        ("customer_name", "x" * 41, "Nama paling panjang 40"),
        ("order_type", "delivery", "Not a valid choice"),
        ("order_type", None, "Pilih makan di sini atau bungkus"),
        ("note", "x" * 201, "Catatan paling panjang 200"),
        ("payment_method", "bitcoin", "Pilih cara bayar"),
        ("payment_method", None, "Pilih cara bayar"),
    ],
)
def test_checkout_refuses_each_bad_field(client, csrf, menu, field, value, message):
    add_to_cart(client, csrf, menu["Mie Ayam"].id)
    form = checkout_form(client)
    if value is None:
        del form[field]
    else:
        form[field] = value
    response = client.post("/checkout", data=form)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.query(Order).count() == 0
    assert len(cart_lines(client)) == 1  # nothing lost


def test_forged_prices_are_ignored(client, csrf, menu):
    add_to_cart(client, csrf, menu["Nasi Goreng"].id, "2", price="1", unit_price="1")
    form = checkout_form(client) | {"total": "1", "price": "1", "amount": "1"}
    response = client.post("/checkout", data=form)
    assert response.status_code == 303
    order = db.session.query(Order).one()
    assert order.total == 50000 and order.items[0].unit_price == 25000


def test_item_sold_out_since_it_was_added_blocks_the_order(client, csrf, menu):
    add_to_cart(client, csrf, menu["Nasi Goreng"].id)
    add_to_cart(client, csrf, menu["Es Teh Manis"].id)
    form = checkout_form(client)
    menu["Nasi Goreng"].available = False
    db.session.commit()
    response = client.post("/checkout", data=form)
    assert response.status_code == 422
    assert "Nasi Goreng sedang habis" in response.get_data(as_text=True)
    assert db.session.query(Order).count() == 0
    assert len(cart_lines(client)) == 2


def test_a_refused_checkout_says_sold_out_instead_of_pricing_the_line_at_rp0(client, csrf, menu):
    add_to_cart(client, csrf, menu["Nasi Goreng"].id, "2")
    add_to_cart(client, csrf, menu["Es Teh Manis"].id)
    form = checkout_form(client)
    menu["Nasi Goreng"].available = False
    db.session.commit()
    for html in (
        client.post("/checkout", data=form).get_data(as_text=True),
        client.get("/cart").get_data(as_text=True),
    ):
        sold_out_line = re.search(r"<li[^>]*has-problem.*?</li>", html, re.S).group(0)
        assert "Nasi Goreng" in sold_out_line and "Habis" in sold_out_line
        assert "Rp0" not in html
        assert "Rp5.000" in html  # what can still be ordered


def test_a_double_submitted_checkout_places_one_order(client, csrf, menu):
    add_to_cart(client, csrf, menu["Mie Ayam"].id)
    form = checkout_form(client)
    first = client.post("/checkout", data=form)
    second = client.post("/checkout", data=form)
    assert first.status_code == second.status_code == 303
    assert first.location == second.location
    assert db.session.query(Order).count() == 1


# Order page ---------------------------------------------------------------------------


@pytest.mark.parametrize("table_id, message", [("", "Pilih meja, atau pilih bungkus"), ("999", "Not a valid choice")])
def test_dine_in_without_a_table_is_refused_on_the_table_field(client, csrf, menu, table_id, message):
    make.dining_table("12")
    add_to_cart(client, csrf, menu["Mie Ayam"].id)
    response = client.post("/checkout", data=checkout_form(client) | {"order_type": "dine_in", "table_id": table_id})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.query(Order).count() == 0


def test_full_order_over_http(client, csrf, menu):
    add_to_cart(client, csrf, menu["Nasi Goreng"].id, "2", htmx=True)
    line_id = cart_lines(client)[0]["id"]
    client.post("/cart/notes", data={"csrf_token": csrf, f"note-{line_id}": "tidak pedas"}, headers=HTMX)
    add_to_cart(client, csrf, menu["Es Teh Manis"].id, htmx=True)
    checkout_page = client.get("/checkout")
    assert "Rp55.000" in checkout_page.get_data(as_text=True)

    table = make.dining_table("12")
    response = client.post(
        "/checkout", data=checkout_form(client) | {"order_type": "dine_in", "table_id": str(table.id)}
    )
    assert response.status_code == 303
    assert re.fullmatch(r"/orders/[A-Za-z0-9_-]{22,}", response.location)
    assert cart_lines(client) == []

    page = client.get(response.location).get_data(as_text=True)
    assert "A-001" in page and "Meja 12" in page and "Rp55.000" in page
    assert "tidak pedas" in page and "bayar di kasir" in page.lower()
    assert 'hx-trigger="every 3s"' in page

    status = client.get(response.location + "/status", headers=HTMX)
    assert status.status_code == 200 and 'hx-trigger="every 3s"' in status.get_data(as_text=True)


def test_takeaway_is_shown_as_takeaway_not_as_a_table(client, csrf, menu):
    add_to_cart(client, csrf, menu["Nasi Goreng"].id)
    response = client.post("/checkout", data=checkout_form(client) | {"order_type": "takeaway"})
    order = db.session.query(Order).filter_by(public_id=response.location.rsplit("/", 1)[1]).one()
    assert order.order_type == OrderType.TAKEAWAY and order.is_takeaway and order.table is None
    indonesian = client.get(response.location).get_data(as_text=True)
    assert "Bungkus" in indonesian and "Meja" not in indonesian
    client.get("/lang/en")
    english = client.get(response.location).get_data(as_text=True)
    assert "Takeaway" in english and "Table" not in english


def test_a_table_chosen_from_the_list_is_shown_as_a_table(client, csrf, menu):
    table = make.dining_table("12")
    add_to_cart(client, csrf, menu["Nasi Goreng"].id)
    response = client.post(
        "/checkout", data=checkout_form(client) | {"order_type": "dine_in", "table_id": str(table.id)}
    )
    order = db.session.query(Order).filter_by(public_id=response.location.rsplit("/", 1)[1]).one()
    assert order.order_type == OrderType.DINE_IN and order.table_id == table.id and order.table_label == "12"
    assert "Meja 12" in client.get(f"/orders/{order.public_id}").get_data(as_text=True)


def test_qris_order_shows_its_qr_right_away(client, csrf, menu):
    order = check_out(client, csrf, menu, method="qris")
    page = client.get(f"/orders/{order.public_id}").get_data(as_text=True)
    assert "Scan untuk membayar" in page and '<svg class="qr"' in page
    assert 'hx-trigger="every 2s"' in page


def test_the_live_region_stays_in_place_and_only_its_content_is_polled(client, csrf, menu):
    """A screen reader announces changes inside a live region it already knows; a new
    region swapped in whole is commonly not announced."""
    order = check_out(client, csrf, menu)
    page = client.get(f"/orders/{order.public_id}").get_data(as_text=True)
    assert len(re.findall(r"aria-live=", page)) == 1
    region = re.search(r'<div id="order-status"[^>]*>', page).group(0)
    assert 'aria-live="polite"' in region and "hx-" not in region  # the region itself never polls
    fragment = client.get(f"/orders/{order.public_id}/status", headers=HTMX).get_data(as_text=True)
    assert 'id="order-status"' not in fragment and "aria-live" not in fragment
    trigger = re.search(r"<[^>]*hx-trigger=[^>]*>", fragment).group(0)
    assert 'hx-target="#order-status"' in trigger and 'hx-swap="innerHTML"' in trigger
    assert "outerHTML" not in page + fragment


@pytest.mark.parametrize("status", [OrderStatus.COMPLETED, OrderStatus.CANCELLED])
def test_polling_stops_once_the_order_is_final(client, csrf, menu, status):
    order = check_out(client, csrf, menu)
    order.status = status.value
    db.session.commit()
    response = client.get(f"/orders/{order.public_id}/status", headers=HTMX)
    assert response.status_code == 286
    assert "hx-trigger" not in response.get_data(as_text=True)
    assert client.get(f"/orders/{order.public_id}/status").status_code == 200  # plain GET


def test_polling_continues_while_the_kitchen_works(client, csrf, menu):
    order = check_out(client, csrf, menu)
    order.status = OrderStatus.PREPARING.value
    db.session.commit()
    response = client.get(f"/orders/{order.public_id}/status", headers=HTMX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Sedang dimasak" in body and 'hx-trigger="every 5s"' in body


@pytest.mark.parametrize("path", ["/orders/unknown", "/orders/unknown/status", "/orders/1", "/nope"])
def test_unknown_pages_give_the_404_page(client, menu, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "tidak ditemukan" in response.get_data(as_text=True)


def test_order_is_not_reachable_by_integer_id(client, csrf, menu):
    order = check_out(client, csrf, menu)
    assert client.get(f"/orders/{order.id}").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/cart/add",
        "/cart/lines/x/increase",
        "/cart/lines/x/decrease",
        "/cart/lines/x/remove",
        "/cart/notes",
        "/checkout",
    ],
)
@pytest.mark.parametrize(
    "data",
    [
        {},
        {"item_id": "\x00", "quantity": "9" * 40},
        {"item_id": ["1", "2"], "quantity": ["1", "x"]},
        {"note": "\ud7ff" * 300, "customer_name": "🍜" * 50, "payment_method": ["cash", "qris"]},
    ],
)
def test_garbage_posts_never_give_a_500(client, csrf, menu, path, data):
    response = client.post(path, data={"csrf_token": csrf, **data})
    assert 400 <= response.status_code < 500 or response.status_code == 303
