"""Item options: the choice rules, the choice panel and page, the cart, checkout, and
what orders remember."""

import re

import pytest

from tests import factories as make
from tests.http_helpers import HTMX, add_to_cart, cart_lines, check_out, checkout_form
from webapp.extensions import db
from webapp.menu import option_editing
from webapp.menu.editing import MenuError
from webapp.menu.options import GENERAL, ChoiceError, choose, default_choice
from webapp.models import Option, OrderItemOption


@pytest.fixture
def groups(menu):
    return make.menu_options(menu)


def choice_url(item) -> str:
    return f"/menu/item/{item.id}"


def choose_and_add(client, csrf, item, option_ids, quantity="1", note="", htmx=False, **extra):
    data: dict = {"csrf_token": csrf, "quantity": quantity, "note": note, **extra}
    for option_id in option_ids:
        group = db.session.get(Option, option_id).group_id
        data.setdefault(f"group-{group}", []).append(str(option_id))
    return client.post(choice_url(item), data=data, headers=HTMX if htmx else {})


# The rules --------------------------------------------------------------------------------


def test_a_valid_choice_is_priced_from_the_menu(menu, groups):
    choice = choose(menu["Nasi Goreng"], make.option_ids(groups, "Level 3", "Telur", "Keju"))
    assert [option.name for option in choice.options] == ["Level 3", "Telur", "Keju"]
    assert choice.unit_price == 25000 + 4000 + 5000


@pytest.mark.parametrize(
    ("names", "group", "message"),
    [
        ((), "Level pedas", "Level pedas: pilih satu."),  # required, none chosen
        (("Level 1", "Level 2"), "Level pedas", "Level pedas: pilih paling banyak 1."),
        (("Level 1", "Telur", "Keju", "Kerupuk", "Level 0"), "Level pedas", "Level pedas: pilih paling banyak 1."),
        (("Level 1", "Sosis"), "Tambahan", "Sosis sedang habis; pilih yang lain."),
    ],
)
def test_each_broken_rule_has_its_message_on_its_group(menu, groups, names, group, message):
    with pytest.raises(ChoiceError) as refused:
        choose(menu["Nasi Goreng"], make.option_ids(groups, *names))
    assert refused.value.messages[groups[group].id] == message


def test_more_than_the_maximum_of_a_group_is_refused(menu, groups):
    option_editing.save_option(None, groups["Tambahan"], name="Tempe", price_diff=1000)
    with pytest.raises(ChoiceError) as refused:
        choose(menu["Nasi Goreng"], make.option_ids(groups, "Level 0", "Telur", "Keju", "Kerupuk", "Tempe"))
    assert refused.value.messages == {groups["Tambahan"].id: "Tambahan: pilih paling banyak 3."}


def test_a_minimum_above_one_is_asked_for(menu, groups):
    option_editing.save_group(groups["Tambahan"], name="Tambahan", min_choices=2, max_choices=3)
    with pytest.raises(ChoiceError) as refused:
        choose(menu["Nasi Goreng"], make.option_ids(groups, "Level 0", "Telur"))
    assert refused.value.messages == {groups["Tambahan"].id: "Tambahan: pilih paling sedikit 2."}


def test_an_option_of_a_group_not_on_the_item_is_refused(menu, groups):
    with pytest.raises(ChoiceError) as refused:
        choose(menu["Nasi Goreng"], make.option_ids(groups, "Level 0", "Jumbo"))
    assert refused.value.messages == {GENERAL: "Pilihan itu bukan untuk Nasi Goreng."}


def test_only_a_single_sensible_default_is_preselected(menu, groups):
    assert default_choice(menu["Nasi Goreng"]) == set()  # six levels, all free: the customer decides
    assert default_choice(menu["Es Teh Manis"]) == set(make.option_ids(groups, "Reguler"))


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"min_choices": -1, "max_choices": 1}, "min_choices", "Minimal pilihan tidak boleh negatif."),
        ({"min_choices": 2, "max_choices": 1}, "max_choices", "Maksimal pilihan harus"),
        ({"min_choices": 0, "max_choices": 0}, "max_choices", "Maksimal pilihan harus"),
    ],
)
def test_group_limits_that_make_no_sense_are_refused(app, fields, field, message):
    with pytest.raises(MenuError) as refused:
        option_editing.save_group(None, name="Saus", **fields)
    assert refused.value.field == field and str(refused.value).startswith(message)


def test_a_negative_price_difference_is_refused(menu, groups):
    with pytest.raises(MenuError) as refused:
        option_editing.save_option(None, groups["Tambahan"], name="Diskon", price_diff=-1000)
    assert refused.value.field == "price_diff"


# Choosing over HTTP ---------------------------------------------------------------------------


def test_the_choice_page_works_without_javascript(client, csrf, menu, groups):
    menu_html = client.get("/").get_data(as_text=True)
    assert f'href="/menu/item/{menu["Nasi Goreng"].id}"' in menu_html and "ada pilihan" in menu_html
    page = client.get(choice_url(menu["Es Teh Manis"])).get_data(as_text=True)
    assert "<html" in page and "Ukuran" in page and "+Rp3.000" in page
    (reguler,) = make.option_ids(groups, "Reguler")
    assert re.search(rf'value="{reguler}"[^>]*checked', page)
    response = choose_and_add(client, csrf, menu["Es Teh Manis"], make.option_ids(groups, "Jumbo"))
    assert response.status_code == 303
    (line,) = cart_lines(client)
    assert line["opts"] == [[make.option_ids(groups, "Jumbo")[0], 3000]]
    assert "Rp8.000" in client.get("/cart").get_data(as_text=True)


def test_the_panel_comes_to_htmx_and_shows_the_running_price(client, csrf, menu, groups):
    panel = client.get(choice_url(menu["Nasi Goreng"]), headers=HTMX).get_data(as_text=True)
    assert "<html" not in panel and 'class="choice-form"' in panel and "Rp25.000" in panel
    assert "Level pedas" in panel and "Pilih 1" in panel and "Opsional, paling banyak 3" in panel
    refused = choose_and_add(client, csrf, menu["Nasi Goreng"], make.option_ids(groups, "Telur"), htmx=True)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Level pedas: pilih satu." in html and "Rp29.000" in html  # what is chosen, priced by the server
    added = choose_and_add(client, csrf, menu["Nasi Goreng"], make.option_ids(groups, "Level 3", "Telur"), htmx=True)
    assert added.status_code == 200 and added.headers["HX-Retarget"] == "#cart"
    assert "Rp29.000" in added.get_data(as_text=True) and "Level 3, Telur" in added.get_data(as_text=True)


def test_an_item_with_required_options_cannot_be_added_without_them(client, csrf, menu, groups):
    refused = add_to_cart(client, csrf, menu["Nasi Goreng"].id, htmx=True)
    assert refused.status_code == 422 and "Pilih dulu pilihan untuk Nasi Goreng." in refused.get_data(as_text=True)
    assert cart_lines(client) == []


@pytest.mark.parametrize("value", ["abc", "-1", "99999999999999", "1.5"])
def test_tampered_option_fields_are_refused_with_a_message(client, csrf, menu, groups, value):
    response = client.post(
        choice_url(menu["Nasi Goreng"]), data={"csrf_token": csrf, "quantity": "1", "group-1": value}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Pilihan tidak dikenal." in html or "Pilihan itu bukan untuk Nasi Goreng." in html
    assert cart_lines(client) == []


def test_a_foreign_option_and_a_sold_out_option_are_refused(client, csrf, menu, groups):
    foreign = choose_and_add(client, csrf, menu["Nasi Goreng"], make.option_ids(groups, "Level 0", "Jumbo"))
    assert foreign.status_code == 422 and "Pilihan itu bukan untuk Nasi Goreng." in foreign.get_data(as_text=True)
    sold_out = choose_and_add(client, csrf, menu["Nasi Goreng"], make.option_ids(groups, "Level 0", "Sosis"))
    assert sold_out.status_code == 422 and "Sosis sedang habis" in sold_out.get_data(as_text=True)
    assert cart_lines(client) == []


def test_tampered_quantity_on_the_choice_form_is_refused(client, csrf, menu, groups):
    response = choose_and_add(client, csrf, menu["Nasi Goreng"], make.option_ids(groups, "Level 0"), quantity="0")
    assert response.status_code == 422 and "Jumlah harus angka 1 sampai 99." in response.get_data(as_text=True)


def focused(html: str) -> list[str]:
    """The opening tags with autofocus (htmx focuses the first after its swap, the
    browser on loading the page)."""
    return re.findall(r"<[a-z]+\b[^>]*\bautofocus\b[^>]*>", html)


@pytest.mark.parametrize(
    "names, quantity, expected",
    [
        (["Telur"], "0", r'<fieldset class="choice-group has-error" aria-describedby="group-error-\d+" tabindex="-1"'),
        (["Level 0"], "0", r'<input[^>]*id="quantity"'),
        (["Level 0", "Jumbo"], "1", r'<p class="alert" role="alert" tabindex="-1"'),
    ],
    ids=["a group before the quantity", "the quantity", "an error of no group"],
)
def test_a_refused_choice_focuses_the_first_thing_to_fix(client, csrf, menu, groups, names, quantity, expected):
    for htmx in (True, False):
        refused = choose_and_add(
            client, csrf, menu["Nasi Goreng"], make.option_ids(groups, *names), quantity, htmx=htmx
        )
        assert refused.status_code == 422
        (tag,) = focused(refused.get_data(as_text=True))
        assert re.match(expected, tag), tag
    assert focused(client.get(choice_url(menu["Nasi Goreng"]), headers=HTMX).get_data(as_text=True)) == []


def test_the_running_price_is_for_the_quantity_chosen(client, csrf, menu, groups):
    nasi = menu["Nasi Goreng"]
    refused = choose_and_add(client, csrf, nasi, make.option_ids(groups, "Telur"), quantity="3", htmx=True)
    assert "Rp87.000" in refused.get_data(as_text=True)  # 3 x (Rp25.000 + Rp4.000 telur)
    refused = choose_and_add(client, csrf, nasi, make.option_ids(groups, "Telur"), quantity="100", htmx=True)
    assert "Rp29.000" in refused.get_data(as_text=True)  # a quantity out of bounds prices one, and says why
    assert "Jumlah harus angka 1 sampai 99." in refused.get_data(as_text=True)


def test_the_english_panel_names_its_one_price(client, menu, groups):
    panel = client.get(choice_url(menu["Nasi Goreng"]), headers={**HTMX, "Accept-Language": "en"})
    assert re.search(r'class="choice-total">Price <output class="choice-price"', panel.get_data(as_text=True))


def test_the_panel_closes_to_the_menu_and_steps_its_quantity_with_javascript(client, menu, groups):
    for headers in (HTMX, {}):
        panel = client.get(choice_url(menu["Nasi Goreng"]), headers=headers).get_data(as_text=True)
        assert re.search(r'<a class="btn-icon choice-close" href="/" data-choice-close\s+aria-label="Tutup', panel)
        steps = re.findall(r'<button class="btn-icon" type="button" data-qty-step="-?1"[^>]*>', panel)
        assert len(steps) == 2 and all(" hidden" in step for step in steps)  # shown by choice-panel.js
        assert 'type="number"' in panel and 'min="1"' in panel and 'max="99"' in panel  # without it, the field
    assert "hx-disable" in panel  # the page posts plainly, even where htmx runs


def test_lines_are_distinct_per_options_and_note_and_the_same_combination_adds_up(client, csrf, menu, groups):
    nasi = menu["Nasi Goreng"]
    choose_and_add(client, csrf, nasi, make.option_ids(groups, "Level 3", "Telur"))
    choose_and_add(client, csrf, nasi, make.option_ids(groups, "Telur", "Level 3"), quantity="2")
    choose_and_add(client, csrf, nasi, make.option_ids(groups, "Level 1"))
    choose_and_add(client, csrf, nasi, make.option_ids(groups, "Level 3", "Telur"), note="tanpa bawang")
    assert [(line["qty"], line["note"]) for line in cart_lines(client)] == [(3, ""), (1, ""), (1, "tanpa bawang")]


# Checkout ---------------------------------------------------------------------------------------


def test_checkout_recomputes_prices_and_the_order_remembers_the_options(client, csrf, menu, groups):
    choose_and_add(client, csrf, menu["Nasi Goreng"], make.option_ids(groups, "Level 3", "Telur"), quantity="2")
    order = check_out(client, csrf, menu)
    (line,) = order.items
    assert (line.unit_price, line.quantity, line.line_total, order.total) == (29000, 2, 58000, 58000)
    assert [(o.group_name, o.name, o.price_diff) for o in line.options] == [
        ("Level pedas", "Level 3", 0),
        ("Tambahan", "Telur", 4000),
    ]
    assert line.option_names == ["Level 3", "Telur"]
    page = client.get(f"/orders/{order.public_id}").get_data(as_text=True)
    assert "Level 3, Telur" in page


def test_the_checkout_summary_names_each_lines_options(client, csrf, menu, groups):
    choose_and_add(client, csrf, menu["Nasi Goreng"], make.option_ids(groups, "Level 3", "Telur"))
    page = client.get("/checkout").get_data(as_text=True)
    summary = page[page.index('class="summary"') : page.index("</section>")]
    assert re.search(r'Nasi Goreng.*<small class="line-options">Level 3, Telur</small>', summary, re.S)
    assert "Rp29.000" in summary


def test_a_price_changed_since_adding_stops_checkout_naming_the_option(client, csrf, menu, groups):
    choose_and_add(client, csrf, menu["Nasi Goreng"], make.option_ids(groups, "Level 3", "Telur"))
    telur = db.session.get(Option, make.option_ids(groups, "Telur")[0])
    option_editing.save_option(telur, telur.group, name="Telur", price_diff=5000)
    cart = client.get("/cart").get_data(as_text=True)
    assert "Harga Telur berubah dari Rp4.000 menjadi Rp5.000" in cart
    refused = check_out_refused(client, csrf)
    assert "Harga Telur berubah" in refused
    choose_and_add(client, csrf, menu["Nasi Goreng"], make.option_ids(groups, "Level 3", "Telur"))
    assert check_out(client, csrf, menu).total == 30000 * 2  # the same line, at the new price


def test_an_option_sold_out_since_adding_stops_checkout_naming_it(client, csrf, menu, groups):
    choose_and_add(client, csrf, menu["Nasi Goreng"], make.option_ids(groups, "Level 3", "Telur"))
    telur = db.session.get(Option, make.option_ids(groups, "Telur")[0])
    telur.available = False
    db.session.commit()
    assert "Telur sedang habis" in check_out_refused(client, csrf)
    assert db.session.query(OrderItemOption).count() == 0


def check_out_refused(client, csrf) -> str:
    response = client.post("/checkout", data=checkout_form(client))
    assert response.status_code == 422
    return response.get_data(as_text=True)


def test_the_qris_amount_sent_to_duitku_includes_the_options(client, csrf, menu, groups, sandbox):
    choose_and_add(client, csrf, menu["Es Teh Manis"], make.option_ids(groups, "Jumbo"), quantity="3")
    order = check_out(client, csrf, menu, method="qris")
    payment = order.current_payment
    assert order.total == payment.amount == 3 * 8000
    assert sandbox.extensions["sandbox_store"].get(payment.reference).amount == 24000


def test_existing_orders_without_options_still_show(client, csrf, menu):
    order = make.order(menu)
    assert [line.options for line in order.items] == [[], []]
    assert client.get(f"/orders/{order.public_id}").status_code == 200
