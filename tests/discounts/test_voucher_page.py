"""The vouchers page (/admin/vouchers): made, listed and switched off by the owner and
managers, every bad input refused on its field (422), never a 500."""

import pytest

from tests import factories as make
from tests.db_helpers import count, reload
from tests.http_helpers import logged_in_client, visible_text
from webapp.models import AuditEntry, AuditKind, Role, Voucher, VoucherStatus


@pytest.fixture
def manager(app, menu, clock):
    make.staff_user("rini", role=Role.MANAGER)
    return logged_in_client(app, "rini")


def voucher_form(manager, **changed) -> dict:
    return {
        "csrf_token": manager.csrf_token,
        "code": "hemat 10",
        "kind": "percent",
        "value": "10",
        "valid_from": "2026-11-22",
        "valid_until": "2026-12-31",
        "uses_limit": "50",
        "min_spend": "Rp50.000",
    } | changed


def test_a_manager_makes_a_voucher_and_switches_it_off(manager):
    assert manager.get("/admin/vouchers").status_code == 200
    assert manager.post("/admin/vouchers", data=voucher_form(manager)).status_code == 303
    voucher = Voucher.query.one()
    assert (voucher.code, voucher.kind, voucher.value, voucher.uses_limit, voucher.min_spend) == (
        "HEMAT10",
        "percent",
        1000,
        50,
        50_000,
    )
    text = visible_text(manager.get("/admin/vouchers").get_data(as_text=True))
    assert "HEMAT10 · -10% bisa dipakai 22/11/2026 sampai 31/12/2026 · dipakai 0 dari 50" in text
    assert "belanja minimal Rp50.000" in text
    off = manager.post(f"/admin/vouchers/{voucher.id}/disable", data={"csrf_token": manager.csrf_token})
    assert off.status_code == 303 and reload(voucher).status == VoucherStatus.DISABLED
    again = manager.post(f"/admin/vouchers/{voucher.id}/disable", data={"csrf_token": manager.csrf_token})
    assert again.status_code == 303  # harmless
    trail = AuditEntry.query.filter_by(kind=AuditKind.VOUCHER).order_by(AuditEntry.id).all()
    assert [(entry.subject, entry.after.get("status")) for entry in trail] == [
        ("HEMAT10", None),
        ("HEMAT10", "disabled"),
    ]


@pytest.mark.parametrize(
    "changed, message",
    [
        ({"code": ""}, "Kode wajib diisi."),
        ({"code": "a!"}, "Kode 3-20 huruf, angka atau tanda hubung, tanpa spasi di tengah."),
        ({"code": "X" * 21}, "Kode 3-20 huruf, angka atau tanda hubung, tanpa spasi di tengah."),
        ({"value": "sepuluh"}, "Tulis angka persen, mis. 20 atau 12,5."),
        ({"value": "101"}, "Potongan paling besar 100%."),
        ({"kind": "amount", "value": "-1"}, "Potongan harus lebih dari 0."),
        ({"valid_from": "besok"}, "Tulis tanggal seperti 2026-12-31."),
        ({"valid_until": "2026-11-01"}, "Tanggal akhir tidak boleh sebelum tanggal mulai."),
        ({"uses_limit": "0"}, "Paling sedikit 1 kali."),
        ({"uses_limit": "lima"}, "Harus angka."),
        ({"min_spend": "-5000"}, "Belanja minimal tidak boleh negatif."),
        ({"min_spend": "lima puluh"}, "Tulis jumlah rupiah, mis. 50.000."),
    ],
)
def test_bad_input_is_refused_on_its_field(manager, changed, message):
    refused = manager.post("/admin/vouchers", data=voucher_form(manager, **changed))
    assert refused.status_code == 422
    assert message in refused.get_data(as_text=True)
    assert count(Voucher) == 0


def test_a_code_is_used_once(manager):
    make.voucher("HEMAT10")
    refused = manager.post("/admin/vouchers", data=voucher_form(manager))
    assert refused.status_code == 422 and "Kode HEMAT10 sudah dipakai voucher lain." in refused.text
    assert count(Voucher) == 1
