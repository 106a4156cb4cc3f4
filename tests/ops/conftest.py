"""An app with its rate limits on, for the tests of limits and their headers."""
import pytest

from tests.conftest import config_for, sandbox_settings
from webapp import create_app
from webapp.extensions import db, limiter

SMALL_LIMITS = {"RATELIMIT_LOGIN": "3/minute", "RATELIMIT_CHECKOUT": "2/minute", "RATELIMIT_API": "2/minute"}


def _end_session(_exc):
    db.session.remove()


@pytest.fixture
def limited_app(app, database_uri, sandbox):
    """Small limits (3 logins, 2 checkouts, 2 API calls a minute) counted in the test
    database, on top of `app` (which empties the tables afterwards). Each request ends
    its session, as its own app context does in production: on SQLite an open one would
    hold the write lock the next request's count waits for."""
    limited = create_app(config_for(database_uri, **sandbox_settings(sandbox), RATELIMIT_ENABLED=True, **SMALL_LIMITS))
    limited.teardown_request(_end_session)
    with limited.app_context():
        limiter.reset()
        yield limited
        db.session.remove()
        db.engine.dispose()
