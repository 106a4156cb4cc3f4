"""The drawer page (`/drawer`): a cashier opens a shift with the float, pays out and in
with a reason, counts and closes (past the limit with a note and a manager's PIN on the
same device), and lands on the Z report; every form refuses bad input with a message
on the field at fault (422), never a 500."""

import re

import pytest
from sqlalchemy import select

from tests import factories as make
from tests.db_helpers import count, reload
from tests.http_helpers import log_in, visible_text
from webapp.extensions import db
from webapp.models import AuditEntry, AuditKind, CashKind, CashMovement, Role, Shift, ShiftStatus, Till
from webapp.shifts import drawer


def post(client, path: str, **data):
    return client.post(path, data={"csrf_token": client.csrf_token, **data})


def page_text(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return visible_text(response.get_data(as_text=True))


def error_of(response, field: str) -> str:
    """The message shown on a field of the page answered."""
    page = response.get_data(as_text=True)
    found = re.search(rf'id="{field}-error">([^<]*)<', page)
    assert found, f"no error on {field}"
    return found.group(1)


def version(client, till: Till) -> str:
    return re.search(
        r'name="version" type="hidden" value="(\d+)"', client.get(f"/drawer/{till.public_id}").get_data(as_text=True)
    ).group(1)


def open_at(client, till: Till, opening_float: str = "200.000"):
    return post(client, f"/drawer/{till.public_id}/open", opening_float=opening_float)


def close(client, shift: Shift, till: Till, step: str = "close", **data):
    if "version" not in data:
        data["version"] = version(client, till)
    return post(client, f"/drawer/shifts/{shift.public_id}/close", step=step, **data)


def test_the_drawer_is_the_cashiers_and_opens_at_this_devices_till(app, cashier_client, till):
    first = make.open_drawer()
    assert cashier_client.get("/drawer").location == f"/drawer/{db.session.get(Till, first.till_id).public_id}"
    cashier_client.get(f"/drawer/{till.public_id}")
    assert cashier_client.get("/drawer").location == f"/drawer/{till.public_id}"  # the one it opened last
    waiter = app.test_client()
    make.staff_user("wati", role=Role.WAITER)
    log_in(waiter, "wati")
    assert waiter.get(f"/drawer/{till.public_id}").status_code == 403
    assert cashier_client.get("/drawer/nope").status_code == 404


def test_a_cashier_opens_the_shift_with_the_float_typed_as_people_write_it(cashier_client, till):
    assert "Belum ada shift terbuka" in page_text(cashier_client, f"/drawer/{till.public_id}")
    assert open_at(cashier_client, till, "200rb").status_code == 303
    text = page_text(cashier_client, f"/drawer/{till.public_id}")
    assert "Shift Kasir 2 dibuka dengan uang awal Rp200.000." in text
    assert "Uang awal Rp200.000" in text and "Seharusnya di laci Rp200.000" in text
    assert drawer.open_shift_of(till).opened_by == "cashier:sari"


@pytest.mark.parametrize(
    "typed, message",
    [
        ("", "Hitung uang di laci dan tulis jumlahnya (0 jika kosong)."),
        ("-5000", "Jumlah tidak boleh negatif."),
        ("dua ratus", "Tulis jumlah dalam rupiah, misalnya 50000, 50.000 atau 50rb."),
        ("50.5", "Tulis jumlah dalam rupiah, misalnya 50000, 50.000 atau 50rb."),
        ("200000000", "Jumlah tidak masuk akal."),
        ("9" * 30, "Tulis jumlah dalam rupiah, misalnya 50000, 50.000 atau 50rb."),
    ],
)
def test_a_bad_float_is_refused_on_its_field(cashier_client, till, typed, message):
    refused = open_at(cashier_client, till, typed)
    assert refused.status_code == 422 and error_of(refused, "opening_float") == message
    assert count(Shift, till_id=till.id) == 0


def test_a_pay_out_for_ice_is_recorded_with_its_reason(cashier_client, till):
    open_at(cashier_client, till)
    paid_out = post(
        cashier_client, f"/drawer/{till.public_id}/cash", kind="pay_out", amount="20.000", reason="beli es batu"
    )
    assert paid_out.status_code == 303
    text = page_text(cashier_client, f"/drawer/{till.public_id}")
    assert "Uang keluar Rp20.000: beli es batu." in text
    assert "Uang keluar -Rp20.000" in text and "Seharusnya di laci Rp180.000" in text
    assert "beli es batu sari -Rp20.000" in text  # the shift's list of what went in and out
    assert (
        post(
            cashier_client, f"/drawer/{till.public_id}/cash", kind="pay_in", amount="5rb", reason="uang kecil"
        ).status_code
        == 303
    )
    assert [m.amount for m in drawer.open_shift_of(till).movements] == [-20_000, 5000]


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"amount": "", "reason": "es"}, "amount", "Tulis jumlahnya."),
        ({"amount": "0", "reason": "es"}, "amount", "Jumlah harus lebih dari nol."),
        ({"amount": "-20000", "reason": "es"}, "amount", "Jumlah harus lebih dari nol."),
        (
            {"amount": "es batu", "reason": "es"},
            "amount",
            "Tulis jumlah dalam rupiah, misalnya 50000, 50.000 atau 50rb.",
        ),
        ({"amount": "100000001", "reason": "es"}, "amount", "Jumlah tidak masuk akal."),
        ({"amount": "250000", "reason": "es"}, "amount", "Uang di laci tidak cukup untuk dikeluarkan."),
        ({"amount": "20000", "reason": "  "}, "reason", "Tulis alasannya."),
        ({"amount": "20000", "reason": "x" * 201}, "reason", "Alasan paling panjang 200 karakter."),
        ({"amount": "20000", "reason": "es", "kind": "sale"}, "kind", "Pilih uang masuk atau uang keluar."),
    ],
)
def test_a_bad_pay_in_or_out_is_refused_on_its_field(cashier_client, till, fields, field, message):
    open_at(cashier_client, till)
    refused = post(cashier_client, f"/drawer/{till.public_id}/cash", **{"kind": "pay_out", **fields})
    assert refused.status_code == 422 and error_of(refused, field) == message
    assert count(CashMovement) == 0


def test_paying_out_with_no_shift_open_says_so(cashier_client, till):
    refused = post(cashier_client, f"/drawer/{till.public_id}/cash", kind="pay_out", amount="1000", reason="es")
    assert refused.status_code == 409
    assert "Belum ada shift terbuka di Kasir 2" in visible_text(refused.get_data(as_text=True))


def test_checking_the_count_shows_expected_counted_and_the_difference_without_closing(cashier_client, till):
    open_at(cashier_client, till)
    shift = drawer.open_shift_of(till)
    checked = close(
        cashier_client, shift, till, step="check", n100000="1", n50000="1", n20000="2", n5000="1", n2000="2"
    )
    text = visible_text(checked.get_data(as_text=True))
    assert checked.status_code == 200
    assert "Seharusnya Rp200.000 Dihitung Rp199.000 Selisih -Rp1.000 (kurang Rp1.000)" in text
    assert reload(shift).status == ShiftStatus.OPEN


def test_a_count_within_the_limit_closes_and_lands_on_the_z_report(cashier_client, till):
    open_at(cashier_client, till)
    shift = drawer.open_shift_of(till)
    closed = close(cashier_client, shift, till, total="196.000")
    assert closed.status_code == 303 and closed.location == f"/drawer/shifts/{shift.public_id}"
    text = page_text(cashier_client, closed.location)
    assert "Shift Kasir 2 ditutup." in text and "Laporan Z" in text
    assert "Seharusnya di laci Rp200.000 Dihitung Rp196.000 Selisih -Rp4.000 (kurang Rp4.000)" in text
    assert (reload(shift).status, shift.counted, shift.approver) == (ShiftStatus.CLOSED, 196_000, "")
    again = close(cashier_client, shift, till, total="200000", version="2")
    assert again.status_code == 303 and "Shift ini sudah ditutup." in page_text(cashier_client, again.location)


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({}, "total", "Tulis total uang di laci, atau jumlah per pecahan."),
        ({"total": "-1"}, "total", "Jumlah tidak boleh negatif."),
        ({"total": "banyak"}, "total", "Tulis jumlah dalam rupiah, misalnya 50000, 50.000 atau 50rb."),
        ({"total": "100000001"}, "total", "Jumlah tidak masuk akal."),
        ({"n1000": "-1"}, "n1000", "Jumlah lembar atau keping 0 sampai 9999."),
        ({"n1000": "10000"}, "n1000", "Jumlah lembar atau keping 0 sampai 9999."),
        ({"n500": "dua"}, "n500", "Tulis jumlah lembar atau keping."),
        ({"total": "200000", "n100000": "1"}, "total", "Total tidak sama dengan hitungan per pecahan (Rp100.000)."),
        ({"total": "200000", "note": "x" * 201}, "note", "Catatan paling panjang 200 karakter."),
    ],
)
def test_a_bad_count_is_refused_on_its_field(cashier_client, till, fields, field, message):
    open_at(cashier_client, till)
    shift = drawer.open_shift_of(till)
    refused = close(cashier_client, shift, till, **fields)
    assert refused.status_code == 422 and error_of(refused, field) == message
    assert reload(shift).status == ShiftStatus.OPEN


def test_a_difference_past_the_limit_needs_a_note_and_a_managers_pin_on_this_device(cashier_client, till, manager):
    open_at(cashier_client, till)
    shift = drawer.open_shift_of(till)
    refused = close(cashier_client, shift, till, total="190.000")
    assert refused.status_code == 422
    assert "Selisih lebih dari Rp5.000: tulis catatan dan minta persetujuan manajer." in visible_text(
        refused.get_data(as_text=True)
    )
    assert error_of(refused, "note") == "Tulis catatan: kenapa uang di laci berbeda."
    assert error_of(refused, "approver") == "Pilih manajer yang menyetujui."
    assert error_of(refused, "pin") == "Manajer mengetik PIN-nya di sini."
    wrong = close(cashier_client, shift, till, total="190.000", note="kembalian salah", approver="rini", pin="1111")
    assert wrong.status_code == 422 and error_of(wrong, "pin") == "PIN salah atau bukan PIN manajer."
    assert reload(shift).status == ShiftStatus.OPEN
    closed = close(cashier_client, shift, till, total="190.000", note="kembalian salah", approver="rini", pin="2468")
    assert closed.status_code == 303
    assert (reload(shift).approver, shift.close_note, shift.difference) == ("cashier:rini", "kembalian salah", -10_000)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.kind == AuditKind.SHIFT_CLOSED))
    assert (entry.actor, entry.approver, entry.after["difference"]) == ("cashier:sari", "cashier:rini", -10_000)
    assert "Buka shift" in page_text(cashier_client, f"/drawer/{till.public_id}")  # still logged in, as sari


def test_cash_that_moved_since_the_count_refuses_the_close_and_shows_the_new_figures(cashier_client, till):
    open_at(cashier_client, till)
    shift = drawer.open_shift_of(till)
    seen = version(cashier_client, till)
    drawer.pay_in_or_out(till, CashKind.PAY_IN, 10_000, "modal", "cashier:dewi")
    refused = close(cashier_client, shift, till, total="200000", version=seen)
    text = visible_text(refused.get_data(as_text=True))
    assert refused.status_code == 409
    assert "Ada uang masuk atau keluar sejak laci dihitung: periksa hitungannya lagi." in text
    assert "Seharusnya Rp210.000 Dihitung Rp200.000" in text
    assert reload(shift).status == ShiftStatus.OPEN


@pytest.mark.parametrize("paper", ["58", "80", "a4", "nope"])
def test_the_report_prints_on_the_paper_asked_for(cashier_client, till, paper):
    open_at(cashier_client, till)
    shift = drawer.open_shift_of(till)
    page = cashier_client.get(f"/drawer/shifts/{shift.public_id}?paper={paper}").get_data(as_text=True)
    assert f"css/receipt-{'80' if paper == 'nope' else paper}.css" in page
    assert "Laporan X" in visible_text(page)
