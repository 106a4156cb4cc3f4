"""The audit trail: every sensitive action is a row (who, approver, when, what, before
and after, the device's address) written with the change; the owner reads it by day,
person and kind, and downloads it; on PostgreSQL no row can be changed or deleted."""

import csv
import io

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests import factories as make
from tests.db_helpers import end_transaction
from tests.http_helpers import log_in, visible_text
from webapp import audit
from webapp.bills import bill_closing
from webapp.extensions import db
from webapp.models import AuditEntry, AuditKind, CloseReason, Role, User


def rows(kind: AuditKind) -> list[AuditEntry]:
    return AuditEntry.query.filter_by(kind=kind).order_by(AuditEntry.id).all()


def test_staff_account_changes_are_kept_with_who_and_from_where(admin_client, staff):
    csrf = {"csrf_token": admin_client.csrf_token}
    admin_client.post("/admin/users", data=csrf | {"username": "joko", "role": "waiter", "password": "pelayan-123"})
    joko = User.query.filter_by(username="joko").one()
    admin_client.post(f"/admin/users/{joko.id}/role", data=csrf | {"role": "cashier"})
    admin_client.post(f"/admin/users/{joko.id}/active", data=csrf)
    admin_client.post(f"/admin/users/{joko.id}/password", data=csrf | {"password": "sandi-baru-123"})
    owner = f"cashier:{staff['admin'].username}"
    [created] = [row for row in rows(AuditKind.USER_CREATED) if row.subject == "joko"]
    assert (created.actor, created.subject, created.after, created.address) == (
        owner,
        "joko",
        {"role": "waiter"},
        "127.0.0.1",
    )
    [role] = rows(AuditKind.ROLE_CHANGED)
    assert (role.before, role.after) == ({"role": "waiter"}, {"role": "cashier"})
    assert [row.after for row in rows(AuditKind.USER_DISABLED)] == [{"active": False}]
    assert [row.subject for row in rows(AuditKind.PASSWORD_RESET)] == ["joko"]


def test_a_price_change_keeps_the_old_and_new_price_only(admin_client, menu):
    item = menu["Nasi Goreng"]
    form = {
        "csrf_token": admin_client.csrf_token,
        "category_id": str(item.category_id),
        "name": item.name,
        "description": item.description,
        "price": "27.000",
        "available": "y",
    }
    seeded = len(rows(AuditKind.MENU_ITEM))  # the menu's own creation
    assert admin_client.post(f"/admin/items/{item.id}/edit", data=form).status_code == 303
    [changed] = rows(AuditKind.MENU_ITEM)[seeded:]
    assert (changed.subject, changed.before, changed.after) == ("Nasi Goreng", {"price": 25000}, {"price": 27000})
    assert changed.actor.startswith("cashier:")
    assert admin_client.post(f"/admin/items/{item.id}/edit", data=form).status_code == 303
    assert len(rows(AuditKind.MENU_ITEM)) == seeded + 1  # nothing changed: nothing kept


def test_bill_settings_keep_what_changed(admin_client):
    make.bill_settings()
    make.bill_settings(tax_rate=500)
    make.bill_settings(tax_rate=500)  # the same again: nothing to keep
    [first, second] = rows(AuditKind.BILL_SETTINGS)
    assert first.before is None and first.after["tax_rate"] == 1000
    assert (second.before, second.after) == ({"tax_rate": 1000}, {"tax_rate": 500})


def test_a_bill_closed_unpaid_and_an_order_moved_are_kept(menu, clock):
    bill = make.three_friends_bill(menu, now=clock())
    order = bill.orders[0]
    bill_closing.move_order(order, make.dining_table("9"), "cashier:sari", clock())
    [moved] = rows(AuditKind.ORDER_MOVED)
    assert (moved.subject, moved.before, moved.after) == (f"Pesanan {order.number}", {"table": "4"}, {"table": "9"})
    bill_closing.close_bill(make.open_bill("4"), CloseReason.WALK_OUT, "kabur lewat pintu samping", "cashier:sari")
    [closed] = rows(AuditKind.BILL_CLOSED)
    assert closed.after == {"reason": "walk_out"} and closed.note == "kabur lewat pintu samping"
    assert closed.before["paid"] == 0 and closed.before["total"] > 0


def test_the_owner_reads_the_trail_by_day_person_and_kind_and_downloads_it(admin_client, staff, clock):
    audit.record(AuditKind.PAY_OUT, "cashier:sari", "Laci Kasir 1", after={"amount": 20000}, note="beli es batu")
    audit.record(AuditKind.REPRINT, "cashier:rini", "Pesanan A-001")
    end_transaction()
    page = visible_text(
        admin_client.get("/admin/audit", query_string={"person": "cashier:sari"}).get_data(as_text=True)
    )
    assert "beli es batu" in page and "A-001" not in page
    page = visible_text(admin_client.get("/admin/audit", query_string={"kind": "reprint"}).get_data(as_text=True))
    assert "A-001" in page and "beli es batu" not in page
    assert "Tidak ada tindakan" in admin_client.get("/admin/audit?day=2020-01-01").get_data(as_text=True)
    download = admin_client.get("/admin/audit.csv")
    table = list(csv.reader(io.StringIO(download.get_data(as_text=True))))
    assert table[0][:3] == ["time", "kind", "actor"] and len(table) == 3
    assert sorted(tuple(row[1:3]) for row in table[1:]) == [("pay_out", "cashier:sari"), ("reprint", "cashier:rini")]


def test_only_the_owner_reads_the_trail(app, cashier_client):
    assert cashier_client.get("/admin/audit").status_code == 403
    make.staff_user("rini", role=Role.MANAGER)
    manager = app.test_client()
    log_in(manager, "rini")
    assert manager.get("/admin/audit").status_code == 403


def test_postgresql_refuses_to_change_or_delete_an_audit_row(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL: its trigger is the guard")
    entry = audit.record(AuditKind.PAY_OUT, "cashier:sari", "Laci Kasir 1", after={"amount": 20000})
    end_transaction()
    for statement in ("UPDATE audit_entry SET after = NULL WHERE id = :id", "DELETE FROM audit_entry WHERE id = :id"):
        with pytest.raises(DBAPIError, match="never changed or deleted"), db.engine.begin() as connection:
            connection.execute(text(statement), {"id": entry.id})
    assert db.session.get(AuditEntry, entry.id).after == {"amount": 20000}


def test_a_day_at_the_edge_of_the_calendar_shows_today(admin_client, clock):
    for day in ("9999-12-31", "0001-01-01"):
        page = admin_client.get(f"/admin/audit?day={day}")
        assert page.status_code == 200 and 'value="2026-11-22"' in page.get_data(as_text=True), day  # the clock's day
        assert admin_client.get(f"/admin/audit.csv?day={day}").status_code == 200, day
