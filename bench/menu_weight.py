"""Page weight of the big menu (bench/big_menu.py) in a real browser on a phone.

    .venv/bin/python bench/menu_weight.py

Starts the app under gunicorn on SQLite with the built-in Duitku sandbox (bench/harness.py,
127.0.0.1 only), seeds the big menu, and opens the menu in Debian's headless Chromium
through Playwright at a 360 x 800 phone viewport with an empty cache. It counts the bytes
of every response as transferred (Chromium's encodedDataLength: headers and body) for
the first view, then again after scrolling to the bottom a screen at a time, as a
customer browsing the whole menu would. The second pass takes the WebP sources out of
the menu page, so the browser loads the JPEG fallbacks instead. For the text files it
also gives their gzip size, what a server that compresses would send.
"""

import gzip
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import requests
from playwright.sync_api import sync_playwright

from harness import ROOT, served_app

sys.path.insert(0, str(ROOT))

from tests.browser.pages import CHROMIUM, CHROMIUM_FLAGS  # the browser tests' Chromium

PHONE = {"viewport": {"width": 360, "height": 800}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
KINDS = {"Document": "HTML", "Stylesheet": "CSS", "Script": "JS", "Image": "images"}


class Transfers:
    """Bytes transferred per response, by kind, read from Chromium's network events."""

    def __init__(self, page):
        self.kind: dict[str, str] = {}
        self.url: dict[str, str] = {}
        self.bytes: dict[str, int] = {}
        cdp = page.context.new_cdp_session(page)
        cdp.on("Network.responseReceived", self._received)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.send("Network.enable")

    def _received(self, event):
        self.kind[event["requestId"]] = KINDS.get(event["type"], "other")
        self.url[event["requestId"]] = event["response"]["url"]

    def _finished(self, event):
        self.bytes[event["requestId"]] = int(event["encodedDataLength"])

    def totals(self) -> dict[str, list[int]]:
        """{kind: [responses, bytes]} so far."""
        totals = defaultdict(lambda: [0, 0])
        for request_id, size in self.bytes.items():
            kind = self.kind.get(request_id, "other")
            totals[kind][0] += 1
            totals[kind][1] += size
        return dict(totals)


def without_webp(route):
    """The menu page with its WebP sources taken out: the <img> JPEGs load instead."""
    response = route.fetch()
    route.fulfill(response=response, body=re.sub(r'<source type="image/webp"[^>]*>', "", response.text()))


def visit(browser, base_url: str, jpeg: bool) -> tuple[dict, dict, Transfers]:
    """Totals of the first view and after scrolling to the bottom, and the transfers."""
    context = browser.new_context(**PHONE, locale="id-ID", base_url=base_url)
    page = context.new_page()
    if jpeg:
        page.route(base_url + "/", without_webp)
    transfers = Transfers(page)
    page.goto("/", wait_until="networkidle")
    first = transfers.totals()
    while page.evaluate("window.scrollY + window.innerHeight < document.documentElement.scrollHeight - 1"):
        page.mouse.wheel(0, 700)  # about a screen, as a thumb flick
        page.wait_for_timeout(150)  # let the scroll happen and lazy images start
        page.wait_for_load_state("networkidle")
    page.wait_for_load_state("networkidle")
    bottom = transfers.totals()
    context.close()
    return first, bottom, transfers


def gzip_sizes(transfers: Transfers) -> dict[str, int]:
    sizes: dict[str, int] = defaultdict(int)
    for request_id, kind in transfers.kind.items():
        if kind in ("HTML", "CSS", "JS"):
            sizes[kind] += len(gzip.compress(requests.get(transfers.url[request_id], timeout=10).content, 6))
    return sizes


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, served_app(f"sqlite:///{tmp}/warung.sqlite") as app:
        seeded = subprocess.run(
            [sys.executable, str(Path(__file__).with_name("big_menu.py"))],
            env=app.env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()[-4:]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            webp_first, webp_bottom, transfers = visit(browser, app.base_url, jpeg=False)
            _jpeg_first, jpeg_bottom, _ = visit(browser, app.base_url, jpeg=True)
            browser.close()
        compressed = gzip_sizes(transfers)
    print(f"menu: {' '.join(seeded)}; 360 x 800 viewport, empty cache, bytes as transferred (headers included)")
    print("bytes (responses)")
    print("| what | first view | after scrolling to the bottom | bottom, JPEG fallback instead of WebP | gzip -6 |")
    print("|---|---|---|---|---|")
    for kind in ("HTML", "CSS", "JS", "images", "other"):
        row = [totals.get(kind, [0, 0]) for totals in (webp_first, webp_bottom, jpeg_bottom)]
        if any(count for count, _bytes in row):
            cells = " | ".join(f"{size:,} ({count})" for count, size in row)
            print(f"| {kind} | {cells} | {f'{compressed[kind]:,}' if kind in compressed else ''} |")
    all_totals = [sum(size for _count, size in totals.values()) for totals in (webp_first, webp_bottom, jpeg_bottom)]
    print(f"| all | {' | '.join(f'{total:,}' for total in all_totals)} | |")


if __name__ == "__main__":
    main()
