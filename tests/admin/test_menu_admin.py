"""Admins create, edit, reorder and delete categories and items."""

import re

import pytest
from sqlalchemy import select

from tests import factories as make
from tests.db_helpers import reload
from webapp.extensions import db
from webapp.models import Category, MenuItem, OrderItem


def post(client, url, **data):
    return client.post(url, data={"csrf_token": client.csrf_token, **data})


def item_form(category, **overrides):
    data = {
        "category_id": str(category.id),
        "name": "Sate Ayam",
        "description": "10 tusuk",
        "price": "30000",
        "available": "y",
    }
    data.update(overrides)
    return data


def test_create_edit_and_list_an_item(admin_client, client, menu):
    food = menu["Nasi Goreng"].category
    response = post(admin_client, "/admin/items/new", **item_form(food))
    assert response.status_code == 303
    sate = db.session.scalar(select(MenuItem).where(MenuItem.name == "Sate Ayam"))
    assert (sate.price, sate.available, sate.category_id) == (30000, True, food.id)
    assert "Sate Ayam" in client.get("/").get_data(as_text=True)
    post(admin_client, f"/admin/items/{sate.id}/edit", **item_form(food, price="Rp32.000", available=""))
    sate = reload(sate)
    assert (sate.price, sate.available) == (32000, False)


def test_the_price_field_takes_rupiah_as_written(admin_client, menu):
    page = admin_client.get("/admin/items/new").get_data(as_text=True)
    field = re.search(r'<input[^>]*name="price"[^>]*>', page).group(0)
    assert 'type="text"' in field and 'inputmode="numeric"' in field  # a number field would refuse "25.000"
    food = menu["Nasi Goreng"].category
    assert post(admin_client, "/admin/items/new", **item_form(food, price="25.000")).status_code == 303
    assert db.session.scalar(select(MenuItem.price).where(MenuItem.name == "Sate Ayam")) == 25000


def test_english_names_and_descriptions_are_optional(admin_client, menu):
    food = menu["Nasi Goreng"].category
    form = item_form(food, name_en="Chicken Satay", description_en="10 skewers")
    assert post(admin_client, "/admin/items/new", **form).status_code == 303
    sate = db.session.scalar(select(MenuItem).where(MenuItem.name == "Sate Ayam"))
    assert (sate.name_en, sate.description_en) == ("Chicken Satay", "10 skewers")
    edit_page = admin_client.get(f"/admin/items/{sate.id}/edit").get_data(as_text=True)
    assert 'value="Chicken Satay"' in edit_page and "10 skewers" in edit_page
    assert post(admin_client, f"/admin/items/{sate.id}/edit", **item_form(food, name_en="")).status_code == 303
    assert reload(sate).name_en == ""
    assert post(admin_client, f"/admin/categories/{food.id}/edit", name="Makanan", name_en="Food").status_code == 303
    assert reload(food).name_en == "Food"
    assert "Food" in admin_client.get("/admin/menu").get_data(as_text=True)


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"price": "0"}, "lebih dari 0"),
        ({"price": "-1000"}, "lebih dari 0"),
        ({"price": "25.5"}, "jumlah rupiah utuh, misalnya 25.000"),
        ({"price": "abc"}, "jumlah rupiah utuh, misalnya 25.000"),
        ({"price": ""}, "Harga wajib diisi"),
        ({"name": ""}, "Nama wajib diisi"),
        ({"name": "x" * 81}, "paling panjang 80"),
        ({"name": "mie ayam"}, "sudah ada di kategori ini"),
        ({"category_id": "9999"}, "Kategori tidak ditemukan"),
        ({"name_en": "x" * 81}, "paling panjang 80"),
        ({"description_en": "x" * 201}, "paling panjang 200"),
    ],
)
def test_invalid_items_are_form_errors(admin_client, menu, overrides, message):
    before = db.session.scalars(select(MenuItem.name)).all()
    response = post(admin_client, "/admin/items/new", **item_form(menu["Nasi Goreng"].category, **overrides))
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalars(select(MenuItem.name)).all() == before


def test_same_name_is_fine_in_another_category(admin_client, menu):
    drinks = menu["Es Teh Manis"].category
    assert post(admin_client, "/admin/items/new", **item_form(drinks, name="Mie Ayam")).status_code == 303


def test_deleting_an_item_keeps_past_orders_intact(admin_client, client, menu):
    order = make.order(menu)
    item_id = menu["Nasi Goreng"].id  # read before the row is deleted
    post(admin_client, f"/admin/items/{item_id}/delete")
    assert db.session.get(MenuItem, item_id) is None
    line = db.session.scalar(select(OrderItem).where(OrderItem.order_id == order.id, OrderItem.name == "Nasi Goreng"))
    assert line.menu_item_id is None and line.unit_price == 25000 and reload(order).total == 30000
    assert "Nasi Goreng" in client.get(f"/orders/{order.public_id}").get_data(as_text=True)


def test_reorder_items_and_categories(admin_client, client, menu):
    mie = menu["Mie Ayam"]
    post(admin_client, f"/admin/items/{mie.id}/move", direction="up")
    html = client.get("/").get_data(as_text=True)
    assert html.index("Mie Ayam") < html.index("Nasi Goreng")
    drinks = menu["Es Teh Manis"].category
    post(admin_client, f"/admin/categories/{drinks.id}/move", direction="up")
    html = client.get("/").get_data(as_text=True)
    assert html.index("Minuman") < html.index("Makanan")
    post(admin_client, f"/admin/categories/{drinks.id}/move", direction="up")  # already first: no change
    assert client.get("/").get_data(as_text=True).index("Minuman") < html.index("Makanan")


def test_categories_create_rename_and_delete_only_when_empty(admin_client, menu):
    assert post(admin_client, "/admin/categories/new", name="Sambal").status_code == 303
    assert post(admin_client, "/admin/categories/new", name="sambal").status_code == 422  # case-insensitive
    sambal = db.session.scalar(select(Category).where(Category.name == "Sambal"))
    post(admin_client, f"/admin/categories/{sambal.id}/edit", name="Sambal & Lauk")
    assert reload(sambal).name == "Sambal & Lauk"
    food = menu["Nasi Goreng"].category
    response = admin_client.post(
        f"/admin/categories/{food.id}/delete", data={"csrf_token": admin_client.csrf_token}, follow_redirects=True
    )
    assert "masih berisi menu" in response.get_data(as_text=True)
    assert db.session.get(Category, food.id) is not None
    sambal_id = sambal.id  # read before the row is deleted
    post(admin_client, f"/admin/categories/{sambal_id}/delete")
    assert db.session.get(Category, sambal_id) is None
