"""Staff sessions end on logout, on a password change and after a working day unused,
on every device that holds one (including a copied cookie)."""

from tests.factories import STAFF_PASSWORD
from tests.http_helpers import csrf_token_from, log_in, log_out

REPORT = "/admin/report.csv"


def copy_session(source, target) -> None:
    target.set_cookie("session", source.get_cookie("session").value)


def test_logout_ends_a_copied_session_cookie(app, admin_client):
    thief = app.test_client()
    copy_session(admin_client, thief)
    assert thief.get(REPORT).status_code == 200
    log_out(admin_client)
    response = thief.get(REPORT)
    assert response.status_code == 302 and response.location.startswith("/login")


def test_logout_ends_every_session_of_that_user_only(staff_client):
    tablet, phone, cashier = staff_client("admin"), staff_client("admin"), staff_client("cashier")
    log_out(tablet)
    assert phone.get("/cashier").status_code == 302
    assert cashier.get("/cashier").status_code == 200  # another user keeps working


def test_an_old_cookie_stays_dead_after_logging_in_again(app, admin_client):
    thief = app.test_client()
    copy_session(admin_client, thief)
    log_out(admin_client)
    assert log_in(admin_client, "budi").status_code == 303
    assert admin_client.get(REPORT).status_code == 200
    assert thief.get(REPORT).status_code == 302


def test_set_password_ends_sessions_and_changes_the_password(app, cashier_client, client):
    result = app.test_cli_runner().invoke(args=["users", "set-password", "SARI"], input="kata-sandi-baru\n")
    assert result.exit_code == 0, result.output
    assert cashier_client.get("/cashier").status_code == 302
    assert log_in(client, "sari", STAFF_PASSWORD).status_code == 422
    assert log_in(client, "sari", "kata-sandi-baru").status_code == 303


def test_set_password_refuses_a_short_password_or_an_unknown_user(app, staff):
    runner = app.test_cli_runner()
    short = runner.invoke(args=["users", "set-password", "sari"], input="pendek\n")
    assert short.exit_code != 0 and "at least 8" in short.output
    unknown = runner.invoke(args=["users", "set-password", "nobody"], input="kata-sandi-baru\n")
    assert unknown.exit_code != 0 and "No user nobody" in unknown.output


def test_disabling_a_user_ends_their_sessions(app, cashier_client):
    assert app.test_cli_runner().invoke(args=["users", "disable", "sari"]).exit_code == 0
    assert cashier_client.get("/cashier").status_code == 302


def test_a_session_lasts_a_working_day_renewed_by_use(staff_client, clock):
    client = staff_client("cashier")
    clock.advance(hours=11)
    assert client.get("/cashier").status_code == 200
    clock.advance(hours=11)  # 22 h after login, 11 h after the last use
    assert client.get("/cashier").status_code == 200
    clock.advance(hours=12, minutes=1)
    response = client.get("/cashier")
    assert response.status_code == 302 and response.location.startswith("/login")
    assert log_in(client, "sari").status_code == 303  # a new login starts a new day


def test_a_copied_cookie_expires_too(app, cashier_client, clock):
    """The lifetime is kept inside the signed session, so it travels with a copy."""
    clock.current = clock.current.replace(year=2099)  # later than the login, whatever the wall clock says
    thief = app.test_client()
    copy_session(cashier_client, thief)
    assert thief.get("/cashier").status_code == 302


def test_logout_keeps_the_customer_session(app, menu, staff):
    client = app.test_client()
    client.get("/lang/en")
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    client.post("/cart/add", data={"csrf_token": token, "item_id": menu["Mie Ayam"].id, "quantity": 2})
    assert log_in(client, "sari").status_code == 303
    log_out(client)
    cart = client.get("/cart").get_data(as_text=True)
    assert "Mie Ayam" in cart and 'lang="en"' in cart
