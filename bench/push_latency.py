"""How soon a paid order reaches the staff screens' streams (issue 28).

    .venv/bin/python bench/push_latency.py [ORDERS] [--two-instances | --sqlite]

A throwaway PostgreSQL and the app under gunicorn (or the reference deployment: nginx
in front of two instances) on 127.0.0.1. Three board streams and three kitchen-station
streams are held open, as six screens would, through the site's address (so with two
instances they land on both). Then ORDERS cash orders are placed and paid, one at a
time, by this process, as another instance or worker would: on PostgreSQL its commit
reaches the served processes by NOTIFY. For each order and each stream it measures the
time from the commit to the stream's event (a board's stream, opened with the lists the
board page shows, tells the cards, `cards`; a station's says `change`); then it times 50
fetches of the whole board, one after another (what a board asks after a `change` when
it cannot apply what it was told, at its largest), and prints percentiles.

--sqlite: an SQLite file served by one process. A stream there hears only its own
process, so each order is paid as a cashier pays it, by the board's cash form over HTTP,
and the time is counted from sending that form (its commit is a little later: the
figure is an upper bound).
"""

from __future__ import annotations

import contextlib
import os
import re
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import postgres, reference_deployment, served_app, sqlite_database

BOARDS, STATIONS = 3, 3
HTMX = {"HX-Request": "true"}


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(len(ordered) * share) - 1)]


def logged_in(base_url: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    form = session.get(base_url + "/login", timeout=10).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    login = {"csrf_token": token, "username": username, "password": password}
    assert session.post(base_url + "/login", data=login, timeout=10, allow_redirects=False).status_code == 303
    return session


class Screen(threading.Thread):
    """One stream held open; the monotonic time of each event (`change` or `cards`) it hears."""

    def __init__(self, session: requests.Session, url: str):
        super().__init__(daemon=True)
        self.response = session.get(url, stream=True, timeout=(3, 60))
        assert self.response.status_code == 200, (url, self.response.status_code)
        self.heard: list[float] = []
        self.ready = threading.Event()

    def run(self) -> None:
        with contextlib.suppress(requests.RequestException, AttributeError):  # closed at the end
            for line in self.response.iter_lines(decode_unicode=True):
                if line.startswith("retry:"):
                    self.ready.set()
                elif line in ("event: change", "event: cards"):
                    self.heard.append(time.monotonic())

    def hears_after(self, count: int, seconds: float = 10) -> float:
        """When this screen heard its next event after the first `count`."""
        deadline = time.monotonic() + seconds
        while len(self.heard) <= count:
            assert time.monotonic() < deadline, "a stream heard nothing within 10 s"
            time.sleep(0.002)
        return self.heard[count]


class Shop:
    """The bench's own app on the same database: places and pays orders as another
    process of the site would."""

    def __init__(self, site_env: dict):
        os.environ.update(site_env)  # the site's database and settings
        from sqlalchemy import event
        from sqlalchemy.orm import Session

        from webapp import create_app

        self.app = create_app()
        self.context = self.app.app_context()
        self.context.push()
        self.committed_at = 0.0
        event.listen(Session, "after_commit", self._committed)

    def _committed(self, _session) -> None:
        self.committed_at = time.monotonic()

    def station_ids(self) -> list[int]:
        from webapp.extensions import db
        from webapp.kitchen import stations
        from webapp.models import Category

        station = stations.save_station(None, "Dapur bench", "")
        for category in db.session.scalars(db.select(Category)):
            stations.assign(category, station)
        station_id = station.id
        db.session.commit()
        return [station_id] * STATIONS

    def let_go(self) -> None:
        """End the transaction a read after a commit began: on SQLite it holds the write
        lock (`BEGIN IMMEDIATE`), and the site would wait for it."""
        from webapp.extensions import db

        db.session.rollback()

    def open_drawer(self) -> None:
        from webapp.extensions import db
        from webapp.shifts import drawer
        from webapp.till.settings import default_till

        till = default_till()
        if drawer.open_shift_of(till) is None:
            drawer.open_shift(till, 0, "cashier:bench")
        db.session.commit()

    def cash_order(self):
        """A cash order placed, waiting for its cash."""
        from webapp.extensions import db
        from webapp.models import MenuItem, OrderType, PaymentMethod
        from webapp.orders.cart import Cart, price_cart
        from webapp.orders.placing import CustomerDetails, place_order

        available = db.session.scalars(db.select(MenuItem).where(MenuItem.available))
        item = next(item for item in available if not item.option_groups)  # nothing to choose
        cart = Cart({})
        cart.add(item.id, 1, "")
        customer = CustomerDetails(
            name="Bench", note="", payment_method=PaymentMethod.CASH, order_type=OrderType.TAKEAWAY, table=None
        )
        return place_order(price_cart(cart), customer)

    def pay(self, order) -> float:
        """The cashier takes the cash; the monotonic time of the commit."""
        from webapp.orders.paying import confirm_cash

        confirm_cash(order, order.total, "cashier:bench")  # commits
        return self.committed_at


def paid_at_the_counter(session: requests.Session, base_url: str, shop: Shop, order) -> float:
    """The cashier takes the order's cash by the board's form; the monotonic time it was sent."""
    public_id, total = order.public_id, order.total
    shop.let_go()
    page = session.get(f"{base_url}/cashier/orders/{public_id}", timeout=10).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    sent = time.monotonic()
    form = {"csrf_token": token, "tendered": str(total)}
    answer = session.post(f"{base_url}/cashier/orders/{public_id}/cash", data=form, timeout=10)
    assert answer.status_code == 200 and answer.url.endswith(public_id), answer.status_code
    return sent


def main() -> None:
    orders = int(next((arg for arg in sys.argv[1:] if arg.isdigit()), "50"))
    two = "--two-instances" in sys.argv
    sqlite = "--sqlite" in sys.argv
    if two and sqlite:
        sys.exit("SQLite is served by one process: --two-instances needs PostgreSQL")
    database = sqlite_database() if sqlite else postgres()
    serve = reference_deployment if two else served_app
    with database as database_url, serve(database_url, {"WEB_CONCURRENCY": "1"} if sqlite else None) as site:
        site.flask("users", "create", "benchkasir", "--role", "cashier", stdin="bench-password-1234\n")
        shop = Shop(site.env)
        shop.open_drawer()
        station_ids = shop.station_ids()
        session = logged_in(site.base_url, "benchkasir", "bench-password-1234")
        board = session.get(site.base_url + "/cashier", timeout=10).text
        lists = urlencode(re.findall(r'class="board-shown" id="[^"]+" name="([^"]+)" value="([^"]*)"', board))
        urls = [f"{site.base_url}/cashier/stream?{lists}"] * BOARDS + [
            f"{site.base_url}/kitchen/{station}/stream" for station in station_ids
        ]
        screens = [Screen(session, url) for url in urls]
        for screen in screens:
            screen.start()
            assert screen.ready.wait(10)
        delays: list[float] = []
        for _ in range(orders):
            order = shop.cash_order()  # the screens hear of it first: let that pass
            time.sleep(0.3)
            heard_before = [len(screen.heard) for screen in screens]
            committed = paid_at_the_counter(session, site.base_url, shop, order) if sqlite else shop.pay(order)
            delays += [
                (screen.hears_after(n) - committed) * 1000 for screen, n in zip(screens, heard_before, strict=True)
            ]
            time.sleep(0.2)  # orders a moment apart, as at a counter
        fetches = []
        for _ in range(50):
            start = time.monotonic()
            assert session.get(site.base_url + "/cashier/board", headers=HTMX, timeout=10).status_code in (200, 204)
            fetches.append((time.monotonic() - start) * 1000)
        for screen in screens:
            screen.response.close()
        deployment = "two instances behind nginx" if two else "one instance"
        where = "SQLite, one process" if sqlite else f"PostgreSQL, {deployment}"
        print(f"{where}: {orders} paid orders x {len(screens)} streams ({BOARDS} boards, {STATIONS} stations)")
        print(
            f"{'cash form sent' if sqlite else 'commit'} -> event: median {statistics.median(delays):.0f} ms, "
            f"p95 {percentile(delays, 0.95):.0f} ms, max {max(delays):.0f} ms"
        )
        fetched = f"median {statistics.median(fetches):.0f} ms, p95 {percentile(fetches, 0.95):.0f} ms"
        print(f"the board's fetch after it: {fetched}")


if __name__ == "__main__":
    main()
