"""The promotions page (/admin/promotions): the owner and managers make and change
promotions; every bad input is refused on its field (422), never a 500."""

import pytest

from tests import factories as make
from tests.db_helpers import count
from tests.http_helpers import logged_in_client, visible_text
from webapp.models import AuditEntry, AuditKind, Promotion, Role


@pytest.fixture
def manager(app, menu):
    make.staff_user("rini", role=Role.MANAGER)
    return logged_in_client(app, "rini")


def happy_hour_form(manager, menu, **changed) -> dict:
    return {
        "csrf_token": manager.csrf_token,
        "name": "Happy hour",
        "kind": "percent",
        "value": "20",
        "days": ["0", "1", "2", "3", "4"],
        "starts": "15.00",
        "ends": "17.00",
        "categories": [str(menu["Es Teh Manis"].category_id)],
        "active": "y",
    } | changed


def test_a_manager_makes_a_happy_hour_and_changes_it(manager, menu):
    made = manager.post("/admin/promotions/new", data=happy_hour_form(manager, menu))
    assert made.status_code == 303
    promotion = Promotion.query.one()
    assert (promotion.kind, promotion.value, promotion.days, promotion.starts_at, promotion.ends_at) == (
        "percent",
        2000,
        0b11111,
        900,
        1020,
    )
    text = visible_text(manager.get("/admin/promotions").get_data(as_text=True))
    assert "Happy hour · -20%" in text and "Senin, Selasa, Rabu, Kamis, Jumat · 15.00-17.00 Minuman" in text
    edit = manager.get(f"/admin/promotions/{promotion.id}/edit").get_data(as_text=True)
    assert 'value="15.00"' in edit and 'value="20"' in edit
    changed = happy_hour_form(manager, menu, kind="amount", value="Rp2.500", ends="24.00", days=["5", "6"])
    assert manager.post(f"/admin/promotions/{promotion.id}/edit", data=changed).status_code == 303
    assert (promotion.kind, promotion.value, promotion.days, promotion.ends_at) == ("amount", 2500, 0b1100000, 1440)
    trail = AuditEntry.query.filter_by(kind=AuditKind.PROMOTION).order_by(AuditEntry.id).all()
    assert [(entry.actor, entry.subject) for entry in trail] == [("cashier:rini", "Happy hour")] * 2
    assert trail[1].before == {"kind": "percent", "value": 2000, "days": 31, "ends_at": 1020}


@pytest.mark.parametrize(
    "changed, message",
    [
        ({"value": "dua puluh"}, "Tulis angka persen, mis. 20 atau 12,5."),
        ({"value": "150"}, "Potongan paling besar 100%."),
        ({"value": "0"}, "Potongan harus lebih dari 0."),
        ({"value": ""}, "Tulis besar potongannya."),
        ({"kind": "amount", "value": "-5000"}, "Potongan harus lebih dari 0."),
        ({"kind": "amount", "value": "5,5"}, "Tulis jumlah rupiah, mis. 5.000."),
        ({"kind": "bonus"}, "Not a valid choice."),
        ({"days": []}, "Pilih paling sedikit satu hari."),
        ({"days": ["9"]}, "is not a valid choice for this field."),
        ({"starts": "25.00"}, "Tulis jam seperti 15.00."),
        ({"starts": "pagi"}, "Tulis jam seperti 15.00."),
        ({"ends": "14.00"}, "Jam selesai harus setelah jam mulai (di hari yang sama)."),
        ({"ends": "24.30"}, "Tulis jam seperti 17.00 (24.00 untuk akhir hari)."),
        ({"categories": []}, "Pilih menu atau kategori yang mendapat promo."),
        ({"name": ""}, "Nama wajib diisi."),
    ],
)
def test_bad_input_is_refused_on_its_field(manager, menu, changed, message):
    refused = manager.post("/admin/promotions/new", data=happy_hour_form(manager, menu, **changed))
    assert refused.status_code == 422
    assert message in refused.get_data(as_text=True)
    assert count(Promotion) == 0


def test_a_cashier_cannot_open_the_page(cashier_client):
    refused = cashier_client.get("/admin/promotions")
    assert refused.status_code == 403 and "mengatur promo dan voucher" in refused.get_data(as_text=True)
