"""Data for bench/bench.py, run in the benchmarked app's environment; prints key=value.

Seeds issue 14's big menu (bench/big_menu.py) and counts the SQL statements of a menu
request once its list is cached, places one QRIS order through the real checkout (and
the built-in sandbox), inserts many pending payments with signed callbacks for them,
creates a partner payment, and logs a cashier in at a till holding a 3-line draft.
"""

import re
import secrets
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import requests
from sqlalchemy import event, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from big_menu import seed_big_menu
from webapp import create_app
from webapp.extensions import db
from webapp.menu.options import choose
from webapp.models import MenuItem, Order, OrderItem, Payment, Role
from webapp.orders.cart import Cart
from webapp.partners import accounts as partners
from webapp.payments.duitku import callback_signature
from webapp.staff.accounts import create_user
from webapp.till import tills
from webapp.till.ringing import change
from webapp.timeutil import jakarta_date, utcnow

TILL_USER_AGENT = "warung-bench"  # the login's and wrk's: a session is bound to its browser


def place_qris_order(base_url: str) -> str:
    session = requests.Session()
    html = session.get(base_url + "/").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    item = re.search(r'name="item_id" value="(\d+)"', html).group(1)
    session.post(base_url + "/cart/add", data={"csrf_token": csrf, "item_id": item, "quantity": "2"})
    page = session.get(base_url + "/checkout").text
    token = re.search(r'name="checkout_token" type="hidden" value="([^"]+)"', page).group(1)
    order_page = session.post(
        base_url + "/checkout",
        data={
            "csrf_token": csrf,
            "checkout_token": token,
            "customer_name": "Bench",
            "order_type": "takeaway",
            "payment_method": "qris",
        },
    )
    status = re.search(r'hx-get="([^"]+)"', order_page.text).group(1).replace("&amp;", "&")
    return status


def menu_statements(app) -> int:
    """SQL statements of a new customer's menu request once another's has cached the
    list, with this process's change feed connected (0: answered from the cache)."""
    deadline = time.monotonic() + 10
    while not app.extensions["change_feed"].crosses_processes() and time.monotonic() < deadline:
        time.sleep(0.1)
    app.test_client().get("/")
    seen: list[str] = []
    record = lambda _conn, _cursor, statement, *_args: seen.append(statement)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert app.test_client().get("/").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(seen)


def pending_payments(count: int) -> list[Payment]:
    now = utcnow()
    payments = []
    for n in range(count):
        order = Order(
            business_date=jakarta_date(now) - timedelta(days=1 + n // 900),
            daily_seq=1 + n % 900,
            customer_name="Bench",
            payment_method="qris",
            total=10000,
            created_at=now,
            updated_at=now,
        )
        order.items = [OrderItem(name="Es Teh", unit_price=5000, quantity=2, line_total=10000)]
        payment = Payment(
            order=order,
            provider="duitku",
            merchant_order_id=f"BENCH-{n}-{secrets.token_hex(3)}",
            amount=10000,
            status="pending",
            expires_at=now + timedelta(hours=2),
            last_checked_at=now + timedelta(hours=2),
            created_at=now,
            updated_at=now,
        )
        payments.append(payment)
    db.session.add_all(payments)
    db.session.commit()
    return payments


def form(app, payment: Payment) -> str:
    code, key = app.config["DUITKU_MERCHANT_CODE"], app.config["DUITKU_API_KEY"]
    return urlencode(
        {
            "merchantCode": code,
            "amount": str(payment.amount),
            "merchantOrderId": payment.merchant_order_id,
            "resultCode": "00",
            "reference": f"REF{payment.id}",
            "issuerCode": "93600918",
            "signature": callback_signature(code, str(payment.amount), payment.merchant_order_id, key),
        }
    )


def three_lines(cart: Cart) -> None:
    """Nasi Goreng Spesial with Level 3 and Telur, Es Teh Manis (Reguler), 2 Kopi Tubruk."""
    items = {item.name: item for item in db.session.scalars(select(MenuItem))}
    for name, options, quantity in (
        ("Nasi Goreng Spesial", ("Level 3", "Telur"), 1),
        ("Es Teh Manis", ("Reguler",), 1),
        ("Kopi Tubruk", (), 2),
    ):
        item = items[name]
        chosen = [option.id for group in item.option_groups for option in group.options if option.name in options]
        cart.add(item.id, quantity, "", {option.id: option.price_diff for option in choose(item, chosen).options})


def cashier_at_till(app, base_url: str) -> tuple[str, str]:
    """A cashier logged in (over HTTP), at the counter's till holding a 3-line draft:
    the till page's path and the session's Cookie header."""
    password = secrets.token_urlsafe(16)
    with app.app_context():
        create_user("kasir_bench", password, Role.CASHIER)
        change(tills.counter_tills()[0], three_lines)
    session = requests.Session()
    session.headers["User-Agent"] = TILL_USER_AGENT
    login = session.get(base_url + "/login", timeout=10).text
    csrf = re.search(r'name="csrf_token"[^>]* value="([^"]+)"', login).group(1)
    session.post(
        base_url + "/login", data={"csrf_token": csrf, "username": "kasir_bench", "password": password}, timeout=10
    )
    page = session.get(base_url + "/till", timeout=10)
    lines = page.text.count('<li class="cart-line"')
    assert page.status_code == 200 and lines == 3 and "has-problem" not in page.text, "no 3-line draft on the till"
    return page.url.removeprefix(base_url), "; ".join(f"{name}={value}" for name, value in session.cookies.items())


def main() -> None:
    count, base_url = int(sys.argv[1]), sys.argv[2]
    app = create_app()
    with app.app_context():
        menu = seed_big_menu()
        statements = menu_statements(app)
    status_url = place_qris_order(base_url)
    till_url, till_cookie = cashier_at_till(app, base_url)
    with app.app_context():
        payments = pending_payments(count + 5)
        bodies = Path(tempfile.mkdtemp()) / "callbacks.txt"
        bodies.write_text("\n".join(form(app, p) for p in payments[:count]) + "\n")
        probes = payments[count:]
        partner, api_key = partners.create_partner("Bench POS")
        license_ = partners.add_license(partner, "Toko Bench")
        created = requests.post(
            base_url + "/api/v1/payments/qris",
            json={"license_key": license_.key, "amount": 25000},
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=10,
        ).json()
        print("menu=" + ", ".join(f"{value} {name.replace('_', ' ')}" for name, value in menu.items()))
        print(f"menu_statements={statements}")
        print(f"status_url={status_url}")
        print(f"callback_bodies={bodies}")
        print(f"api_key={api_key}")
        print(f"transaction_id={created['transaction_id']}")
        print("probe_forms=" + "|".join(form(app, p) for p in probes))
        print(f"till_url={till_url}")
        print(f"till_cookie={till_cookie}")
        print(f"till_user_agent={TILL_USER_AGENT}")
        print("probe_status=" + "|".join(f"/orders/{p.order.public_id}/status" for p in probes))


if __name__ == "__main__":
    main()
