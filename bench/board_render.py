"""How long the cashier board takes to render with a busy day's orders.

Seeds N orders (default 200) of today in mixed states into a fresh SQLite database
(or BENCH_DATABASE_URL), logs in a cashier, and times full board pages and board
fragments served by the Flask test client. Prints median and p95 in milliseconds.

    .venv/bin/python bench/board_render.py [ORDERS] [ROUNDS]
"""
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from webapp import create_app  # noqa: E402
from webapp.auth.accounts import create_user  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.models import Order, OrderStatus, PaymentMethod, Role  # noqa: E402
from webapp.orders.cart import Cart, price_cart  # noqa: E402
from webapp.orders.placing import CustomerDetails, place_order  # noqa: E402
from webapp.seed import seed_demo_menu  # noqa: E402

STATES = [OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID, OrderStatus.PREPARING, OrderStatus.READY,
          OrderStatus.COMPLETED, OrderStatus.CANCELLED]


def seed_orders(count: int) -> None:
    seed_demo_menu()
    item_ids = [row[0] for row in db.session.execute(db.text("SELECT id FROM menu_item ORDER BY id"))]
    for n in range(count):
        cart = Cart({})
        for offset in range(1 + n % 4):
            cart.add(item_ids[(n + offset * 3) % len(item_ids)], 1 + offset % 2, "tidak pedas" if n % 5 == 0 else "")
        method = PaymentMethod.CASH if n % 2 else PaymentMethod.QRIS
        order = place_order(price_cart(cart), CustomerDetails(f"Tamu {n}", str(n % 30), "", method))
        order.status = STATES[n % len(STATES)].value
    db.session.commit()


def timed(client, url: str, rounds: int, headers=None) -> list[float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(url, headers=headers or {})
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return samples


def report(name: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    print(f"{name:<34} median {statistics.median(samples):6.1f} ms   p95 {p95:6.1f} ms   ({len(samples)} runs)")


def main() -> None:
    orders = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "DUITKU_BASE_URL": "http://127.0.0.1:9",
                          "DUITKU_MERCHANT_CODE": "D0", "DUITKU_API_KEY": "k"})
        with app.app_context():
            db.create_all()
            seed_orders(orders)
            create_user("bench", "bench-password", Role.CASHIER)
            open_orders = db.session.query(Order).filter(Order.status.notin_(["completed", "cancelled"])).count()
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        client.post("/login", data={"csrf_token": token, "username": "bench", "password": "bench-password"})
        print(f"{orders} orders today, {open_orders} on the board")
        timed(client, "/cashier", 3)  # warm up
        report("board page (GET /cashier)", timed(client, "/cashier", rounds))
        report("board fragment (htmx, changed)", timed(client, "/cashier/board", rounds, {"HX-Request": "true"}))
        fragment = client.get("/cashier/board", headers={"HX-Request": "true"}).get_data(as_text=True)
        seen = re.search(r"seen=([0-9a-f]+)", fragment).group(1)
        report("board poll (htmx, unchanged: 204)", timed_204(client, f"/cashier/board?seen={seen}", rounds))


def timed_204(client, url: str, rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        status = client.get(url, headers={"HX-Request": "true"}).status_code
        samples.append((time.perf_counter() - start) * 1000)
        assert status in (200, 204), status  # 200 only if the minute turned over
    return samples


if __name__ == "__main__":
    main()
