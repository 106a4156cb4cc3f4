"""Long-poll waits under gunicorn on PostgreSQL: how many one instance holds, whether
ordinary pages stay responsive meanwhile, and how soon a wait wakes after a payment.

    .venv/bin/python bench/waits.py [WAITS] [PAID]

Everything runs on 127.0.0.1: a throwaway PostgreSQL, gunicorn with gunicorn.conf.py
and the built-in Duitku sandbox. WAITS payments are created through the partner API
and waited for at once; the menu page is timed before and during the waits; then PAID
of them are paid on the sandbox payer page and the delay until their wait answers is
measured.
"""

import re
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "clients" / "python"))

from harness import postgres, served_app
from warung_client import WarungClient


def latencies(url: str, count: int) -> list[float]:
    session, samples = requests.Session(), []
    for _ in range(count):
        start = time.perf_counter()
        assert session.get(url, timeout=10).status_code == 200
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    return f"median {statistics.median(ordered):.1f} ms, p95 {ordered[int(len(ordered) * 0.95) - 1]:.1f} ms"


def pay_on_sandbox(base_url: str, reference: str) -> float:
    """Press Pay on the sandbox payer page; returns when the press was sent."""
    session = requests.Session()
    page = session.get(f"{base_url}/_sandbox/duitku/pay/{reference}", timeout=10).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    pressed = time.monotonic()
    session.post(
        f"{base_url}/_sandbox/duitku/pay/{reference}",
        data={"csrf_token": token, "action": "pay"},
        timeout=10,
        allow_redirects=False,
    )
    return pressed


def main() -> None:
    waits = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    paid = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    with postgres() as database_url, served_app(database_url) as app:
        output = app.flask("partners", "create", "Bench POS")
        api_key = re.search(r"API key: (\S+)", output).group(1)
        license_key = app.flask("partners", "add-license", "Bench POS", "--store", "Toko Bench").strip()
        client = WarungClient(app.base_url, api_key)
        menu_url = app.base_url + "/"

        before = latencies(menu_url, 200)
        payments = [client.generate_qris(license_key=license_key, amount=10000 + n) for n in range(waits)]
        results, answered_at = {}, {}

        def wait(payment):
            try:
                response = requests.get(
                    f"{client.base_url}/payments/{payment['transaction_id']}/wait",
                    params={"timeout": 60},
                    headers={"Authorization": f"Bearer {api_key}"},
                    timeout=90,
                )
                results[payment["transaction_id"]] = response.status_code
            except requests.RequestException as exc:
                results[payment["transaction_id"]] = type(exc).__name__
            answered_at[payment["transaction_id"]] = time.monotonic()

        threads = [threading.Thread(target=wait, args=(p,)) for p in payments]
        for thread in threads:
            thread.start()
        time.sleep(2)  # let every wait reach the server
        held_early = waits - len(results)
        during = latencies(menu_url, 200)

        with ThreadPoolExecutor(max_workers=4) as pool:
            presses = {
                p["transaction_id"]: pool.submit(pay_on_sandbox, app.base_url, p["transaction_token"])
                for p in payments[:paid]
            }
        pay_started = {tid: future.result() for tid, future in presses.items()}
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not all(p["transaction_id"] in answered_at for p in payments[:paid]):
            time.sleep(0.05)
        delays = [(answered_at[tid] - started) * 1000 for tid, started in pay_started.items() if tid in answered_at]
        for payment in payments[paid:]:
            client.cancel_payment(payment["transaction_id"])  # ends the remaining waits
        for thread in threads:
            thread.join()

        statuses = list(results.values())
        print(
            f"waits held at once: {held_early} of {waits} (answered 200: {statuses.count(200)}, "
            f"503: {statuses.count(503)}, errors: {len(statuses) - statuses.count(200) - statuses.count(503)})"
        )
        print(f"menu page before the waits: {summary(before)}")
        print(f"menu page during {held_early} waits: {summary(during)}")
        print(
            f"pay click -> wait answered ({len(delays)} payments): median {statistics.median(delays):.0f} ms, "
            f"max {max(delays):.0f} ms"
        )


if __name__ == "__main__":
    main()
