"""Pairing a till's customer display: the code shown on the till, typed once on the
device, the token it keeps; a wrong, expired or used code; revoking; a device that is
not (or no longer) paired gets a friendly page, never a 500; staff rights never help."""

from contextlib import ExitStack

import pytest

from tests import factories as make
from tests.apps import make_app, sandbox_settings
from tests.db_helpers import reload
from tests.http_helpers import HTMX, csrf_token_from, log_in, visible_text
from tests.till.display_helpers import display_url, pair_device, poll, till
from webapp.extensions import db, limiter
from webapp.models import Role
from webapp.staff.permissions import Permission
from webapp.till import pairing
from webapp.till_display.views import COOKIE_NAME
from webapp.timeutil import utcnow


@pytest.fixture
def kasir(app):
    return till()


def type_code(client, code: str, **kwargs):
    page = client.get("/till/display", **kwargs).get_data(as_text=True)
    return client.post("/till/display", data={"csrf_token": csrf_token_from(page), "code": code}, **kwargs)


def test_the_cashier_shows_a_code_and_the_device_that_types_it_lands_on_the_display(
    app, kasir, cashier_client, client, clock
):
    page = cashier_client.get(f"{display_url(kasir)}/pair")
    assert page.status_code == 200
    assert "Tampilkan kode" in visible_text(page.get_data(as_text=True))
    assert f'href="/till/{kasir.public_id}">&larr; Kembali ke kasir</a>' in page.get_data(as_text=True)
    made = cashier_client.post(f"{display_url(kasir)}/pair", data={"csrf_token": cashier_client.csrf_token})
    assert made.status_code == 303 and made.location == f"{display_url(kasir)}/pair"
    code = reload(kasir).pairing_code
    assert code is not None and len(code) == 6 and code.isdecimal()
    assert reload(kasir).pairing_expires_at == clock() + pairing.CODE_VALID
    shown = visible_text(cashier_client.get(f"{display_url(kasir)}/pair").get_data(as_text=True))
    assert f"{code[:3]} {code[3:]}" in shown and "http://localhost/till/display" in shown

    paired = type_code(client, f"{code[:3]} {code[3:]}")  # typed with a space, as shown
    assert paired.status_code == 303 and paired.location == display_url(kasir)
    (cookie,) = [header for header in paired.headers.getlist("Set-Cookie") if header.startswith(f"{COOKIE_NAME}=")]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Path=/till/display" in cookie and "Max-Age=34560000" in cookie
    token = client.get_cookie(COOKIE_NAME, path="/till/display").value
    kasir = reload(kasir)
    assert kasir.pairing_code is None  # used up
    assert kasir.display_token == pairing.token_digest(token) != token  # the till keeps only its digest
    screen = client.get(display_url(kasir))
    assert screen.status_code == 200 and "Selamat datang" in screen.get_data(as_text=True)
    assert "Layar pelanggan terhubung" in cashier_client.get(f"{display_url(kasir)}/pair").get_data(as_text=True)


def test_a_code_prefilled_from_the_pairing_qr_still_needs_a_tap(app, kasir, client, clock):
    code = pairing.new_code(kasir, clock())
    page = client.get(f"/till/display?code={code}").get_data(as_text=True)
    assert f'value="{code}"' in page
    assert reload(kasir).display_token is None  # opening the address pairs nothing
    for odd in ("<b>", "12345678901234567890"):
        page = client.get("/till/display", query_string={"code": odd})
        assert page.status_code == 200 and 'name="code" required type="text" value=""' in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("000000", "Kode itu salah"),
        ("12ab56", "Kode itu salah"),
        ("1234567", "Kode itu salah"),
        ("", "Ketik kode dari kasir"),
    ],
)
def test_a_wrong_code_says_so_and_pairs_nothing(app, kasir, client, clock, typed, says):
    code = pairing.new_code(kasir, clock())
    if typed == "000000" and code == "000000":
        typed = "000001"
    answer = type_code(client, typed)
    assert answer.status_code == 422 and says in answer.get_data(as_text=True)
    assert COOKIE_NAME not in answer.headers.get("Set-Cookie", "")
    assert reload(kasir).display_token is None and reload(kasir).pairing_code == code


def test_an_expired_code_says_so(app, kasir, client, clock):
    code = pairing.new_code(kasir, clock())
    clock.advance(minutes=5, seconds=1)
    answer = type_code(client, code)
    assert answer.status_code == 422 and "sudah tidak berlaku" in answer.get_data(as_text=True)
    assert reload(kasir).display_token is None


def test_a_code_pairs_one_device_only(app, kasir, client, clock):
    code = pairing.new_code(kasir, clock())
    assert type_code(client, code).status_code == 303
    other = app.test_client()
    answer = type_code(other, code)
    assert answer.status_code == 422 and "Kode itu salah" in answer.get_data(as_text=True)


def test_a_new_code_replaces_the_old_one(app, kasir, client, clock):
    old = pairing.new_code(kasir, clock())
    new = pairing.new_code(kasir, clock())
    if old != new:
        assert type_code(client, old).status_code == 422
    assert type_code(client, new).status_code == 303


def test_pairing_another_device_unpairs_the_first(app, kasir, client, clock):
    pair_device(client, kasir, clock())
    second = app.test_client()
    pair_device(second, kasir, clock())
    assert second.get(display_url(kasir)).status_code == 200
    refused = client.get(display_url(kasir))
    assert refused.status_code == 403 and "Layar ini belum terhubung" in refused.get_data(as_text=True)


def test_codes_of_two_tills_pair_each_its_own(app, kasir, client, clock):
    other_till = till("Kasir 2")
    pair_device(client, other_till, clock())
    second = app.test_client()
    pair_device(second, kasir, clock())
    assert client.get(display_url(other_till)).status_code == 200
    assert client.get(display_url(kasir)).status_code == 403  # its token opens its own till only
    assert second.get(display_url(kasir)).status_code == 200


def test_revoking_sends_the_device_to_the_not_paired_page(app, kasir, client, cashier_client, clock):
    pair_device(client, kasir, clock())
    html = client.get(display_url(kasir)).get_data(as_text=True)
    assert "hx-get" in html
    revoked = cashier_client.post(f"{display_url(kasir)}/revoke", data={"csrf_token": cashier_client.csrf_token})
    assert revoked.status_code == 303
    assert "diputus" in cashier_client.get(revoked.location).get_data(as_text=True)
    assert reload(kasir).display_token is None

    page = client.get(display_url(kasir))
    text = visible_text(page.get_data(as_text=True))
    assert page.status_code == 403 and "Layar ini belum terhubung" in text and "Ketik kode dari kasir" in text
    live = poll(client, kasir, "1.-")  # the poll of a display left open: the panel, and no more polling
    assert live.status_code == 286 and "Layar ini belum terhubung" in live.get_data(as_text=True)
    assert "hx-trigger" not in live.get_data(as_text=True)
    assert client.get(f"{display_url(kasir)}/live").status_code == 403


def test_revoking_voids_a_code_in_force(app, kasir, client, cashier_client, clock):
    code = pairing.new_code(kasir, clock())
    cashier_client.post(f"{display_url(kasir)}/revoke", data={"csrf_token": cashier_client.csrf_token})
    assert type_code(client, code).status_code == 422


@pytest.mark.parametrize("cookie", [None, "", "not-a-token", "x" * 300])
def test_a_device_without_the_till_s_token_gets_the_friendly_page(app, kasir, client, clock, cookie):
    pair_device(app.test_client(), kasir, clock())  # some other device is the display
    if cookie is not None:
        client.set_cookie(COOKIE_NAME, cookie, path="/till/display")
    page = client.get(display_url(kasir))
    assert page.status_code == 403 and "Layar ini belum terhubung" in page.get_data(as_text=True)
    assert poll(client, kasir).status_code == 286


def test_an_unknown_till_gets_the_friendly_page_not_a_500(app, client, clock):
    kasir = till("Kasir 2")  # a till no shift was opened at: it can be deleted
    token = pair_device(client, kasir, clock())
    for path in ("/till/display/nope", "/till/display/nope/live"):
        page = client.get(path)
        assert page.status_code == 404 and "Layar ini belum terhubung" in page.get_data(as_text=True)
    assert client.get("/till/display/nope/live", headers=HTMX).status_code == 286
    public_id = kasir.public_id
    db.session.delete(reload(kasir))
    db.session.commit()
    assert client.get_cookie(COOKIE_NAME, path="/till/display").value == token  # held, opening nothing
    assert client.get(f"/till/display/{public_id}").status_code == 404


def test_a_logged_in_staff_member_changes_nothing_the_display_shows_or_may_do(app, kasir, client, staff_client, clock):
    token = pair_device(client, kasir, clock())
    admin = staff_client("admin")
    # Without the display's token, an owner's session opens no display.
    assert admin.get(display_url(kasir)).status_code == 403
    assert poll(admin, kasir).status_code == 286
    # With it, the very page an anonymous device sees: no staff bar, no logout, no links.
    admin.set_cookie(COOKIE_NAME, token, path="/till/display")
    for path in (display_url(kasir), f"{display_url(kasir)}/live"):
        as_staff, as_device = admin.get(path).get_data(as_text=True), client.get(path).get_data(as_text=True)
        assert as_staff == as_device
    assert "Keluar" not in as_staff and "staff-nav" not in as_staff


def test_pairing_and_revoking_are_the_cashier_s_not_a_waiter_s(app, kasir, client, clock):
    from webapp.access import needed

    with app.test_request_context():
        assert {
            endpoint: needed(f"till_display.{endpoint}")
            for endpoint in ("enter", "screen", "live", "pair", "new_code", "revoke")
        } == {
            "enter": Permission.PUBLIC,
            "screen": Permission.PUBLIC,
            "live": Permission.PUBLIC,
            "pair": Permission.TAKE_CASH,
            "new_code": Permission.TAKE_CASH,
            "revoke": Permission.TAKE_CASH,
        }
    assert client.get(f"{display_url(kasir)}/pair").status_code == 302  # to log in
    make.staff_user("wulan", role=Role.WAITER)
    assert log_in(client, "wulan").status_code == 303
    refused = client.get(f"{display_url(kasir)}/pair")
    assert refused.status_code == 403 and "menerima uang" in refused.get_data(as_text=True)
    assert reload(kasir).pairing_code is None


def test_an_unknown_till_s_pairing_page_is_a_404(app, cashier_client):
    assert cashier_client.get("/till/display/nope/pair").status_code == 404
    form = {"csrf_token": cashier_client.csrf_token}
    assert cashier_client.post("/till/display/nope/pair", data=form).status_code == 404
    assert cashier_client.post("/till/display/nope/revoke", data=form).status_code == 404


@pytest.fixture
def limited(app, database_uri, sandbox):
    """`limited(**limits)`: the app with rate limits on (these, and the shipped ones).
    The limiter is one object for every app, and keeps a default limit an app gave it
    (RATELIMIT_DEFAULT) through later apps: it is forgotten before and after."""
    with ExitStack() as contexts:

        def make_limited(**limits):
            limiter.limit_manager.set_default_limits([])
            limited_app = make_app(database_uri, **sandbox_settings(sandbox), RATELIMIT_ENABLED=True, **limits)
            contexts.enter_context(limited_app.app_context())
            contexts.callback(db.engine.dispose)
            contexts.callback(db.session.remove)
            contexts.callback(limiter.limit_manager.set_default_limits, [])
            limiter.reset()
            return limited_app

        yield make_limited


def test_code_attempts_are_rate_limited_per_address_and_in_all(limited):
    limited_app = limited(RATELIMIT_DISPLAY_PAIRING="3/minute", RATELIMIT_DISPLAY_PAIRING_ALL="5/minute")
    code = pairing.new_code(till(), utcnow())
    wrong = "000001" if code != "000001" else "000002"

    def attempt(address: str) -> int:
        return type_code(limited_app.test_client(), wrong, environ_base={"REMOTE_ADDR": address}).status_code

    client = limited_app.test_client()
    assert [type_code(client, wrong).status_code for _ in range(3)] == [422] * 3
    assert [attempt("10.0.0.1"), attempt("10.0.0.2")] == [422, 422]
    assert attempt("10.0.0.3") == 429  # five attempts in a minute from all addresses
    assert type_code(client, code).status_code == 429  # the right code too, once limited
    assert client.get("/till/display").status_code == 200  # only attempts count


def test_the_display_s_poll_is_never_rate_limited(limited):
    """Even by a default limit of 2 a minute on every other view."""
    limited_app = limited(RATELIMIT_DEFAULT="2/minute")
    kasir = till()
    client = limited_app.test_client()
    client.set_cookie(COOKIE_NAME, "unpaired", path="/till/display")
    assert {poll(client, kasir).status_code for _ in range(5)} == {286}
    assert [client.get(display_url(kasir)).status_code for _ in range(3)] == [403, 403, 429]
