"""Apps with their rate limits on, for the tests of limits and their headers."""
from contextlib import ExitStack

import pytest

from tests.conftest import _fresh_g, config_for, sandbox_settings
from webapp import create_app
from webapp.extensions import db, limiter

SMALL_LIMITS = {"RATELIMIT_LOGIN": "3/minute", "RATELIMIT_CHECKOUT": "2/minute", "RATELIMIT_API": "2/minute"}


def _end_session(_exc):
    db.session.remove()


@pytest.fixture
def limited(app, database_uri, sandbox):
    """`limited(**settings)`: an app with small limits (3 logins, 2 checkouts, 2 API calls
    a minute) counted in the test database, its context pushed, on top of `app` (which
    empties the tables afterwards). Each request starts with an empty `g` and ends its
    session, as its own app context does in production: on SQLite an open session
    would hold the write lock the next request's count waits for."""
    with ExitStack() as contexts:
        def make(**settings):
            limited_app = create_app(config_for(database_uri, **{
                **sandbox_settings(sandbox), "RATELIMIT_ENABLED": True, **SMALL_LIMITS, **settings}))
            limited_app.before_request_funcs.setdefault(None, []).insert(0, _fresh_g)
            limited_app.teardown_request(_end_session)
            contexts.enter_context(limited_app.app_context())
            contexts.callback(db.engine.dispose)
            contexts.callback(db.session.remove)
            limiter.reset()
            return limited_app

        yield make


@pytest.fixture
def limited_app(limited):
    return limited()
