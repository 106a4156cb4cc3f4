"""Data for bench/bench.py, run in the benchmarked app's environment; prints key=value.

Places one QRIS order through the real checkout (and the built-in sandbox), inserts
many pending payments with signed callbacks for them, and creates a partner payment.
"""

import re
import secrets
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from webapp import create_app
from webapp.extensions import db
from webapp.models import Order, OrderItem, Payment
from webapp.partners import accounts as partners
from webapp.payments.duitku import callback_signature
from webapp.timeutil import jakarta_date, utcnow


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


def main() -> None:
    count, base_url = int(sys.argv[1]), sys.argv[2]
    status_url = place_qris_order(base_url)
    app = create_app()
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
        print(f"status_url={status_url}")
        print(f"callback_bodies={bodies}")
        print(f"api_key={api_key}")
        print(f"transaction_id={created['transaction_id']}")
        print("probe_forms=" + "|".join(form(app, p) for p in probes))
        print("probe_status=" + "|".join(f"/orders/{p.order.public_id}/status" for p in probes))


if __name__ == "__main__":
    main()
