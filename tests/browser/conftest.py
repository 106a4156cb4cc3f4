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

from tests import factories as make
from tests.browser.pages import CHROMIUM, CHROMIUM_FLAGS, PHONE, log_in_on_board
from tests.db_helpers import end_transaction
from tests.live_server import gunicorn_serving

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
    with gunicorn_serving(
        database_uri,
        tmp_path_factory.mktemp("browser-instance"),
        SECRET_KEY="browser-tests",
        GUNICORN_THREADS="32",
        # Pages come and go by the dozen: a closed page's stream ends within a second or
        # two, and up to half the threads may hold streams.
        LIVE_HEARTBEAT_SECONDS="1",
        LIVE_STREAMS_MAX="16",
    ) as base_url:
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


@pytest.fixture
def cashier(browser, server, app):
    """Log a cashier in with a browser of the given viewport: `cashier(viewport)`."""
    make.staff_user("kasir")
    end_transaction()
    contexts = []

    def open_page(viewport):
        context = browser.new_context(viewport=viewport, locale="id-ID", base_url=server)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        log_in_on_board(page, "kasir", make.STAFF_PASSWORD)
        return page

    yield open_page
    for context in contexts:
        context.close()
