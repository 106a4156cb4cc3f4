"""`next` may only lead to a path on this site: the usual open-redirect bypasses."""

from urllib.parse import urlsplit

import pytest

from tests.factories import STAFF_PASSWORD
from tests.http_helpers import csrf_token_from

# As they appear in the query string (so %09 reaches the app as a tab).
BYPASSES = [
    "//evil.example",
    "///evil.example",
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%0d%0a/evil.example",
    "%09//evil.example",
    "%20//evil.example",
    "/%5Cevil.example",
    "%5C%5Cevil.example",
    "/%5C/evil.example",
    "%2F%2Fevil.example",
    "https:evil.example",
    "https://evil.example",
    "http:/evil.example",
    "HTTPS://evil.example",
    "javascript:alert(1)",
    "evil.example",
    ".evil.example",
    "%E3%80%82/evil.example",
    "/%7F/evil.example",
]


def assert_stays_on_site(response, fallback: str) -> None:
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    location = response.headers["Location"]
    parts = urlsplit(location)
    assert not parts.scheme and not parts.netloc and location.startswith("/") and not location.startswith("//")
    assert "\\" not in location and not any(ord(char) < 0x20 for char in location)
    assert location in (fallback, "/evil.example"), location  # "///x" is kept as the local path "/x"


@pytest.mark.parametrize("target", BYPASSES)
def test_the_language_switch_stays_on_site(client, menu, target):
    assert_stays_on_site(client.get(f"/lang/en?next={target}"), "/")


@pytest.mark.parametrize("target", BYPASSES)
def test_login_stays_on_site(client, staff, target):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        f"/login?next={target}", data={"csrf_token": token, "username": "sari", "password": STAFF_PASSWORD}
    )
    assert_stays_on_site(response, "/cashier")


@pytest.mark.parametrize(
    "target, kept",
    [
        ("/cart", "/cart"),
        ("/cart?", "/cart"),
        ("/orders/abc?seen=1%262", "/orders/abc?seen=1&2"),
        ("/cart%23top", "/cart"),
        ("/%252F%252Fevil.example", "/%2F%2Fevil.example"),
    ],
)
def test_local_paths_are_kept(client, menu, target, kept):
    response = client.get(f"/lang/en?next={target}")
    assert response.status_code == 303 and response.headers["Location"] == kept
