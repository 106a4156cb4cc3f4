"""What the cashier board costs with a busy day's orders: bytes and time per refresh.

Seeds N orders (default 200) of today in mixed states into a fresh SQLite database,
logs in a cashier, loads the board page and then, through the Flask test client, times
the tablet's poll when nothing changed (204) and when one thing changed: a new order,
or one order moved a kitchen step. A changed poll is answered against the lists of
cards the page showed before the change, so repeating it repeats the same work.
Prints bytes of each answer, wall-clock median and p95 and CPU median in milliseconds.

    .venv/bin/python bench/board_render.py [ORDERS] [ROUNDS]
"""

import logging
import re
import statistics
import sys
import tempfile
import time
from html import unescape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from webapp import create_app
from webapp.extensions import db
from webapp.menu.demo import seed_demo_menu
from webapp.models import Order, OrderStatus, PaymentMethod, Role
from webapp.orders import lifecycle
from webapp.orders.cart import Cart, price_cart
from webapp.orders.placing import CustomerDetails, place_order
from webapp.staff.accounts import create_user

STATES = [
    OrderStatus.AWAITING_PAYMENT,
    OrderStatus.PAID,
    OrderStatus.PREPARING,
    OrderStatus.READY,
    OrderStatus.COMPLETED,
    OrderStatus.CANCELLED,
]
HTMX = {"HX-Request": "true"}
SHOWN = re.compile(r'class="board-shown" id="shown-\w+" name="(\w+)" value="([^"]*)"')


def new_order(n: int, item_ids: list[int]) -> Order:
    cart = Cart({})
    for offset in range(1 + n % 4):
        cart.add(item_ids[(n + offset * 3) % len(item_ids)], 1 + offset % 2, "tidak pedas" if n % 5 == 0 else "")
    method = PaymentMethod.CASH if n % 2 else PaymentMethod.QRIS
    return place_order(price_cart(cart), CustomerDetails(f"Tamu {n}", str(n % 30), "", method))


def seed_orders(count: int) -> list[int]:
    seed_demo_menu()
    item_ids = [row[0] for row in db.session.execute(db.text("SELECT id FROM menu_item ORDER BY id"))]
    for n in range(count):
        new_order(n, item_ids).status = STATES[n % len(STATES)].value
    db.session.commit()
    return item_ids


def timed(client, url: str, rounds: int, expected: int, **request) -> tuple[list[float], list[float], int]:
    """Wall-clock and CPU milliseconds of each request (CPU time is what to compare on
    a machine whose other guests take its cores), and the answer's size."""
    wall, cpu, size = [], [], 0
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url, **request)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == expected, response.status_code
        size = len(response.get_data())
    return wall, cpu, size


def report(name: str, result: tuple[list[float], list[float], int]) -> None:
    wall, cpu, size = result
    p95 = sorted(wall)[max(0, int(len(wall) * 0.95) - 1)]
    print(
        f"{name:<40} {size:>8} bytes   median {statistics.median(wall):6.1f} ms (p95 {p95:6.1f})"
        f"   CPU median {statistics.median(cpu):6.1f} ms"
    )


def main() -> None:
    orders = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    logging.getLogger("warung.request").disabled = True  # one JSON line per request otherwise
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "DUITKU_BASE_URL": "http://127.0.0.1:9",
                "DUITKU_MERCHANT_CODE": "D0",
                "DUITKU_API_KEY": "k",
            }
        )
        with app.app_context():
            db.create_all()
            item_ids = seed_orders(orders)
            create_user("bench", "bench-password", Role.CASHIER)
            open_orders = db.session.query(Order).filter(Order.status.notin_(["completed", "cancelled"])).count()
            db.session.commit()
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        client.post("/login", data={"csrf_token": token, "username": "bench", "password": "bench-password"})
        print(f"{orders} orders today, {open_orders} on the board")
        timed(client, "/cashier", 3, 200)  # warm up
        report("board page (GET /cashier)", timed(client, "/cashier", rounds, 200))
        shown = {key: unescape(value) for key, value in SHOWN.findall(client.get("/cashier").get_data(as_text=True))}
        poll = {"query_string": shown, "headers": HTMX}
        query = "&".join(f"{key}={value}" for key, value in shown.items())
        print(f"{'(a poll carries the lists: query string)':<40} {len(query):>8} bytes")
        report("poll, nothing changed (204)", timed(client, "/cashier/board", rounds, 204, **poll))
        with app.app_context():
            new_order(orders, item_ids)
        report("poll after a new order", timed(client, "/cashier/board", rounds, 200, **poll))
        shown = {key: unescape(value) for key, value in SHOWN.findall(client.get("/cashier").get_data(as_text=True))}
        poll = {"query_string": shown, "headers": HTMX}
        with app.app_context():
            paid = db.session.query(Order).filter(Order.status == OrderStatus.PAID.value).first()
            lifecycle.advance_order(paid, OrderStatus.PREPARING, "cashier:bench")
        report("poll after one kitchen step", timed(client, "/cashier/board", rounds, 200, **poll))


if __name__ == "__main__":
    main()
