"""The tills page (Pengaturan, owners only): "Kasir 1" is there from the first visit,
and a till's name, receipt printer and paper width are checked as they are saved."""

import re

import pytest

from tests.db_helpers import count, reload
from webapp.models import ReceiptPaper, Till
from webapp.till import settings


@pytest.mark.no_till
def test_the_page_makes_kasir_1_when_there_is_no_till_yet(admin_client):
    assert count(Till) == 0
    page = admin_client.get("/admin/tills").get_data(as_text=True)
    assert "Kasir 1" in page and "tanpa printer" in page and "kertas 80 mm" in page
    assert admin_client.get("/admin/tills").status_code == 200
    assert [till.name for till in Till.query.all()] == ["Kasir 1"]  # once


@pytest.mark.no_till
def test_the_tills_page_is_for_the_owner_only(cashier_client, admin_client):
    assert cashier_client.get("/admin/tills").status_code == 403
    refused = cashier_client.post("/admin/tills/new", data={"csrf_token": cashier_client.csrf_token, "name": "Kasir 2"})
    assert refused.status_code == 403 and count(Till) == 0
    assert "Mesin kasir" in admin_client.get("/admin/").get_data(as_text=True)  # in the staff bar's Pengaturan


def test_the_owner_adds_a_till_with_a_printer_on_58_mm_paper_and_changes_it(admin_client):
    response = admin_client.post(
        "/admin/tills/new",
        data={
            "csrf_token": admin_client.csrf_token,
            "name": "  Kasir   Depan ",
            "printer": "192.168.1.60:9100",
            "paper": "58",
        },
    )
    assert response.status_code == 303 and response.location.endswith("/admin/tills")
    till = Till.query.filter_by(name="Kasir Depan").one()
    assert (till.printer, till.paper) == ("192.168.1.60:9100", ReceiptPaper.MM58)
    form = admin_client.get(f"/admin/tills/{till.id}/edit").get_data(as_text=True)
    assert 'value="192.168.1.60:9100"' in form and re.search(r'<input checked [^>]*value="58"', form)
    changed = admin_client.post(
        f"/admin/tills/{till.id}/edit",
        data={"csrf_token": admin_client.csrf_token, "name": "Kasir Depan", "printer": "", "paper": "80"},
    )
    assert changed.status_code == 303
    assert (reload(till).printer, reload(till).paper) == ("", ReceiptPaper.MM80)


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"name": ""}, "Nama wajib diisi."),
        ({"name": "kasir 1"}, "Sudah ada mesin kasir bernama kasir 1."),
        ({"name": "Kasir 2", "printer": "printer-kasir"}, "Printer ditulis host:port"),
        ({"name": "Kasir 2", "printer": "10.0.0.9:99999"}, "Printer ditulis host:port"),
        ({"name": "Kasir 2", "printer": "10.0.0 .9:9100"}, "Printer ditulis host:port"),
        ({"name": "Kasir 2", "printer": "1" * 121}, "Paling panjang 120 karakter."),
        ({"name": "x" * 41}, "Paling panjang 40 karakter."),
        ({"name": "Kasir 2", "paper": "57"}, "Not a valid choice"),
        ({"name": "Kasir 2", "paper": ""}, "Pilih salah satu."),
    ],
)
def test_bad_till_settings_are_refused_with_a_message(admin_client, fields, error):
    settings.default_till()
    data = {"csrf_token": admin_client.csrf_token, "paper": "80", **fields}
    response = admin_client.post("/admin/tills/new", data=data)
    assert response.status_code == 422 and error in response.get_data(as_text=True)
    assert count(Till) == 1


def test_editing_a_till_that_does_not_exist_is_not_found(admin_client):
    assert admin_client.get("/admin/tills/999/edit").status_code == 404
