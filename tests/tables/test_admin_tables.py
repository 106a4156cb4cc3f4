"""The admin's tables: adding and editing, a new code, the QR card sheet and files."""

import re

import pytest

from tests import factories as make
from tests.html_forms import form_with_button
from tests.qr_images import decode_png, decode_svg
from webapp.extensions import db
from webapp.models import DiningTable
from webapp.tables import registry

CARD = re.compile(r'<article class="table-card" aria-label="Meja ([^"]+)">(.*?)</article>', re.S)


def test_an_admin_adds_a_table_from_the_list_page(admin_client):
    page = admin_client.get("/admin/tables").get_data(as_text=True)
    form = form_with_button(page, "Tambah meja")
    response = admin_client.post(form.action, data=form.fields | {"label": "Teras 2", "area": "Teras"})
    assert response.status_code == 303
    table = db.session.query(DiningTable).one()
    assert (table.label, table.area, table.active) == ("Teras 2", "Teras", True)
    assert "Meja Teras 2" in admin_client.get("/admin/tables").get_data(as_text=True)


def test_a_taken_label_comes_back_as_a_form_error(admin_client):
    make.dining_table("7")
    page = admin_client.get("/admin/tables").get_data(as_text=True)
    form = form_with_button(page, "Tambah meja")
    response = admin_client.post(form.action, data=form.fields | {"label": "7"})
    assert response.status_code == 422 and "Meja 7 sudah ada" in response.get_data(as_text=True)


def test_editing_switches_a_table_off_and_moves_it(admin_client):
    table = make.dining_table("7")
    page = admin_client.get(f"/admin/tables/{table.id}/edit").get_data(as_text=True)
    form = form_with_button(page, "Simpan")
    del form.fields["active"]  # unticked
    response = admin_client.post(
        form.action or f"/admin/tables/{table.id}/edit", data=form.fields | {"label": "7A", "position": "3"}
    )
    assert response.status_code == 303
    db.session.refresh(table)
    assert (table.label, table.active, table.position) == ("7A", False, 3)


def test_a_new_code_retires_the_old_link(admin_client):
    table = make.dining_table("7")
    old = table.token
    page = admin_client.get("/admin/tables").get_data(as_text=True)
    assert (
        form_with_button(page, "Kode baru untuk meja 7").submit(admin_client, "Kode baru untuk meja 7").status_code
        == 303
    )
    db.session.refresh(table)
    assert table.token != old and registry.lookup(old).scan == registry.Scan.ROTATED


def test_the_sheet_has_a_card_for_every_active_table_whose_qr_decodes_to_its_link(app, admin_client):
    tables = [make.dining_table(label) for label in ("1", "2", "Teras 1")]
    registry.save_table(make.dining_table("9"), "9", active=False)
    page = admin_client.get("/admin/tables/print").get_data(as_text=True)
    assert "@page" not in page  # the print rules live in the stylesheet (CSP: no inline style)
    cards = dict(CARD.findall(page))
    assert set(cards) == {"1", "2", "Teras 1"}
    base = app.config["PUBLIC_BASE_URL"]
    for table in tables:
        body = cards[table.label]
        link = f"{base}/t/{table.token}"
        assert decode_svg(body) == [link]
        assert "Warung Makan Sederhana" in body and f'table-card-label">{table.label}<' in body
        assert "Scan untuk pesan dari meja ini" in body and "Scan to order from this table" in body


def test_the_stylesheet_prints_the_sheet_on_a4(client):
    css = client.get("/static/css/app.css").get_data(as_text=True)
    assert "@page { size: A4" in css


@pytest.mark.parametrize("kind", ["png", "svg"])
def test_each_table_has_its_qr_as_a_file(app, admin_client, kind):
    table = make.dining_table("Teras 2")
    response = admin_client.get(f"/admin/tables/{table.id}/qr.{kind}")
    assert response.status_code == 200 and response.mimetype == f"image/{'png' if kind == 'png' else 'svg+xml'}"
    assert 'filename="meja-Teras-2' in response.headers["Content-Disposition"]
    decoded = decode_png(response.data) if kind == "png" else decode_svg(response.get_data(as_text=True))
    assert decoded == [f"{app.config['PUBLIC_BASE_URL']}/t/{table.token}"]


def test_cashiers_cannot_manage_tables(cashier_client):
    assert cashier_client.get("/admin/tables").status_code == 403
