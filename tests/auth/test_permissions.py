"""Roles and permissions: every route of the app names its permission, and every role
gets exactly what the one table in webapp/staff/permissions.py says, route by route."""

import pytest
from werkzeug.routing import IntegerConverter
from werkzeug.routing.converters import AnyConverter

from tests import factories as make
from tests.http_helpers import csrf_token_from, log_in
from webapp.access import needed
from webapp.models import Role
from webapp.staff.permissions import NEEDS_NO_LOGIN, ROLE_PERMISSIONS, Permission, allows


def every_route(app) -> list[tuple[str, str, str]]:
    """(method, url, endpoint) for every route of the app, placeholder arguments filled in."""
    adapter = app.url_map.bind("localhost")
    routes = []
    for rule in app.url_map.iter_rules():
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


def test_every_route_names_a_permission(app):
    with app.test_request_context():
        unnamed = sorted({endpoint for _m, _u, endpoint in every_route(app) if needed(endpoint) is None})
    assert unnamed == []


def test_the_table_gives_each_role_its_job():
    assert allows(Role.ADMIN, Permission.USERS) and allows(Role.ADMIN, Permission.SETTINGS)
    assert allows(Role.MANAGER, Permission.REPORTS) and allows(Role.MANAGER, Permission.APPROVE)
    assert not allows(Role.MANAGER, Permission.SETTINGS)
    assert allows(Role.CASHIER, Permission.TAKE_CASH) and not allows(Role.CASHIER, Permission.REPORTS)
    assert allows(Role.WAITER, Permission.TAKE_ORDERS) and allows(Role.WAITER, Permission.FLOOR)
    assert not allows(Role.WAITER, Permission.TAKE_CASH) and not allows(Role.WAITER, Permission.BOARD)
    assert ROLE_PERMISSIONS[Role.KITCHEN] == {Permission.STAFF, Permission.KITCHEN, Permission.STOCK}


@pytest.mark.parametrize("role", list(Role))
def test_every_route_answers_each_role_as_the_table_says(app, client, menu, role):
    make.staff_user("orang", role=role)
    assert log_in(client, "orang").status_code == 303
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    wrong, checked = [], 0
    with app.test_request_context():
        routes = [(method, url, needed(endpoint)) for method, url, endpoint in every_route(app)]
    for method, url, permission in routes:
        if permission in NEEDS_NO_LOGIN or url == "/logout":
            continue
        response = client.open(url, method=method, data={"csrf_token": token})
        refused = response.status_code == 403
        if refused == allows(role, permission):
            wrong.append((method, url, permission, response.status_code))
        checked += 1
    assert wrong == [] and checked > 60


# What some routes need, pinned: a route moved to another permission must be meant.
PINNED = {
    "cashier.board": Permission.BOARD,
    "cashier.confirm_cash": Permission.TAKE_CASH,
    "cashier.bill_share_cash": Permission.TAKE_CASH,
    "cashier.bill_rest_cash": Permission.TAKE_CASH,
    "cashier.tables": Permission.FLOOR,
    "cashier.bill_page": Permission.FLOOR,
    "cashier.menu": Permission.STOCK,
    "kitchen.display": Permission.KITCHEN,
    "kitchen.bump": Permission.KITCHEN,
    "kitchen.undo": Permission.KITCHEN,
    "kitchen.station_settings": Permission.SETTINGS,
    "admin.today": Permission.REPORTS,
    "admin.report": Permission.REPORTS,
    "admin.menu": Permission.MANAGE_MENU,
    "admin.bill_settings": Permission.SETTINGS,
    "admin.tills": Permission.SETTINGS,
    "admin.edit_till": Permission.SETTINGS,
    "cashier.print_receipt": Permission.REPRINT,
    "shop.checkout": Permission.PUBLIC,
    "callbacks.duitku_callback": Permission.PUBLIC,
    "api.create_qris": Permission.PARTNER,
}


def test_the_routes_that_matter_most_need_what_they_should(app):
    with app.test_request_context():
        assert {endpoint: needed(endpoint) for endpoint in PINNED} == PINNED


def test_a_kitchen_account_sees_the_kitchen_and_nothing_of_the_counter(client, menu):
    make.staff_user("dapur1", role=Role.KITCHEN)
    log_in(client, "dapur1")
    token = csrf_token_from(client.get("/kitchen/").get_data(as_text=True))
    assert client.get("/kitchen/").status_code == 200
    order = make.order(menu)
    assert client.get("/cashier").status_code == 403
    cash = client.post(f"/cashier/orders/{order.public_id}/cash", data={"csrf_token": token, "tendered": "50000"})
    assert cash.status_code == 403 and "Akun dapur tidak bisa menerima uang." in cash.get_data(as_text=True)


def test_a_refusal_says_what_the_page_needs_and_who_is_asking(client, menu):
    make.staff_user("dapur1", role=Role.KITCHEN)
    log_in(client, "dapur1")
    response = client.get("/cashier")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "Akun dapur tidak bisa membuka papan pesanan." in page
    assert '<a class="btn btn-primary" href="/login">Ke halaman kerja saya</a>' in page  # not the customer's menu
    assert client.get("/login").location.endswith("/kitchen/")  # which sends the kitchen to its displays


@pytest.mark.parametrize(
    "role, landing",
    [
        (Role.ADMIN, "/admin/"),
        (Role.MANAGER, "/admin/"),
        (Role.CASHIER, "/cashier"),
        (Role.WAITER, "/cashier/tables"),
        (Role.KITCHEN, "/kitchen/"),
    ],
)
def test_each_role_lands_on_its_job(client, menu, role, landing):
    make.staff_user("orang", role=role)
    assert log_in(client, "orang").location == landing
