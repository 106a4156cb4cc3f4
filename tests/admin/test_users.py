"""The owner's staff accounts page: a new account in a role, the role changed, an
account disabled (its sessions end) and enabled, a password reset; bad input refused
field by field; the last owner is never taken away; only the owner opens it."""

import pytest

from tests import factories as make
from tests.db_helpers import reload
from tests.http_helpers import log_in, visible_text
from webapp.models import Role, User


def post(client, path, **data):
    return client.post(path, data={"csrf_token": client.csrf_token, **data})


def test_the_owner_makes_a_waiter_then_a_manager_of_them(admin_client, app):
    created = post(admin_client, "/admin/users", username="Joko", role="waiter", password="pelayan-123")
    assert created.status_code == 303
    joko = User.query.filter_by(username="joko").one()
    assert joko.role == Role.WAITER
    page = visible_text(admin_client.get("/admin/users").get_data(as_text=True))
    assert "Akun joko dibuat sebagai pelayan." in page and "joko · pelayan" in page
    waiter = app.test_client()
    assert log_in(waiter, "joko", "pelayan-123").location == "/cashier/tables"
    assert post(admin_client, f"/admin/users/{joko.id}/role", role="manager").status_code == 303
    assert reload(joko).role == Role.MANAGER
    assert waiter.get("/admin/report").status_code == 200  # the new role at once, no new login


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"username": "", "role": "cashier", "password": "rahasia-123"}, "username", "Isi nama pengguna."),
        ({"username": "sari ayu", "role": "cashier", "password": "rahasia-123"}, "username", "Hanya huruf"),
        ({"username": "sari", "role": "cashier", "password": "rahasia-123"}, "username", "sudah dipakai"),
        ({"username": "dewi", "role": "boss", "password": "rahasia-123"}, "role", "Pilih peran yang ada."),
        ({"username": "dewi", "role": "cashier", "password": "pendek"}, "password", "paling sedikit 8"),
    ],
)
def test_bad_accounts_are_refused_field_by_field(admin_client, staff, fields, field, message):
    response = post(admin_client, "/admin/users", **fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page and f'id="{field}-error"' in page
    assert User.query.count() == 2


def test_disabling_ends_every_session_and_enabling_lets_them_back(admin_client, app, staff):
    sari = staff["cashier"]
    cashier = app.test_client()
    log_in(cashier, sari.username)
    assert cashier.get("/cashier").status_code == 200
    post(admin_client, f"/admin/users/{sari.id}/active")
    assert reload(sari).active is False
    assert cashier.get("/cashier").status_code == 302  # its session ended
    post(admin_client, f"/admin/users/{sari.id}/active")
    assert reload(sari).active is True and log_in(cashier, sari.username).status_code == 303


def test_a_reset_password_works_and_ends_the_old_sessions(admin_client, app, staff):
    sari = staff["cashier"]
    cashier = app.test_client()
    log_in(cashier, sari.username)
    assert post(admin_client, f"/admin/users/{sari.id}/password", password="pendek").status_code == 422
    assert post(admin_client, f"/admin/users/{sari.id}/password", password="sandi-baru-123").status_code == 303
    assert cashier.get("/cashier").status_code == 302
    assert log_in(cashier, sari.username, "sandi-baru-123").status_code == 303


def test_the_last_owner_is_never_taken_away(admin_client, staff):
    budi = staff["admin"]
    for path, data in ((f"/admin/users/{budi.id}/role", {"role": "cashier"}), (f"/admin/users/{budi.id}/active", {})):
        response = post(admin_client, path, **data)
        page = visible_text(admin_client.get(response.location).get_data(as_text=True))
        assert "pemilik aktif terakhir" in page
    assert (reload(budi).role, reload(budi).active) == (Role.ADMIN, True)
    make.staff_user("rini", role=Role.ADMIN)
    assert post(admin_client, f"/admin/users/{budi.id}/role", role="manager").status_code == 303
    assert reload(budi).role == Role.MANAGER


def test_only_the_owner_manages_accounts(app, cashier_client):
    assert cashier_client.get("/admin/users").status_code == 403
    make.staff_user("rini", role=Role.MANAGER)
    manager = app.test_client()
    log_in(manager, "rini")
    assert manager.get("/admin/report").status_code == 200 and manager.get("/admin/users").status_code == 403
