"""A manager's approval on the cashier's device: the PIN a manager sets on their own
account page (4-8 digits, hashed, confirmed by the password), checked with its own
lockout; a cashier or an unknown name never approves."""

from datetime import timedelta

import pytest

from tests import factories as make
from tests.http_helpers import csrf_token_from, log_in
from webapp.models import AuditEntry, AuditKind, Role
from webapp.staff import approvals


@pytest.fixture
def manager(app):
    return make.manager(pin="2468")


WRONG_PINS = [
    ("12", make.STAFF_PASSWORD, "4 sampai 8"),
    ("24a8", make.STAFF_PASSWORD, "4 sampai 8"),
    ("2468", "salah-sandi", "Kata sandi salah"),
]


def test_a_manager_sets_their_pin_on_their_account_page(app):
    make.staff_user("rini", role=Role.MANAGER)
    client = app.test_client()
    log_in(client, "rini")
    page = client.get("/account").get_data(as_text=True)
    assert "PIN belum diatur" in page
    csrf = {"csrf_token": csrf_token_from(page)}
    for pin, password, message in WRONG_PINS:
        refused = client.post("/account/pin", data=csrf | {"pin": pin, "password": password})
        assert refused.status_code == 422 and message in refused.get_data(as_text=True)
    assert client.post("/account/pin", data=csrf | {"pin": "2468", "password": make.STAFF_PASSWORD}).status_code == 303
    assert "PIN sudah diatur" in client.get("/account").get_data(as_text=True)
    assert AuditEntry.query.filter_by(kind=AuditKind.PIN_SET).count() == 1


def test_a_cashier_has_no_pin_to_set(cashier_client):
    assert "PIN persetujuan" not in cashier_client.get("/account").get_data(as_text=True)
    refused = cashier_client.post("/account/pin", data={"csrf_token": cashier_client.csrf_token, "pin": "1234"})
    assert refused.status_code == 403


def test_the_right_pin_approves_and_names_the_manager(manager, clock):
    assert approvals.approve("RINI ", "2468", clock()).username == "rini"
    assert [user.username for user in approvals.approvers()] == ["rini"]


@pytest.mark.parametrize("who, pin", [("rini", "1357"), ("nobody", "2468"), ("sari", "2468")])
def test_a_wrong_pin_or_someone_who_cannot_approve_is_refused(manager, staff, clock, who, pin):
    with pytest.raises(approvals.ApprovalError, match="PIN salah atau bukan PIN manajer"):
        approvals.approve(who, pin, clock())


def test_five_wrong_pins_hold_the_manager_back_for_fifteen_minutes(manager, clock):
    for _attempt in range(5):
        with pytest.raises(approvals.ApprovalError, match="PIN salah"):
            approvals.approve("rini", "0000", clock())
    with pytest.raises(approvals.ApprovalError, match="ditahan 15 menit"):
        approvals.approve("rini", "2468", clock())  # even the right one, while held back
    clock.advance(minutes=15, seconds=1)
    assert approvals.approve("rini", "2468", clock()).username == "rini"


def test_a_held_back_pin_does_not_hold_back_the_manager_s_login(app, manager, clock):
    for _attempt in range(6):
        with pytest.raises(approvals.ApprovalError):
            approvals.approve("rini", "0000", clock() + timedelta(seconds=_attempt))
    assert log_in(app.test_client(), "rini").status_code == 303
