"""Browser tests: Debian's Chromium driven by Playwright, against the app served by
gunicorn in its own process on a loopback port, with the built-in Duitku sandbox
mounted (so the app and the sandbox talk over real HTTP, as in `make run`).

Without /usr/bin/chromium these tests are skipped on a developer machine, and fail in
CI (CI=true), where .ci/run installs it.
"""
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.live_server import ROOT, gunicorn

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
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
    instance = tmp_path_factory.mktemp("browser-instance")
    env = {"DATABASE_URL": database_uri, "SECRET_KEY": "browser-tests", "WARUNG_INSTANCE_DIR": str(instance),
           "WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "32", "GUNICORN_ACCESS_LOG": "", "DUITKU_BASE_URL": ""}
    with gunicorn(env, instance / "gunicorn.log") as base_url:
        yield base_url


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


def screenshot(page, name: str) -> None:
    """Phone screenshots for the README: written to docs/ by `make screenshots`."""
    if os.environ.get("WARUNG_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
