"""Lunch rush: whole journeys of customers, cashiers and a partner POS, stepped up until
the site is too slow, with Locust as a library (headless, bounded in time).

    .venv/bin/python bench/rush.py [--start 10] [--step 10] [--step-seconds 40] [--minutes 8]
    .venv/bin/python bench/rush.py --two-instances [...]
    .venv/bin/python bench/rush.py --url http://127.0.0.1:8080 --cashier NAME:PASSWORD \
        --api-key KEY --license LICENSE_KEY      (a site already running on this machine)

Without --url it starts, on 127.0.0.1 only, a throwaway PostgreSQL and one instance of
the app under gunicorn with gunicorn.conf.py (bench/harness.py), with the built-in Duitku
sandbox, a cashier account and a partner; with --two-instances, the reference deployment
instead: nginx (deploy/nginx/warung.conf) in front of two such instances sharing the
database, one redis-server and the sandbox, plus `flask worker`. A URL must be on this
machine (127.0.0.1 or localhost): this script never sends traffic elsewhere.

- A customer opens the menu, adds one to three dishes (a dish with options through its
  choice panel: one option of each one-choice group, sometimes one extra), checks out (at a table
  seven times in ten, else takeaway; QRIS four times in five, else cash) and polls the
  order's status fragment every 2 s, as the page does.
  A QRIS customer pays on the sandbox's payer page after 5-40 s (the sandbox then sends
  Duitku's callback); a cash customer waits for the cashier. When the order is paid
  (or after 90 s) the customer leaves, and a new one arrives.
- Two cashiers poll the board every 4 s with the lists of cards they hold, take cash
  for the orders waiting for it, and move one paid or cooking order on per poll.
- A partner POS creates a QRIS payment, holds a long-poll wait on it, and has it paid
  on the sandbox after 5-40 s.

The number of customers steps up every --step-seconds. A step holds when the p95 of
every request (except the long-poll waits, which last seconds by design) is at most
300 ms and at most 0.1% of the requests fail; the rush stops at the first step that
does not hold, or at --minutes. It prints a table and the largest step held.
"""

# ruff: noqa: S311 - random here picks dishes and delays for a simulation, not secrets
from __future__ import annotations

import argparse
import contextlib
import os
import random
import re
import secrets
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import gevent
from locust import HttpUser, constant, events, task
from locust.env import Environment

sys.path.insert(0, str(Path(__file__).resolve().parent))

P95_LIMIT_MS = 300
ERROR_LIMIT = 0.001
POLL_SECONDS, BOARD_SECONDS = 2, 4
PAY_AFTER = (5, 40)
CUSTOMER_PATIENCE = 90  # seconds a customer polls before leaving
CASHIER, PARTNER = {}, {}  # filled by main(): login, API key and license


def field(pattern: str, html: str) -> str | None:
    found = re.search(pattern, html)
    return found.group(1).replace("&amp;", "&") if found else None


CSRF = r'name="csrf_token"[^>]*value="([^"]+)"'


def pay_on_sandbox(client, payer: str) -> None:
    """Open the sandbox's payer page and press Pay, as the customer's e-wallet would."""
    page = client.get(payer, name="sandbox payer page").text
    client.post(
        payer,
        data={"csrf_token": field(CSRF, page) or "", "action": "pay", "issuer": "93600914"},
        name="sandbox pay",
        allow_redirects=False,
    )


class Customer(HttpUser):
    wait_time = constant(0)

    @task
    def lunch(self):
        menu = self.client.get("/", name="menu").text
        csrf = field(CSRF, menu)
        plain = [("item", item) for item in re.findall(r'name="item_id" value="(\d+)"', menu)]
        with_options = [("choice", path) for path in set(re.findall(r'href="(/menu/item/\d+)"', menu))]
        dishes = plain + with_options
        if not csrf or not dishes:
            return
        for kind, dish in random.sample(dishes, min(len(dishes), random.randint(1, 3))):
            if kind == "item":
                data = {"csrf_token": csrf, "item_id": dish, "quantity": "1"}
                self.client.post("/cart/add", data=data, name="cart/add")
            else:
                self.choose(dish, csrf)
        checkout = self.client.get("/checkout", name="checkout").text
        token = field(r'name="checkout_token" type="hidden" value="([^"]+)"', checkout)
        tables = re.findall(r'<option value="(\d+)">', checkout)
        # QRIS 4 in 5, when the page offers it (Duitku takes Rp10.000 and more).
        qris_offered = not re.search(r'<input[^>]*disabled[^>]*value="qris"', checkout)
        qris = qris_offered and random.random() < 0.8
        place = {"order_type": "takeaway"}
        if tables and random.random() < 0.7:
            place = {"order_type": "dine_in", "table_id": random.choice(tables)}
        order = self.client.post(
            "/checkout",
            data={
                "csrf_token": csrf,
                "checkout_token": token or "",
                "customer_name": "Rush",
                **place,
                "payment_method": "qris" if qris else "cash",
            },
            name="checkout POST",
        ).text
        status = field(r'hx-get="([^"]+)"', order)
        payer = field(r'href="[^"]*(/_sandbox/duitku/pay/[^"]+)"', order)
        if qris and payer:
            gevent.spawn_later(random.uniform(*PAY_AFTER), self.pay, payer)
        left = time.monotonic() + CUSTOMER_PATIENCE
        while status and time.monotonic() < left:
            gevent.sleep(POLL_SECONDS)
            answer = self.client.get(status, headers={"HX-Request": "true"}, name="orders/[id]/status")
            if answer.status_code == 200:
                status = field(r'hx-get="([^"]+)"', answer.text)
                if "Pembayaran diterima" in answer.text:
                    break
            elif answer.status_code != 204:
                break

    def choose(self, path: str, csrf: str) -> None:
        """Open an item's choice panel (as htmx loads it), pick one option in each
        one-choice group (a spice level) and now and then one extra (a topping), and add."""
        panel = self.client.get(path, headers={"HX-Request": "true"}, name="menu/item/[id]").text
        groups: dict[tuple[str, str], list[str]] = {}
        for kind, group, value, attributes in re.findall(
            r'<input type="(radio|checkbox)" name="(group-\d+)" value="(\d+)"([^>]*)>', panel
        ):
            if "disabled" not in attributes:  # sold out
                groups.setdefault((kind, group), []).append(value)
        chosen = [
            (group, random.choice(values))
            for (kind, group), values in groups.items()
            if kind == "radio" or random.random() < 0.5
        ]
        data = [("csrf_token", csrf), ("quantity", "1"), ("note", ""), *chosen]
        self.client.post(path, data=data, headers={"HX-Request": "true"}, name="menu/item/[id] POST")

    def pay(self, payer: str):
        pay_on_sandbox(self.client, payer)


class Cashier(HttpUser):
    fixed_count = 2
    wait_time = constant(BOARD_SECONDS)

    def on_start(self):
        login = self.client.get("/login", name="login").text
        self.client.post(
            "/login",
            data={
                "csrf_token": field(CSRF, login) or "",
                "username": CASHIER["username"],
                "password": CASHIER["password"],
            },
            name="login POST",
        )
        self.load_board()

    def load_board(self):
        self.board = self.client.get("/cashier", name="cashier").text
        self.shown = dict(re.findall(r'class="board-shown" id="[^"]+" name="([^"]+)" value="([^"]*)"', self.board))
        self.csrf = field(CSRF, self.board) or ""

    @task
    def work(self):
        self.client.get("/cashier/board", params=self.shown, headers={"HX-Request": "true"}, name="cashier/board")
        acted = False
        for order in re.findall(r'href="(/cashier/orders/[^"]+)">[^<]*Terima tunai', self.board)[:1]:
            page = self.client.get(order, name="cashier/orders/[id]").text
            quick = field(r'name="quick" value="(\d+)"', page)
            if quick:
                self.client.post(
                    order + "/cash", data={"csrf_token": self.csrf, "quick": quick}, name="cashier cash POST"
                )
                acted = True
        steps = re.findall(r'action="(/cashier/orders/[^"]+/advance)".*?name="to" value="(\w+)"', self.board, re.S)
        if steps:
            action, to = random.choice(steps)
            with self.client.post(
                action,
                data={"csrf_token": self.csrf, "to": to},
                headers={"HX-Request": "true"},
                name="cashier advance",
                catch_response=True,
            ) as answer:
                if answer.status_code == 409:  # the other cashier moved it first: a refusal, not a failure
                    answer.success()
            acted = True
        if acted:
            self.load_board()


class PartnerPos(HttpUser):
    fixed_count = 1
    wait_time = constant(1)

    @task
    def sell(self):
        headers = {"Authorization": f"Bearer {PARTNER['api_key']}"}
        created = self.client.post(
            "/api/v1/payments/qris",
            json={"license_key": PARTNER["license"], "amount": random.choice((15000, 27000, 42000))},
            headers=headers,
            name="api create",
        )
        if created.status_code != 201:
            return
        body = created.json()
        gevent.spawn_later(random.uniform(*PAY_AFTER), self.pay, f"/_sandbox/duitku/pay/{body['transaction_token']}")
        self.client.get(
            f"/api/v1/payments/{body['transaction_id']}/wait",
            params={"timeout": "20"},  # ends within gunicorn's graceful stop
            headers=headers,
            name="api wait",
        )

    def pay(self, payer: str):
        pay_on_sandbox(self.client, payer)


class Step:
    """What one step's requests took (the long-poll waits apart)."""

    def __init__(self):
        self.times: list[float] = []
        self.by_name: dict[str, list[float]] = {}
        self.requests = self.failures = 0

    def record(self, request_type, name, response_time, response_length, exception=None, **_kwargs):
        self.requests += 1
        if exception is not None:
            self.failures += 1
        elif name != "api wait":
            self.times.append(response_time)
            self.by_name.setdefault(name, []).append(response_time)

    def p95(self, times: list[float] | None = None) -> float:
        ordered = sorted(self.times if times is None else times)
        return ordered[int(len(ordered) * 0.95)] if ordered else 0.0

    def slowest(self, count: int = 4) -> str:
        """The kinds of request with the highest p95, with how many there were."""
        ranked = sorted(self.by_name.items(), key=lambda item: -self.p95(item[1]))[:count]
        return ", ".join(f"{name} {self.p95(times):.0f} ms ({len(times)})" for name, times in ranked)


def rush(url: str, args) -> list[dict]:
    environment = Environment(user_classes=[Customer, Cashier, PartnerPos], host=url, events=events)
    runner = environment.create_local_runner()
    steps: list[dict] = []
    deadline = time.monotonic() + args.minutes * 60
    customers = args.start
    try:
        while time.monotonic() + args.step_seconds <= deadline:
            users = customers + Cashier.fixed_count + PartnerPos.fixed_count
            runner.start(users, spawn_rate=max(5, args.step))
            gevent.sleep(args.step_seconds / 4)  # the new customers settle in
            step = Step()
            environment.events.request.add_listener(step.record)
            gevent.sleep(args.step_seconds * 3 / 4)
            environment.events.request.remove_listener(step.record)
            held = step.p95() <= P95_LIMIT_MS and step.failures <= ERROR_LIMIT * max(1, step.requests)
            rate = step.requests / (args.step_seconds * 3 / 4)
            steps.append(
                {
                    "customers": customers,
                    "requests": step.requests,
                    "rate": rate,
                    "p95": step.p95(),
                    "failures": step.failures,
                    "held": held,
                }
            )
            print(
                f"{customers} customers: {rate:.0f} requests/s, p95 {step.p95():.0f} ms, "
                f"{step.failures} of {step.requests} failed: {'held' if held else 'NOT held'}; "
                f"slowest p95: {step.slowest()}",
                flush=True,
            )
            if not held:
                break
            customers += args.step
    finally:
        runner.quit()
    for error in sorted(environment.stats.errors.values(), key=lambda e: -e.occurrences)[:5]:
        print(f"failed {error.occurrences}x: {error.method} {error.name}: {error.error}")
    return steps


def local_only(url: str) -> str:
    host = urlsplit(url).hostname
    if host not in ("127.0.0.1", "localhost"):
        sys.exit("rush.py sends traffic to this machine only (127.0.0.1 or localhost)")
    return url.rstrip("/")


@contextlib.contextmanager
def own_site(two_instances: bool):
    """A throwaway PostgreSQL and one gunicorn instance (or the reference deployment:
    nginx, two instances, Redis, the worker), with a cashier and a partner. The rate
    limits are on, counted as in production (one instance: in its database; two: in
    their shared Redis), their ceilings out of reach."""
    from harness import LIMITS_OUT_OF_REACH, postgres, reference_deployment, served_app

    with (
        postgres() as database_url,
        (reference_deployment if two_instances else served_app)(database_url, LIMITS_OUT_OF_REACH) as app,
    ):
        CASHIER.update(username="kasir_rush", password=secrets.token_urlsafe(16))
        app.flask("users", "create", CASHIER["username"], "--role", "cashier", stdin=CASHIER["password"] + "\n")
        created = app.flask("partners", "create", "Rush POS")
        PARTNER["api_key"] = field(r"API key: (\S+)", created)
        PARTNER["license"] = app.flask("partners", "add-license", "Rush POS", "--store", "Toko Rush").strip()
        yield app.base_url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running site on this machine (default: start one instance)")
    parser.add_argument(
        "--two-instances", action="store_true", help="start the reference deployment (deploy/) instead of one instance"
    )
    parser.add_argument("--cashier", help="NAME:PASSWORD of a cashier account (with --url)")
    parser.add_argument("--api-key", help="a partner's API key (with --url)")
    parser.add_argument("--license", help="that partner's license key (with --url)")
    parser.add_argument("--start", type=int, default=10, help="customers in the first step")
    parser.add_argument("--step", type=int, default=10, help="customers added per step")
    parser.add_argument("--step-seconds", type=int, default=40)
    parser.add_argument("--minutes", type=float, default=8, help="the whole rush stops after this")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        if args.url:
            url = local_only(args.url)
            if not (args.cashier and args.api_key and args.license):
                sys.exit("--url needs --cashier, --api-key and --license")
            name, _, password = args.cashier.partition(":")
            CASHIER.update(username=name, password=password)
            PARTNER.update(api_key=args.api_key, license=args.license)
        else:
            url = stack.enter_context(own_site(args.two_instances))
        steps = rush(url, args)
    held = [step["customers"] for step in steps if step["held"]]
    print(
        f"\n{os.cpu_count()} cores, {date.today().isoformat()}, {url}, steps of {args.step_seconds} s "
        f"(measured over the last three quarters)"
    )
    print("| customers | requests/s | p95 (waits apart) | failed | held |")
    print("|---|---|---|---|---|")
    for step in steps:
        print(
            f"| {step['customers']} | {step['rate']:.0f} | {step['p95']:.0f} ms | "
            f"{step['failures']} of {step['requests']} | {'yes' if step['held'] else 'no'} |"
        )
    print(f"largest number of concurrent customers held: {max(held) if held else 0}")


if __name__ == "__main__":
    main()
