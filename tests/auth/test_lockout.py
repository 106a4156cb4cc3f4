"""Failed logins: one answer and one password-hash check whatever the reason, a lock
per username that a known device passes, and a throttle per client address."""

import re

import pytest

from tests import factories as make
from tests.http_helpers import csrf_token_from, log_out
from webapp.staff import accounts

ATTACKER = "198.51.100.7"
ELSEWHERE = "203.0.113.20"
ALERT = re.compile(r'<p class="alert" role="alert">([^<]*)</p>')


def attempt(client, username, password=make.STAFF_PASSWORD, address=ELSEWHERE):
    environ = {"REMOTE_ADDR": address}
    token = csrf_token_from(client.get("/login", environ_base=environ).get_data(as_text=True))
    return client.post(
        "/login", data={"csrf_token": token, "username": username, "password": password}, environ_base=environ
    )


def refusal(response) -> str:
    assert response.status_code == 422
    return ALERT.search(response.get_data(as_text=True)).group(1)


def lock(app, username, address=ATTACKER):
    attacker = app.test_client()
    for _attempt in range(app.config["LOGIN_MAX_FAILURES"]):
        refusal(attempt(attacker, username, "tebakan-salah", address))


@pytest.fixture
def hash_checks(monkeypatch):
    """Counts every password-hash check the login makes."""
    calls = []
    real = accounts.check_password_hash

    def counting(stored, password):
        calls.append(stored)
        return real(stored, password)

    monkeypatch.setattr(accounts, "check_password_hash", counting)
    return calls


def test_every_refusal_reads_the_same_and_checks_one_hash(app, client, staff, hash_checks):
    lock(app, "budi")
    throttled = "192.0.2.99"
    for n in range(app.config["LOGIN_ADDRESS_MAX_FAILURES"]):
        refusal(attempt(client, f"nobody{n}", "tebakan-salah", throttled))
    cases = {
        "wrong password": ("sari", "salah-sekali", ELSEWHERE),
        "unknown user": ("nobody", "salah-sekali", ELSEWHERE),
        "locked, right password": ("budi", make.STAFF_PASSWORD, ELSEWHERE),
        "locked, wrong password": ("budi", "salah-sekali", ELSEWHERE),
        "throttled address, right password": ("sari", make.STAFF_PASSWORD, throttled),
    }
    messages = {}
    for case, (username, password, address) in cases.items():
        hash_checks.clear()
        messages[case] = refusal(attempt(client, username, password, address))
        assert len(hash_checks) == 1, case
    assert len(set(messages.values())) == 1, messages
    assert "Nama pengguna atau kata sandi salah" in messages["unknown user"]


def test_case_and_whitespace_variants_count_towards_the_lock(app, client, staff):
    for variant in ("SARI", " sari", "Sari ", "sArI", "\tsari"):
        refusal(attempt(client, variant, "tebakan-salah", ATTACKER))
    refusal(attempt(client, "sari"))  # locked for a new device, from anywhere


def test_the_lock_ends_after_the_window(app, client, staff, clock):
    lock(app, "sari")
    refusal(attempt(client, "sari"))
    clock.advance(minutes=app.config["LOGIN_LOCK_MINUTES"])
    assert attempt(client, "sari").status_code == 303


def test_one_address_cannot_lock_everyone_out(app, staff):
    for name in ("dewi", "eko", "fajar"):
        make.staff_user(name)
    attacker = app.test_client()
    for name in ("sari", "budi", "dewi", "eko", "fajar"):
        for _attempt in range(app.config["LOGIN_MAX_FAILURES"]):
            refusal(attempt(attacker, name, "tebakan-salah", ATTACKER))
    refusal(attempt(attacker, "fajar", make.STAFF_PASSWORD, ATTACKER))  # the address itself is throttled
    allowed = [
        name for name in ("sari", "budi", "dewi", "eko", "fajar") if attempt(app.test_client(), name).status_code == 303
    ]
    assert allowed == ["dewi", "eko", "fajar"]  # LOGIN_ADDRESS_MAX_FAILURES / LOGIN_MAX_FAILURES held back


def test_a_known_device_passes_the_lock_with_the_right_password(app, staff):
    tablet = app.test_client()
    assert attempt(tablet, "sari", address=ATTACKER).status_code == 303
    log_out(tablet)
    lock(app, "sari")  # from the same shop wifi, so the address is the tablet's too
    refusal(attempt(app.test_client(), "sari", address=ATTACKER))  # a new device is refused
    refusal(attempt(tablet, "sari", "tebakan-salah", address=ATTACKER))  # a wrong password still is
    assert attempt(tablet, "sari", address=ATTACKER).status_code == 303


def test_the_device_cookie_cannot_be_moved_to_another_user_or_forged(app, staff, clock):
    from itsdangerous import URLSafeSerializer

    from webapp.staff import devices

    tablet = app.test_client()
    assert attempt(tablet, "sari").status_code == 303
    cookie = tablet.get_cookie(devices.COOKIE_NAME, path=devices.COOKIE_PATH).value
    log_out(tablet)
    lock(app, "budi")
    lock(app, "sari", address="192.0.2.50")
    refusal(attempt(tablet, "budi"))  # sari's device is not budi's
    forged = app.test_client()
    since = int(clock().timestamp())
    forged.set_cookie(
        devices.COOKIE_NAME,
        URLSafeSerializer("a-guessed-key", salt=devices.SALT).dumps(
            [[staff["admin"].id, since], [staff["cashier"].id, since]]
        ),
        path=devices.COOKIE_PATH,
    )
    refusal(attempt(forged, "budi"))
    refusal(attempt(forged, "sari"))
    copied = app.test_client()
    copied.set_cookie(devices.COOKIE_NAME, cookie, path=devices.COOKIE_PATH)
    assert attempt(copied, "sari").status_code == 303  # it only ever helps with sari's own password


def test_a_device_is_forgotten_after_a_while(app, staff, clock):
    from webapp.staff import devices

    tablet = app.test_client()
    assert attempt(tablet, "sari").status_code == 303
    log_out(tablet)
    clock.advance(days=devices.REMEMBER_DAYS, minutes=1)
    lock(app, "sari")
    refusal(attempt(tablet, "sari"))


@pytest.mark.parametrize(
    "address, key",
    [
        ("198.51.100.7", "198.51.100.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:1:2:3", "2001:db8:1:2::/64"),
        (None, "unknown"),
        ("not an address", "unknown"),
    ],
)
def test_addresses_are_throttled_by_ipv4_or_ipv6_64(address, key):
    assert accounts.throttle_key(address) == key
