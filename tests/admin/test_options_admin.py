"""Admins manage option groups, their options and which items carry them; the cashier
marks an option sold out and the customer's menu shows it at once."""

import pytest
from sqlalchemy import select

from tests import factories as make
from webapp.extensions import db
from webapp.models import Option, OptionGroup


def post(client, url, **data):
    return client.post(url, data={"csrf_token": client.csrf_token, **data})


def test_an_admin_builds_a_group_with_options_and_attaches_it(admin_client, client, menu):
    assert (
        post(
            admin_client, "/admin/options/groups/new", name="Level pedas", min_choices="1", max_choices="1"
        ).status_code
        == 303
    )
    group = db.session.scalar(select(OptionGroup))
    for level in ("Level 0", "Level 3"):
        post(admin_client, f"/admin/options/groups/{group.id}/options/new", name=level, price_diff="0", available="y")
    post(
        admin_client, f"/admin/options/groups/{group.id}/options/new", name="Level 5", price_diff="1.000", available="y"
    )
    assert [(o.name, o.price_diff) for o in group.options] == [("Level 0", 0), ("Level 3", 0), ("Level 5", 1000)]
    nasi = menu["Nasi Goreng"]
    assert post(admin_client, f"/admin/items/{nasi.id}/options", groups=str(group.id)).status_code == 303
    assert nasi.option_groups == [group]
    listing = admin_client.get("/admin/options").get_data(as_text=True)
    assert "Level pedas" in listing and "+Rp1.000" in listing and "dipasang di 1 menu" in listing
    assert f'href="/menu/item/{nasi.id}"' in client.get("/").get_data(as_text=True)
    post(admin_client, f"/admin/items/{nasi.id}/options")  # none ticked: taken off
    assert nasi.option_groups == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "", "min_choices": "0", "max_choices": "1"}, "Nama wajib diisi."),
        ({"name": "Saus", "min_choices": "-1", "max_choices": "1"}, "Minimal antara 0 dan 20."),
        ({"name": "Saus", "min_choices": "2", "max_choices": "1"}, "Maksimal pilihan harus 1 atau lebih"),
        ({"name": "Saus", "min_choices": "0", "max_choices": "0"}, "Maksimal antara 1 dan 20."),
        ({"name": "Saus", "min_choices": "satu", "max_choices": "1"}, "Harus angka."),
    ],
)
def test_group_forms_refuse_bad_limits_with_a_message(admin_client, fields, message):
    response = post(admin_client, "/admin/options/groups/new", **fields)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(OptionGroup)) is None


@pytest.mark.parametrize(
    ("price_diff", "message"),
    [
        ("-4000", "Tambahan harga tidak boleh negatif."),
        ("4.0", "Tambahan harga harus jumlah rupiah utuh, misalnya 4.000"),
        ("", "wajib diisi"),
    ],
)
def test_option_forms_refuse_a_bad_price_difference(admin_client, menu, price_diff, message):
    groups = make.menu_options(menu)
    url = f"/admin/options/groups/{groups['Tambahan'].id}/options/new"
    response = post(admin_client, url, name="Diskon", price_diff=price_diff)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(Option).where(Option.name == "Diskon")) is None


def test_attaching_a_group_that_does_not_exist_is_refused(admin_client, menu):
    response = post(admin_client, f"/admin/items/{menu['Nasi Goreng'].id}/options", groups="999")
    assert response.status_code == 422


def test_the_cashier_marks_an_option_sold_out_and_the_menu_shows_it_at_once(staff_client, client, menu):
    groups = make.menu_options(menu)
    cashier = staff_client("cashier")
    (telur,) = make.option_ids(groups, "Telur")
    panel_url = f"/menu/item/{menu['Nasi Goreng'].id}"
    assert "sold-out" not in client.get(panel_url).get_data(as_text=True).split("Telur")[0].rsplit("<label", 1)[1]
    stock = cashier.get("/cashier/menu").get_data(as_text=True)
    assert "Pilihan: Tambahan" in stock and "Tandai habis: Telur" in stock
    response = cashier.post(
        f"/cashier/menu/options/{telur}/availability", data={"csrf_token": cashier.csrf_token, "available": "0"}
    )
    assert response.status_code == 303
    assert db.session.get(Option, telur).available is False
    label = client.get(panel_url).get_data(as_text=True).split("Telur")[0].rsplit("<label", 1)[1]
    assert "sold-out" in label


def test_deleting_an_option_keeps_the_orders_that_chose_it(admin_client, menu):
    groups = make.menu_options(menu)
    level, telur = make.option_ids(groups, "Level 2", "Telur")
    order = make.order(menu, lines=(("Nasi Goreng", 1, "", {level: 0, telur: 4000}),))
    assert post(admin_client, f"/admin/options/groups/{groups['Tambahan'].id}/delete").status_code == 303
    db.session.expire_all()
    assert order.items[0].option_names == ["Level 2", "Telur"] and order.items[0].unit_price == 29000
