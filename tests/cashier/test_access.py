"""Every /cashier and /admin route, enumerated from the app's url_map."""

from werkzeug.routing import IntegerConverter
from werkzeug.routing.converters import AnyConverter

from tests.http_helpers import csrf_token_from, log_in, staff_csrf
from webapp.extensions import db


def staff_routes(app) -> list[tuple[str, str, str]]:
    """(method, url, endpoint) for every staff route, with placeholder arguments."""
    adapter = app.url_map.bind("localhost")
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(("/cashier", "/admin")):
            continue
        values = {}
        for name, converter in rule._converters.items():
            if isinstance(converter, AnyConverter):
                values[name] = sorted(converter.items)[0]
            elif isinstance(converter, IntegerConverter):
                values[name] = 1
            else:
                values[name] = "x"
        url = adapter.build(rule.endpoint, values)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((method, url, rule.endpoint))
    return routes


def test_there_are_staff_routes_to_check(app):
    endpoints = {endpoint for _m, _u, endpoint in staff_routes(app)}
    assert {"cashier.board", "cashier.confirm_cash", "admin.menu", "admin.report"} <= endpoints
    assert len(staff_routes(app)) >= 20


def test_every_staff_route_needs_a_login(app, client, menu):
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    for method, url, _endpoint in staff_routes(app):
        response = client.open(url, method=method, data={"csrf_token": token})
        assert response.status_code == 302, (method, url)
        assert response.location.startswith("/login"), (method, url)


def test_cashier_cannot_reach_admin_routes(app, cashier_client):
    token = cashier_client.csrf_token
    for method, url, _endpoint in staff_routes(app):
        if url.startswith("/admin"):
            response = cashier_client.open(url, method=method, data={"csrf_token": token})
            assert response.status_code == 403, (method, url)


def test_every_staff_post_requires_a_csrf_token(app, admin_client):
    for method, url, _endpoint in staff_routes(app):
        if method == "POST":
            response = admin_client.post(url, data={})
            assert response.status_code == 400, url
            assert "Formulir kedaluwarsa" in response.get_data(as_text=True)


def test_login_logout_and_safe_next(client, staff):
    response = client.get("/cashier")
    assert response.status_code == 302 and response.location.startswith("/login?next=")
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login?next=//evil.example/x", data={"csrf_token": token, "username": "SARI ", "password": "rahasia-kasir-123"}
    )
    assert response.status_code == 303 and response.location == "/cashier"
    assert client.get("/cashier").status_code == 200
    logout = client.post("/logout", data={"csrf_token": staff_csrf(client)})
    assert logout.status_code == 303
    assert client.get("/cashier").status_code == 302


def test_wrong_password_and_unknown_user_look_the_same(client, staff):
    wrong = log_in(client, "sari", "salah-sekali")
    unknown = log_in(client, "nobody", "salah-sekali")
    assert wrong.status_code == unknown.status_code == 422
    message = "Nama pengguna atau kata sandi salah"
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)


def test_disabled_user_cannot_log_in(app, client, staff):
    result = app.test_cli_runner().invoke(args=["users", "disable", "sari"])
    assert result.exit_code == 0
    response = log_in(client, "sari")
    assert response.status_code == 422 and "dinonaktifkan" in response.get_data(as_text=True)


def test_cli_creates_users_with_a_password_from_stdin(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "dewi", "--role", "admin"], input="kata-sandi-dewi\n")
    assert result.exit_code == 0, result.output
    assert log_in(client, "dewi", "kata-sandi-dewi").status_code == 303
    short = runner.invoke(args=["users", "create", "eko"], input="pendek\n")
    assert short.exit_code != 0 and "at least 8" in short.output
    again = runner.invoke(args=["users", "create", "dewi"], input="kata-sandi-lain\n")
    assert again.exit_code != 0 and "already exists" in again.output


def test_passwords_are_stored_hashed(app, staff):
    user = db.session.get(type(staff["cashier"]), staff["cashier"].id)
    assert "rahasia" not in user.password_hash and user.password_hash.startswith("scrypt:")
