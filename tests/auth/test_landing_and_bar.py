"""Where staff land after logging in, and the staff bar each role sees (issue 24, item
17): an admin lands on the day's summary, a cashier on the board; a cashier's bar holds
a cashier's jobs only, an admin's every job, grouped."""

import re

from tests import factories as make
from tests.http_helpers import csrf_token_from, log_in
from webapp.kitchen import stations

ADMIN_LINKS = ["/admin/", "/admin/menu", "/admin/options", "/admin/tables", "/admin/tables/print", "/admin/report"]
ADMIN_LINKS += ["/admin/report/bill", "/admin/shop", "/admin/bill", "/kitchen/stations"]


def bar(page: str) -> str:
    return re.search(r'<nav class="staff-nav".*?</nav>', page, re.S).group(0)


def links(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)"', html)


def test_an_admin_lands_on_the_day_and_a_cashier_on_the_board(client, staff):
    assert log_in(client, "budi").location == "/admin/"
    assert client.get("/login").location == "/admin/"  # already logged in
    page = client.get("/admin/").get_data(as_text=True)
    assert "<h1>Hari ini" in page and "Penjualan hari ini" in page and "Menunggu tunai" in page
    other = client.application.test_client()
    assert log_in(other, "sari").location == "/cashier"
    assert other.get("/admin/").status_code == 403


def test_a_next_page_still_wins_over_the_landing_page(client, staff):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login?next=/admin/report", data={"csrf_token": token, "username": "budi", "password": make.STAFF_PASSWORD}
    )
    assert response.location == "/admin/report"


def test_a_cashier_sees_a_cashiers_jobs_and_an_admin_every_job(staff_client, app):
    station = f"/kitchen/{stations.save_station(None, 'Minuman', '').id}"  # ids go on across tests on PostgreSQL
    cashier = bar(staff_client("cashier").get("/cashier/menu").get_data(as_text=True))
    assert re.findall(r'<li class="staff-group[^"]*">\s*<(?:a[^>]*|details[^>]*>\s*<summary)>([^<]+)<', cashier) == [
        "Hari ini",
        "Menu",
        "Meja",
        "Dapur",
    ]
    assert links(cashier) == ["/till", "/drawer", "/cashier", "/cashier/menu", "/cashier/tables", station]
    assert '<a href="/cashier/menu" aria-current="page">Menu</a>' in cashier
    admin = bar(staff_client("admin").get("/admin/items/new").get_data(as_text=True))
    assert set(ADMIN_LINKS) <= set(links(admin)) and station in links(admin)
    assert re.search(r'<li class="staff-group current">\s*<details name="staff-nav">\s*<summary>Menu<', admin)
    assert 'aria-current="page"' not in admin  # the new item's page is reached from Kelola menu
