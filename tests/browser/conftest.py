"""Browser tests: Debian's Chromium driven by Playwright, against the app served by
gunicorn in its own process on a loopback port, with the built-in Duitku sandbox
mounted (so the app and the sandbox talk over real HTTP, as in `make run`).

Without /usr/bin/chromium these tests are skipped on a developer machine, and fail in
CI (CI=true), where .ci/run installs it.
"""
import os
import re
import subprocess
import time
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

from tests.live_server import free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
ROOT = Path(__file__).resolve().parent.parent.parent
AXE = Path(__file__).resolve().parent / "assets" / "axe-4.14.1.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"
# Pages change by themselves through polls of up to 5 s (the kitchen phase): give every
# expectation three poll periods, not Playwright's default 5 s.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing in CI: .ci/run should have installed it")
        pytest.skip(f"{CHROMIUM} not installed (Debian packages chromium and chromium-driver)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def server(database_uri, _schema, tmp_path_factory):
    """The app under gunicorn, in its own process, on the test database."""
    port = free_port()
    instance = tmp_path_factory.mktemp("browser-instance")
    env = {**os.environ, "DATABASE_URL": database_uri, "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
           "SECRET_KEY": "browser-tests", "WARUNG_INSTANCE_DIR": str(instance), "WEB_CONCURRENCY": "1",
           "GUNICORN_THREADS": "32", "GUNICORN_ACCESS_LOG": "", "DUITKU_BASE_URL": ""}
    log = open(instance / "gunicorn.log", "w")
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(base_url + "/", timeout=5)
            break
        except requests.RequestException as exc:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start:\n" + (instance / "gunicorn.log").read_text()[-3000:]) from exc
            time.sleep(0.1)
    yield base_url
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture
def phone(browser, server):
    """A new phone-sized browser context speaking Indonesian; `phone(js=False)` for one
    with JavaScript switched off."""
    contexts = []

    def open_context(js: bool = True):
        context = browser.new_context(viewport=PHONE, locale="id-ID", java_script_enabled=js, base_url=server)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page; returns its violations (id, impact, nodes). axe is
    evaluated through the DevTools protocol: the page's CSP (rightly) forbids inline
    script tags, and the journeys keep that CSP on so they would catch a violation."""
    page.evaluate(AXE.read_text())
    return page.evaluate(
        "async () => (await axe.run()).violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}))")


def assert_accessible(page, name: str) -> list[dict]:
    violations = axe_violations(page)
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    print(f"axe {name}: {violations or 'no violations'}")
    assert serious == [], f"{name}: {serious}"
    return violations


def log_in_on_board(page, username: str, password: str) -> None:
    """Log a staff member in and wait for the order board."""
    page.goto("/login")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name=re.compile("Menunggu tunai"))).to_be_visible()


def screenshot(page, name: str) -> None:
    """Phone screenshots for the README: written to docs/ by `make screenshots`."""
    if os.environ.get("WARUNG_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
