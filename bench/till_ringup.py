"""Ringing up a five-line order on the till in a real browser, step by step (issue 26).

    .venv/bin/python bench/till_ringup.py [ROUNDS] [--sqlite]

Starts a throwaway PostgreSQL (or, with --sqlite, a SQLite file) and the app under
gunicorn with gunicorn.conf.py, seeded with the demo menu by `flask seed-demo` as
`make run` does (bench/harness.py, 127.0.0.1 only), and makes a cashier account. In
Debian's headless Chromium (Playwright) at the counter's tablet size (1180 x 820) the
cashier logs in and opens the till; then, from the first tap to the change shown:
Nasi Goreng Spesial through its choice panel (Level 3 and Telur), Es Teh Manis (its
panel, Reguler chosen already), Kopi Tubruk, Air Mineral and Tahu Isi, one more Air
Mineral, a note on the coffee (typed untimed, saved by Enter), Bungkus (the till was
left on "Makan di sini" by the order before, set untimed at the start of each round),
Rp100.000 tendered (the five lines come to Rp59.000: no Rp50.000 order of five lines
with Nasi Goreng exists on the demo menu) and Bayar tunai (the steps:
bench/till_steps.py).

Each step waits for what the page shows (the till's side column swapped to its next
version, the panel, the price, the change). Its time is the page's own clock from the
step's first input event (the tap, the key, the typing) to the first animation frame
that shows it done, so Playwright's work around the taps is not counted. Its requests
are every request the browser made from the tap until the network fell quiet, with
their bytes as transferred (menu_weight.Transfers) and the app's own time for them (the
request log's `duration_ms`, found by each response's X-Request-ID). One round is
rung up untimed first (gunicorn's workers compile the templates then), then ROUNDS
(default 5), each on the till page loaded anew; the medians are printed. The till
page's weight is measured once before, as loaded with the browser's cache off. The
rate limits are off, as in `make bench`.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from playwright.sync_api import Page, Request, Response, expect, sync_playwright

from harness import ROOT, App, postgres, served_app
from menu_weight import KINDS, Transfers
from till_steps import ARM, FIRST_INPUT, SIDE_CHANGED, STEPS, TIMEOUT_MS, in_page_ms, shown_at

sys.path.insert(0, str(ROOT))

from tests.browser.pages import CHROMIUM, CHROMIUM_FLAGS, TABLETS, log_in

TABLET = TABLETS["tablet-1180x820"]
CASHIER = "kasir_bench"
QUIET_MS = 150  # no request in flight for this long: the step's requests are all in
PASSWORD = secrets.token_urlsafe(16)


@dataclass
class Traffic:
    """What the page asked for since a mark: requests (and of them, by kind: images,
    CSS...; htmx's are "other"), bytes as transferred, the app's own ms for them."""

    requests: int
    kinds: dict[str, int]
    bytes: int
    server_ms: float


@dataclass
class Measured:
    ms: float  # in the page, from the step's first input to the frame that shows it done
    traffic: Traffic


class Network:
    """The page's requests: how many, which are in flight, their request ids (the
    X-Request-ID the app answers with), and their bytes (menu_weight.Transfers)."""

    def __init__(self, page: Page):
        self.started = 0
        self.in_flight: set[Request] = set()
        self.request_ids: list[str] = []
        self.transfers = Transfers(page)
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)
        page.on("response", self._answered)

    def _started(self, request: Request) -> None:
        self.started += 1
        self.in_flight.add(request)

    def _ended(self, request: Request) -> None:
        self.in_flight.discard(request)  # one started before this watch began, too

    def _answered(self, response: Response) -> None:
        self.request_ids.append(response.headers.get("x-request-id", ""))
        if response.status >= 400:  # a refusal or an error: the step measured is not the one meant
            raise RuntimeError(f"{response.request.method} {response.url}: {response.status}")

    def mark(self) -> tuple[int, int, dict[str, list[int]]]:
        return self.started, len(self.request_ids), self.transfers.totals()

    def since(self, mark: tuple[int, int, dict[str, list[int]]], app: App) -> Traffic:
        started, answered, before = mark
        totals, times = self.transfers.totals(), server_times(app)
        counts = {kind: count - before.get(kind, [0, 0])[0] for kind, (count, _size) in totals.items()}
        return Traffic(
            self.started - started,
            {kind: count for kind, count in counts.items() if count},
            sum(size for _count, size in totals.values()) - sum(size for _count, size in before.values()),
            sum(times.get(request_id, 0.0) for request_id in self.request_ids[answered:]),
        )

    def settle(self, page: Page) -> None:
        """Wait until no request has been in flight for QUIET_MS (time enough for the
        transfers' own events, on their own DevTools session, to arrive too)."""
        deadline, quiet_since = time.monotonic() + TIMEOUT_MS / 1000, None
        while time.monotonic() < deadline:
            if not self.in_flight:
                quiet_since = quiet_since or time.monotonic()
                if time.monotonic() - quiet_since >= QUIET_MS / 1000:
                    return
            else:
                quiet_since = None
            page.wait_for_timeout(25)  # lets Playwright deliver the events meanwhile
        raise TimeoutError(f"requests still open: {[request.url for request in self.in_flight]}")


def server_times(app: App) -> dict[str, float]:
    """The app's own time per request id, from the request log (gunicorn's stderr)."""
    log = Path(app.env["WARUNG_INSTANCE_DIR"]) / "gunicorn.log"
    times = {}
    for line in log.read_text().splitlines():
        if '"duration_ms"' in line:
            entry = json.loads(line)
            times[entry.get("request_id", "")] = float(entry["duration_ms"])
    return times


def open_till(page: Page, till_url: str) -> None:
    page.goto(till_url)
    expect(page.get_by_role("heading", name="Kasir 1", level=1)).to_be_visible()
    page.wait_for_load_state("load")


def ring_up(page: Page, network: Network, app: App, till_url: str) -> list[Measured]:
    """One round: the till loaded anew, left on "Makan di sini" (untimed), then the steps."""
    open_till(page, till_url)
    page.evaluate(ARM)
    page.get_by_role("radio", name="Makan di sini").check()
    shown_at(page, SIDE_CHANGED)
    network.settle(page)
    measured = []
    for step in STEPS:
        mark = network.mark()
        ms = in_page_ms(page, step)
        network.settle(page)
        measured.append(Measured(ms, network.since(mark, app)))
    return measured


def page_weight(browser, app: App, till_url: str) -> tuple[Transfers, float]:
    """The till page loaded by a logged-in cashier with the browser's cache off: its
    responses, and the ms until its load event."""
    context = browser.new_context(viewport=TABLET, locale="id-ID", base_url=app.base_url)
    page = context.new_page()
    log_in(page, CASHIER, PASSWORD, "Menunggu tunai")
    network = Network(page)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    started = time.perf_counter()
    open_till(page, till_url)
    ms = (time.perf_counter() - started) * 1000
    network.settle(page)
    context.close()
    return network.transfers, ms


def row(name: str, runs: list[Measured]) -> str:
    """A table row: medians over the rounds (the kinds of requests as in the last round)."""
    kinds = ", ".join(f"{kind}: {count}" for kind, count in sorted(runs[-1].traffic.kinds.items()) if kind != "other")
    times = [run.ms for run in runs]
    return (
        f"| {name} | {statistics.median(run.traffic.requests for run in runs):.0f}{f' ({kinds})' if kinds else ''} "
        f"| {statistics.median(run.traffic.bytes for run in runs):,.0f} "
        f"| {statistics.median(times):.0f} ({min(times):.0f}-{max(times):.0f}) "
        f"| {statistics.median(run.traffic.server_ms for run in runs):.1f} |"
    )


def total(measured: list[Measured]) -> Measured:
    traffic = [m.traffic for m in measured]
    return Measured(
        sum(m.ms for m in measured),
        Traffic(sum(t.requests for t in traffic), {}, sum(t.bytes for t in traffic), sum(t.server_ms for t in traffic)),
    )


def file_name(url: str) -> str:
    return url.split("?", 1)[0].rsplit("/", 1)[-1]


def summary(rounds: list[list[Measured]]) -> None:
    print("| step | requests | bytes | ms in the page, median (min-max) | app's own ms, median |")
    print("|---|---|---|---|---|")
    for index, step in enumerate(STEPS):
        print(row(f"{index + 1}. {step.name}", [measured[index] for measured in rounds]))
    print(row("total, first tap to the change shown", [total(measured) for measured in rounds]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rounds", nargs="?", type=int, default=5, help="rounds measured (default 5)")
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of a throwaway PostgreSQL")
    args = parser.parse_args()
    with ExitStack() as stack:
        if args.sqlite:
            database_url = f"sqlite:///{stack.enter_context(tempfile.TemporaryDirectory())}/warung.sqlite"
        else:
            database_url = stack.enter_context(postgres())
        app = stack.enter_context(served_app(database_url))
        app.flask("users", "create", CASHIER, "--role", "cashier", stdin=PASSWORD + "\n")
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        stack.callback(browser.close)
        till_url = app.base_url + "/till"
        transfers, load_ms = page_weight(browser, app, till_url)
        context = browser.new_context(viewport=TABLET, locale="id-ID", base_url=app.base_url)
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(script=FIRST_INPUT)
        page = context.new_page()
        log_in(page, CASHIER, PASSWORD, "Menunggu tunai")
        network = Network(page)
        ring_up(page, network, app, till_url)  # untimed: the workers compile the templates
        rounds = [ring_up(page, network, app, till_url) for _ in range(args.rounds)]
        context.close()
    database = "SQLite" if args.sqlite else "PostgreSQL"
    print(
        f"till ring-up: {args.rounds} rounds after one untimed, {TABLET['width']} x {TABLET['height']}, "
        f"{database}, {os.cpu_count()} cores, {date.today().isoformat()}"
    )
    summary(rounds)
    print()
    print(f"till page, first load with the browser's cache off: load event after {load_ms:.0f} ms")
    weight = transfers.totals()
    print("| what | bytes (responses) | files |")
    print("|---|---|---|")
    for kind in (*KINDS.values(), "other"):
        if kind in weight:
            count, size = weight[kind]
            files = sorted(file_name(url) for i, url in transfers.url.items() if transfers.kind[i] == kind)
            print(f"| {kind} | {size:,} ({count}) | {', '.join(files) if kind in ('CSS', 'JS', 'other') else ''} |")
    print(f"| all | {sum(size for _c, size in weight.values()):,} ({sum(c for c, _s in weight.values())}) | |")


if __name__ == "__main__":
    main()
