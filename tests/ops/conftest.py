"""Apps with their rate limits on, for the tests of limits and their headers."""

from contextlib import ExitStack

import pytest

from tests.apps import make_app, sandbox_settings
from webapp.extensions import db, limiter

SMALL_LIMITS = {"RATELIMIT_LOGIN": "3/minute", "RATELIMIT_CHECKOUT": "2/minute", "RATELIMIT_API": "2/minute"}


@pytest.fixture
def limited(app, database_uri, sandbox):
    """`limited(**settings)`: an app with small limits (3 logins, 2 checkouts, 2 API calls
    a minute) counted in the test database, its context pushed, on top of `app` (which
    empties the tables afterwards)."""
    with ExitStack() as contexts:

        def make_limited(**settings):
            limited_app = make_app(
                database_uri, **{**sandbox_settings(sandbox), "RATELIMIT_ENABLED": True, **SMALL_LIMITS, **settings}
            )
            contexts.enter_context(limited_app.app_context())
            contexts.callback(db.engine.dispose)
            contexts.callback(db.session.remove)
            limiter.reset()
            return limited_app

        yield make_limited


@pytest.fixture
def limited_app(limited):
    return limited()
