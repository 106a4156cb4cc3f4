"""Lunch rush: whole journeys of customers, cashiers, kitchen stations and a partner POS,
stepped up until the site is too slow, with Locust as a library (headless, bounded in
time, its lightest users: FastHttpUser), and what the site's own processes took.

    .venv/bin/python bench/rush.py [--start 10] [--step 10] [--step-seconds 40] [--minutes 8]
    .venv/bin/python bench/rush.py --two-instances [...]
    .venv/bin/python bench/rush.py --push off [...]     (every staff screen's stream refused)
    .venv/bin/python bench/rush.py --url http://127.0.0.1:8080 --cashier NAME:PASSWORD \
        --api-key KEY --license LICENSE_KEY      (a site already running on this machine)

Without --url it starts, on 127.0.0.1 only, a throwaway PostgreSQL and one instance of
the app under gunicorn with gunicorn.conf.py (bench/harness.py), with the built-in Duitku
sandbox, a cashier account and a partner; with --two-instances, the reference deployment
instead: nginx (deploy/nginx/warung.conf) in front of two such instances sharing the
database, one redis-server and the sandbox, plus `flask worker`. With
BENCH_KEEP_LOGS=<directory> the site's logs are kept there when it stops. A URL must be
on this machine (127.0.0.1 or localhost): this script never sends traffic elsewhere.

- A customer opens the menu, adds one to three dishes (a dish with options through its
  choice panel: one option of each one-choice group, sometimes one extra), checks out (at a table
  seven times in ten, else takeaway; QRIS four times in five, else cash) and polls the
  order's status fragment every 2 s, as the page does.
  A QRIS customer pays on the sandbox's payer page after 5-40 s (the sandbox then sends
  Duitku's callback); a cash customer waits for the cashier. When the order is paid
  (or after 90 s) the customer leaves, and a new one arrives.
- Two cashiers open the drawer's shift, keep the board up to date with the lists of
  cards they hold, and every 4 s take cash for an order waiting for it and move one paid
  or cooking order on.
- Two kitchen stations (the demo's Dapur and Minuman) keep their tickets up to date with
  the version they show, and their cooks bump the oldest ticket every 10 s.
- The board and the stations do it as static/js/live.js does: they hold their stream
  (Server-Sent Events) and fetch what their poll fetches when it opens and on each
  `change` event (one fetch at a time); they open it with what they show (the board
  its lists, a station its version), so a station is told `change` only when its
  tickets changed, and the board applies the cards it is told (a `cards` event) unless
  a fetch or a step of its own is in flight or it lacks a card (then it fetches); both
  poll only as a check every 60 s; while it is
  refused (--push off starts the site with LIVE_STREAMS_MAX=0) or down, they poll as
  before (the board every 4 s, a station every 5 s).
- A partner POS creates a QRIS payment, holds a long-poll wait on it, and has it paid
  on the sandbox after 5-40 s.

The number of customers steps up every --step-seconds. A step holds when the p95 of
every request (except the long-poll waits, which last seconds by design) is at most
300 ms and at most 0.1% of the requests fail; the rush stops at the first step that
does not hold, or at --minutes. For each step it reads from /proc (bench/process_cpu.py)
the CPU seconds of the app (the gunicorn masters and their workers, and `flask worker`
with two instances), of the PostgreSQL cluster, of nginx and Redis (two instances) and of
this process (Locust): the app's and the database's CPU seconds per customer-minute, and
customers per app core at 70% CPU (0.7 x 60 / the app's). It counts the board's and the
stations' fetches per screen and minute (their share of all requests), and the events
their streams brought (and how many the board applied without a fetch). It prints a
table and the largest step held. With --url the site's processes are not known: no CPU
but Locust's.
"""

# ruff: noqa: S311 - random here picks dishes and delays for a simulation, not secrets
from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import random
import re
import secrets
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date
from http.client import HTTPException
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import gevent
import gevent.event
from locust import constant, events, task
from locust.contrib.fasthttp import FastHttpUser, LocustUserAgent
from locust.env import Environment

sys.path.insert(0, str(Path(__file__).resolve().parent))

import process_cpu

P95_LIMIT_MS = 300
ERROR_LIMIT = 0.001
POLL_SECONDS, BOARD_SECONDS, KITCHEN_SECONDS = 2, 4, 5
PAY_AFTER = (5, 40)
CUSTOMER_PATIENCE = 90  # seconds a customer polls before leaving
HTMX_STOP_POLLING = 286
BOARD_FETCH, KITCHEN_FETCH = "cashier/board", "kitchen/[id]"  # the screens' fetches, as Locust names them
COOK_SECONDS = 10  # a cook bumps a ticket at most this often
CASHIER, PARTNER = {}, {}  # filled by main(): login, API key and license
# As static/js/live.js and webapp/live/streams.py do: a screen whose stream is open still
# polls every LIVE_CHECK_SECONDS (the app's, on PostgreSQL); it opens a dropped stream
# again after RECONNECT_SECONDS and a refused one after REFUSED_SECONDS; it takes a stream
# silent for 2.5 heartbeats (15 s) for dead.
LIVE_CHECK_SECONDS, RECONNECT_SECONDS, REFUSED_SECONDS, SILENCE_SECONDS = 60, 2, 15, 37.5
HEARD: Counter[str] = Counter()  # the events the screens' streams brought, e.g. "board change"
EVENTS = ("change", "cards")  # a stream's news: fetch, or (told) apply
REFUSED: Counter[str] = Counter()  # why the app refused the cashiers' cash (422), by its message


def field(pattern: str, html: str) -> str | None:
    found = re.search(pattern, html)
    return found.group(1).replace("&amp;", "&") if found else None


def text(response) -> str:
    """A response's text, "" when none came (FastHttpUser's is None then)."""
    return response.text or ""


CSRF = r'name="csrf_token"[^>]*value="([^"]+)"'
SHOWN = r'class="board-shown" id="[^"]+" name="([^"]+)" value="([^"]*)"'  # the board's lists of cards
SENT_CARD = r'<article id="o(\d+)-(\w+)" data-version="(\w+)"'  # a card a board's stream sends


def pay_on_sandbox(client, payer: str) -> None:
    """Open the sandbox's payer page and press Pay, as the customer's e-wallet would."""
    page = text(client.get(payer, name="sandbox payer page"))
    client.post(
        payer,
        data={"csrf_token": field(CSRF, page) or "", "action": "pay", "issuer": "93600914"},
        name="sandbox pay",
        allow_redirects=False,
    )


class Customer(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        # htmx's "stop polling" (286) answers the poll of an order that is over: no failure.
        self.client.client.valid_response_codes = LocustUserAgent.valid_response_codes | {HTMX_STOP_POLLING}

    @task
    def lunch(self):
        menu = text(self.client.get("/", name="menu"))
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
        checkout = text(self.client.get("/checkout", name="checkout"))
        token = field(r'name="checkout_token" type="hidden" value="([^"]+)"', checkout)
        tables = re.findall(r'<option value="(\d+)">', checkout)
        # QRIS 4 in 5, when the page offers it (Duitku takes Rp10.000 and more).
        qris_offered = not re.search(r'<input[^>]*disabled[^>]*value="qris"', checkout)
        qris = qris_offered and random.random() < 0.8
        place = {"order_type": "takeaway"}
        if tables and random.random() < 0.7:
            place = {"order_type": "dine_in", "table_id": random.choice(tables)}
        order = text(
            self.client.post(
                "/checkout",
                data={
                    "csrf_token": csrf,
                    "checkout_token": token or "",
                    "customer_name": "Rush",
                    **place,
                    "payment_method": "qris" if qris else "cash",
                },
                name="checkout POST",
            )
        )
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
        panel = text(self.client.get(path, headers={"HX-Request": "true"}, name="menu/item/[id]"))
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
        data = {"csrf_token": csrf, "quantity": "1", "note": "", **dict(chosen)}  # one option per group
        self.client.post(path, data=data, headers={"HX-Request": "true"}, name="menu/item/[id] POST")

    def pay(self, payer: str):
        pay_on_sandbox(self.client, payer)


def stream_events(response) -> Iterator[tuple[str, str]]:
    """The events of a Server-Sent Events response, each (type, data) as it comes in,
    until the stream ends (or stays silent for the client's network timeout)."""
    # geventhttpclient's own response: its readline answers with each line as it
    # arrives, where read(n) waits for n bytes.
    raw, kind, data = response._response, None, []
    while True:
        try:
            line = raw.readline(b"\n")
        except (OSError, HTTPException):  # a timeout; geventhttpclient's "connection closed"
            return
        if not line:  # the stream ended
            return
        if line.startswith(b"event:"):
            kind = line.removeprefix(b"event:").strip().decode()
        elif line.startswith(b"data:"):
            data.append(line.removeprefix(b"data:").strip().decode())
        elif not line.strip():  # an event is complete
            if kind:
                yield kind, "\n".join(data)
            kind, data = None, []


class StaffScreen(FastHttpUser):
    """A staff screen kept up to date as static/js/live.js keeps it. Its stream, held in
    a greenlet, tells of news; the screen then fetches what its poll fetches, one fetch
    at a time (news during a fetch or an action of its own makes one fetch after it; a
    telling stream's event then is held, and applied after the answer if it still fits),
    and polls only as a check every LIVE_CHECK_SECONDS. While the stream is refused (503,
    with LIVE_STREAMS_MAX=0) or down, the screen polls every `poll_seconds` as it always
    did. The screen's staff act at their own pace (`act`), whatever the fetches."""

    abstract = True
    wait_time = constant(0)
    network_timeout = SILENCE_SECONDS  # a silent stream is dropped, and opened again
    screen = ""  # "board", "kitchen": names its stream's events in HEARD
    poll_seconds = BOARD_SECONDS
    act_seconds = BOARD_SECONDS
    stream_path = ""  # set by open_screen

    def on_start(self):
        login = text(self.client.get("/login", name="login"))
        self.client.post(
            "/login",
            data={
                "csrf_token": field(CSRF, login) or "",
                "username": CASHIER["username"],
                "password": CASHIER["password"],
            },
            name="login POST",
        )
        self.open_screen()
        self.news = gevent.event.Event()
        self.stream_open, self.requests_in_flight, self.held = False, 0, []
        self.fetched_at = self.acted_at = time.monotonic()
        self.watcher = gevent.spawn(self.watch)

    def on_stop(self):
        self.watcher.kill(block=False)

    def open_screen(self) -> None:
        """Load the screen's page (and set stream_path)."""
        raise NotImplementedError

    def fetch(self) -> None:
        """What the screen's poll fetches, with what it shows."""
        raise NotImplementedError

    def act(self) -> None:
        """What the staff do at the screen, once every act_seconds."""
        raise NotImplementedError

    def stream_url(self) -> str:
        """The stream's URL as the screen opens it (a telling stream's, with what the
        screen shows)."""
        return self.stream_path

    def told(self, data: str) -> bool:
        """Apply a telling stream's event, as live.js does; False when the screen
        must fetch instead."""
        return False

    @task
    def keep_up(self):
        """Fetch on news, or when the poll (or the check) is due; act when it is time.
        Looks again every second at most: the stream may have opened or dropped."""
        due = self.fetched_at + (LIVE_CHECK_SECONDS if self.stream_open else self.poll_seconds)
        news = self.news.wait(timeout=min(1.0, max(0.0, due - time.monotonic())))
        if news or time.monotonic() >= due:
            self.news.clear()
            self.fetched_at = time.monotonic()
            with self.busy():
                self.fetch()
        if time.monotonic() >= self.acted_at + self.act_seconds:
            self.acted_at = time.monotonic()
            self.act()

    @contextlib.contextmanager
    def busy(self):
        """A request of the screen's page in flight (its fetch, a button's htmx request):
        what it is told meanwhile makes it fetch after, as live.js does."""
        self.requests_in_flight += 1
        try:
            yield
        finally:
            self.requests_in_flight -= 1
            while self.held and not self.requests_in_flight:  # the answer is in: what was told meanwhile
                self.tell(self.held.pop(0))

    def tell(self, data: str) -> None:
        """A telling stream's event: applied, else fetched."""
        if self.told(data):
            HEARD[f"{self.screen} applied"] += 1
            self.fetched_at = time.monotonic()  # as good as a fetch: the check waits
        else:
            self.news.set()

    def watch(self):
        while True:
            gevent.sleep(self.follow_stream())

    def follow_stream(self) -> float:
        """Open the screen's stream and follow it until it ends; how long to wait before
        opening it again. A refusal is by design, not a failure."""
        name = f"{self.screen} stream"
        with self.client.get(self.stream_url(), stream=True, catch_response=True, name=name) as response:
            if response.status_code == 503:
                response.request_meta["name"] = f"{name} refused"
                response.success()
        if response.status_code != 200:
            return REFUSED_SECONDS
        self.stream_open = True
        self.news.set()  # a stream that (re)opens makes the screen fetch once
        try:
            for kind, data in stream_events(response):
                HEARD[f"{self.screen} {kind}"] += 1
                if kind == "cards" and self.requests_in_flight:
                    HEARD[f"{self.screen} held"] += 1
                    self.held.append(data)
                elif kind == "cards":
                    self.tell(data)
                elif kind in EVENTS:
                    self.news.set()
        finally:
            self.stream_open = False
        return RECONNECT_SECONDS


class Cashier(StaffScreen):
    """The board: fetched with the lists of cards it shows (204 when none changed);
    every 4 s the cashier takes cash for an order waiting for it and moves one on."""

    fixed_count = 2
    screen = "board"

    def open_screen(self):
        self.stream_path = "/cashier/stream"
        self.open_drawer()
        self.load_board()

    def open_drawer(self):
        """Open a shift on the till's drawer, as a cashier does before taking cash (the
        app refuses cash without one); the second cashier finds it open."""
        drawer = text(self.client.get("/drawer", name="drawer"))
        action = field(r'action="(/drawer/[^"]+/open)"', drawer)
        if action:
            data = {"csrf_token": field(CSRF, drawer) or "", "opening_float": "500000"}
            self.client.post(action, data=data, name="drawer open POST")

    def load_board(self):
        self.board = text(self.client.get("/cashier", name="cashier"))
        self.shown, self.cards = {}, {}
        self.learn(self.board)
        self.csrf = field(CSRF, self.board) or ""

    def fetch(self):
        answer = self.client.get("/cashier/board", params=self.shown, headers={"HX-Request": "true"}, name=BOARD_FETCH)
        if answer.status_code == 200:  # the lists it shows now come with the cards
            self.learn(answer.text)

    def learn(self, html: str) -> None:
        """What the board shows now, from a page or a fetch's answer: each column's
        list as its page keeps it, and its cards (`seq.version`), from the list, or
        past MAX_LISTED_CARDS (a digest) from the cards sent, the column being sent whole."""
        sent = re.findall(SENT_CARD, html)
        for column, listed in re.findall(SHOWN, html):
            self.shown[column] = listed
            if listed.startswith("#"):
                self.cards[column] = {f"{seq}.{version}" for seq, where, version in sent if where == column}
            else:
                self.cards[column] = set(filter(None, listed.split("_")))

    def stream_url(self):
        return f"{self.stream_path}?{urlencode(self.shown)}"

    def told(self, data):
        """As board.js: every card of a changed column is one the board shows or one
        it was sent, at the version told, and every other column shows the stream's
        list; else it fetches."""
        news = json.loads(data)
        sent = {(where, f"{seq}.{version}") for seq, where, version in re.findall(SENT_CARD, news["html"])}
        for column, told in news["columns"].items():
            if any(entry not in self.cards.get(column, ()) and (column, entry) not in sent for entry in told["cards"]):
                return False
        if any(
            self.shown.get(column) != listed
            for column, listed in news["lists"].items()
            if column not in news["columns"]
        ):
            return False
        for column, told in news["columns"].items():
            self.shown[column], self.cards[column] = news["lists"][column], set(told["cards"])
        return True

    def act(self):
        acted = False
        for order in re.findall(r'href="(/cashier/orders/[^"]+)">[^<]*Terima tunai', self.board)[:1]:
            page = text(self.client.get(order, name="cashier/orders/[id]"))
            quick = field(r'name="quick" value="(\d+)"', page)
            if quick:
                with self.client.post(
                    order + "/cash",
                    data={"csrf_token": self.csrf, "quick": quick},
                    name="cashier cash POST",
                    catch_response=True,
                ) as answer:
                    if answer.status_code == 422:  # refused, saying why: counted, told at the end
                        REFUSED[field(r'<p class="error"[^>]*>([^<]+)<', answer.text or "") or "?"] += 1
                        answer.success()
                acted = True
        steps = re.findall(r'action="(/cashier/orders/[^"]+/advance)".*?name="to" value="(\w+)"', self.board, re.S)
        if steps:
            action, to = random.choice(steps)
            with (
                self.busy(),
                self.client.post(
                    action,
                    data={"csrf_token": self.csrf, "to": to},
                    headers={"HX-Request": "true"},
                    name="cashier advance",
                    catch_response=True,
                ) as answer,
            ):
                if answer.status_code == 409:  # the other cashier moved it first: a refusal, not a failure
                    answer.success()
                self.learn(answer.text or "")  # its lists, as htmx swaps them in, before what was told meanwhile
            acted = True
        if acted:
            self.load_board()


class Kitchen(StaffScreen):
    """A kitchen station's display (one per station the demo seeds: Dapur, Minuman),
    fetched with the version it shows (204 when unchanged); its cook bumps the oldest
    ticket every COOK_SECONDS."""

    fixed_count = 2
    screen = "kitchen"
    poll_seconds = KITCHEN_SECONDS
    act_seconds = COOK_SECONDS
    stations = itertools.count()  # the next user takes the next station

    def open_screen(self):
        stations = re.findall(r'href="(/kitchen/\d+)"', text(self.client.get("/kitchen/", name="kitchen")))
        self.display = stations[next(Kitchen.stations) % len(stations)]
        self.stream_path = self.display + "/stream"
        self.show(text(self.client.get(self.display, name="kitchen/[id] page")))

    def stream_url(self):
        return f"{self.stream_path}?{urlencode({'shown': self.version})}"

    def show(self, tickets: str) -> None:
        self.version = field(r'id="kitchen-shown" name="shown" value="([^"]*)"', tickets) or ""
        self.bumps = re.findall(r'action="(/kitchen/\d+/tickets/\d+/bump)"', tickets)
        self.csrf = field(CSRF, tickets) or getattr(self, "csrf", "")

    def fetch(self):
        answer = self.client.get(
            self.display, params={"shown": self.version}, headers={"HX-Request": "true"}, name=KITCHEN_FETCH
        )
        if answer.status_code == 200:
            self.show(answer.text)

    def act(self):
        if self.bumps:
            answer = self.client.post(
                self.bumps[0], data={"csrf_token": self.csrf}, headers={"HX-Request": "true"}, name="kitchen bump"
            )
            if answer.status_code == 200:
                self.show(answer.text)


class PartnerPos(FastHttpUser):
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
    """One step: what its requests took (the long-poll waits apart), how many of each
    kind there were, what the screens' streams brought, and the CPU seconds each group of
    processes took (process_cpu: "app" with the worker's, "worker", "database", "proxy";
    "self" is this process, Locust; "machine", all cores)."""

    def __init__(self, customers: int, trees: dict[str, list[int]]):
        self.customers, self.trees = customers, trees
        self.times: list[float] = []
        self.by_name: dict[str, list[float]] = {}
        self.counts: Counter[str] = Counter()
        self.requests = self.failures = 0

    def begin(self) -> None:
        self.began, self.heard_before = time.monotonic(), HEARD.copy()
        self.cpu_before = process_cpu.read(self.trees)

    def end(self) -> None:
        cpu_after = process_cpu.read(self.trees)
        self.seconds = time.monotonic() - self.began
        self.cpu = {name: cpu_after[name] - self.cpu_before[name] for name in cpu_after}
        self.heard = HEARD - self.heard_before

    def record(self, request_type, name, response_time, response_length, exception=None, **_kwargs):
        self.requests += 1
        self.counts[name] += 1
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

    @property
    def held(self) -> bool:
        return self.p95() <= P95_LIMIT_MS and self.failures <= ERROR_LIMIT * max(1, self.requests)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def cpu_per_customer_minute(self, group: str) -> float | None:
        """CPU seconds the group took per customer and minute (the staff's screens and
        the partner's requests included), None when not known (a site given by --url)."""
        if group not in self.cpu:
            return None
        return self.cpu[group] / (self.customers * self.seconds / 60)

    def customers_per_core(self) -> float | None:
        """Customers one core serves with the app at 70% CPU."""
        per_minute = self.cpu_per_customer_minute("app")
        return 0.7 * 60 / per_minute if per_minute else None

    def cores(self, group: str) -> str:
        return f"{self.cpu[group] / self.seconds:.2f}" if group in self.cpu else "n/a"

    def per_screen_minute(self, what: str, screens: int, counted: Counter[str] | None = None) -> float:
        """How many `what` (a request's name, or an event in HEARD) one screen made or
        heard per minute."""
        return (self.counts if counted is None else counted)[what] / screens / (self.seconds / 60)

    def fetches(self, user: type[StaffScreen], fetch: str) -> str:
        """A screen's fetches per minute, and (their share of all requests)."""
        per_minute = self.per_screen_minute(fetch, user.fixed_count)
        return f"{per_minute:.1f} ({100 * self.counts[fetch] / max(1, self.requests):.1f}%)"

    def events(self, user: type[StaffScreen]) -> str:
        """A screen's stream's events per minute (`change` and told `cards`), and how
        many of them it applied without a fetch."""
        heard = sum(self.per_screen_minute(f"{user.screen} {kind}", user.fixed_count, self.heard) for kind in EVENTS)
        applied = self.per_screen_minute(f"{user.screen} applied", user.fixed_count, self.heard)
        return f"{heard:.1f} ({applied:.1f} applied)"

    def screen(self, user: type[StaffScreen], fetch: str) -> str:
        """A screen's fetches per minute (their share of all requests); its stream's
        events per minute, and its stream's opens and refusals."""
        opens, refused = (self.counts[f"{user.screen} stream{end}"] for end in ("", " refused"))
        return (
            f"{self.fetches(user, fetch)} fetches/min (share of requests), "
            f"{self.events(user)} events/min, {opens} stream opens, {refused} refused"
        )


def figure(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def rush(url: str, args, trees: dict[str, list[int]]) -> list[Step]:
    """The stepped rush; `trees` names the roots of the processes whose CPU it reads."""
    environment = Environment(user_classes=[Customer, Cashier, Kitchen, PartnerPos], host=url, events=events)
    runner = environment.create_local_runner()
    steps: list[Step] = []
    deadline = time.monotonic() + args.minutes * 60
    customers = args.start
    try:
        while time.monotonic() + args.step_seconds <= deadline:
            users = customers + Cashier.fixed_count + Kitchen.fixed_count + PartnerPos.fixed_count
            runner.start(users, spawn_rate=max(5, args.step))
            gevent.sleep(args.step_seconds / 4)  # the new customers settle in
            step = Step(customers, trees)
            environment.events.request.add_listener(step.record)
            step.begin()
            gevent.sleep(args.step_seconds * 3 / 4)
            step.end()
            environment.events.request.remove_listener(step.record)
            steps.append(step)
            report(step)
            if not step.held:
                break
            customers += args.step
    finally:
        runner.quit()
    for error in sorted(environment.stats.errors.values(), key=lambda e: -e.occurrences)[:5]:
        print(f"failed {error.occurrences}x: {error.method} {error.name}: {error.error}")
    for message, times in REFUSED.most_common(5):
        print(f"cash refused {times}x (422, not counted as failed): {message}")
    return steps


def report(step: Step) -> None:
    print(
        f"{step.customers} customers: {step.rate:.0f} requests/s, p95 {step.p95():.0f} ms, "
        f"{step.failures} of {step.requests} failed: {'held' if step.held else 'NOT held'}; "
        f"slowest p95: {step.slowest()}\n"
        f"  CPU s per customer-minute: app {figure(step.cpu_per_customer_minute('app'), 3)} "
        f"(worker {figure(step.cpu_per_customer_minute('worker'), 3)} of it), "
        f"database {figure(step.cpu_per_customer_minute('database'), 3)}; "
        f"customers per app core at 70%: {figure(step.customers_per_core(), 0)}; cores used: "
        f"app {step.cores('app')}, database {step.cores('database')}, proxy {step.cores('proxy')}, "
        f"Locust {step.cores('self')}; the machine {step.cores('machine')}\n"
        f"  board: {step.screen(Cashier, BOARD_FETCH)}\n"
        f"  kitchen: {step.screen(Kitchen, KITCHEN_FETCH)}",
        flush=True,
    )


def local_only(url: str) -> str:
    host = urlsplit(url).hostname
    if host not in ("127.0.0.1", "localhost"):
        sys.exit("rush.py sends traffic to this machine only (127.0.0.1 or localhost)")
    return url.rstrip("/")


def postmaster(database_url: str) -> int:
    """The pid of the PostgreSQL server at `database_url`: the parent of a backend."""
    import psycopg

    with psycopg.connect(database_url) as connection:
        return process_cpu.parent(connection.execute("SELECT pg_backend_pid()").fetchone()[0])


@contextlib.contextmanager
def own_site(two_instances: bool, push: bool):
    """A throwaway PostgreSQL and one gunicorn instance (or the reference deployment:
    nginx, two instances, Redis, the worker), with a cashier and a partner. The rate
    limits are on, counted as in production (one instance: in its database; two: in
    their shared Redis), their ceilings out of reach. Without `push` every staff
    screen's stream is refused (LIVE_STREAMS_MAX=0). Yields its URL and the roots of its
    processes by group (the app's with the worker's)."""
    from harness import LIMITS_OUT_OF_REACH, postgres, reference_deployment, served_app

    settings = LIMITS_OUT_OF_REACH if push else {**LIMITS_OUT_OF_REACH, "LIVE_STREAMS_MAX": "0"}
    with (
        postgres() as database_url,
        (reference_deployment if two_instances else served_app)(database_url, settings) as app,
    ):
        CASHIER.update(username="kasir_rush", password=secrets.token_urlsafe(16))
        app.flask("users", "create", CASHIER["username"], "--role", "cashier", stdin=CASHIER["password"] + "\n")
        created = app.flask("partners", "create", "Rush POS")
        PARTNER["api_key"] = field(r"API key: (\S+)", created)
        PARTNER["license"] = app.flask("partners", "add-license", "Rush POS", "--store", "Toko Rush").strip()
        worker = app.processes.get("worker", [])
        trees = {**app.processes, "app": app.processes["app"] + worker, "worker": worker}
        yield app.base_url, {**trees, "database": [postmaster(database_url)]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running site on this machine (default: start one instance)")
    parser.add_argument(
        "--two-instances", action="store_true", help="start the reference deployment (deploy/) instead of one instance"
    )
    parser.add_argument(
        "--push", choices=("on", "off"), default="on", help="off: the site refuses the staff screens' streams"
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
            url, trees = local_only(args.url), {}
            if not (args.cashier and args.api_key and args.license):
                sys.exit("--url needs --cashier, --api-key and --license")
            name, _, password = args.cashier.partition(":")
            CASHIER.update(username=name, password=password)
            PARTNER.update(api_key=args.api_key, license=args.license)
        else:
            url, trees = stack.enter_context(own_site(args.two_instances, args.push == "on"))
        steps = rush(url, args, trees)
    print_table(steps, url, args)


def print_table(steps: list[Step], url: str, args) -> None:
    print(
        f"\n{os.cpu_count()} cores (Locust on the same), {date.today().isoformat()}, {url}, pushes {args.push}, "
        f"steps of {args.step_seconds} s (measured over the last three quarters); CPU s per customer-minute "
        f"(app: gunicorn with the worker's); per screen and minute: fetches (share of requests), stream events "
        f"(applied without a fetch)"
    )
    print(
        "| customers | requests/s | p95 (waits apart) | failed | held | app CPU s/customer-min | "
        "DB CPU s/customer-min | customers per app core at 70% | cores: app, DB, proxy, Locust, machine | "
        "board fetches/min (share) | board events/min (applied) | kitchen fetches/min (share) |"
    )
    print("|---" * 12 + "|")
    for step in steps:
        board, kitchen = step.fetches(Cashier, BOARD_FETCH), step.fetches(Kitchen, KITCHEN_FETCH)
        print(
            f"| {step.customers} | {step.rate:.0f} | {step.p95():.0f} ms | {step.failures} of {step.requests} | "
            f"{'yes' if step.held else 'no'} | {figure(step.cpu_per_customer_minute('app'), 3)} | "
            f"{figure(step.cpu_per_customer_minute('database'), 3)} | {figure(step.customers_per_core(), 0)} | "
            f"{', '.join(step.cores(group) for group in ('app', 'database', 'proxy', 'self', 'machine'))} | {board} | "
            f"{step.events(Cashier)} | {kitchen} |"
        )
    held = [step.customers for step in steps if step.held]
    print(f"largest number of concurrent customers held: {max(held) if held else 0}")


if __name__ == "__main__":
    main()
