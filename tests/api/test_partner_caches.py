"""The partner API's caches, per process and kept true by the change feed: the API key
lookup (webapp/partners/accounts.py) and the status read (webapp/api/status_cache.py),
which without its cache runs one statement and no transaction."""

import psycopg
import pytest
from sqlalchemy import create_engine, text

from tests import factories as make
from tests.db_helpers import end_transaction, postgresql_round_trips
from tests.http_helpers import API, post_qris
from tests.orders.test_live_caches import Heard, another_process, listening
from webapp.bills import bill_splits, share_payments
from webapp.extensions import db
from webapp.live import feed
from webapp.live.triggers import CHANNEL
from webapp.models import Partner, Payment
from webapp.partners import accounts as partners
from webapp.payments import paying, qris_payments
from webapp.state import commit_and_publish


def status(client, account, transaction_id, api_key=None):
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else account.headers
    return client.get(f"{API}/payments/{transaction_id}", headers=headers)


def new_payment(client, account) -> str:
    transaction_id = post_qris(client, account).json["transaction_id"]
    end_transaction()
    return transaction_id


@pytest.fixture
def cached(app, client, pos):
    """PostgreSQL with the listener connected: a partner payment whose status, and the
    partner's key, are cached (read once)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL")
    transaction_id = new_payment(client, pos)
    assert listening(app)
    assert status(client, pos, transaction_id).status_code == 200
    return transaction_id


def heard_after(app, change, topic: str) -> None:
    heard = Heard()
    app.extensions["change_feed"].subscribe(heard)
    change()
    assert heard.wait_for(frozenset({topic}))


def payment_id(transaction_id: str) -> int:
    return db.session.scalar(db.select(Payment.id).where(Payment.public_id == transaction_id))


# Reads -------------------------------------------------------------------------------------


def test_a_cached_status_runs_no_sql(client, pos, cached):
    with postgresql_round_trips() as seen:
        response = status(client, pos, cached)
    assert response.status_code == 200 and response.json["status"] == "pending"
    assert seen == []


def test_an_uncached_status_is_one_statement_without_a_transaction(client, pos, cached):
    other = new_payment(client, pos)  # the key is cached, this payment not yet
    with postgresql_round_trips() as seen:
        assert status(client, pos, other).json["transaction_id"] == other
    assert seen == ["SELECT"]  # no BEGIN, no ROLLBACK


def test_another_partner_never_sees_a_cached_payment(client, pos, other_pos, cached):
    assert status(client, other_pos, cached).status_code == 404


def test_a_due_reconciliation_still_writes_in_a_transaction(app, clock, client, pos, cached):
    """Past its expiry the read expires the QR, in a transaction of its own."""
    clock.advance(hours=1)  # the cached entries have aged out too: both read again
    with postgresql_round_trips() as seen:
        response = status(client, pos, cached)
    assert response.json["status"] == "expired"
    key_read, payment_read, rest = seen[:3], seen[3], seen[4:]
    assert key_read == ["BEGIN", "SELECT", "COMMIT"] and payment_read == "SELECT"
    read_again = rest.index("COMMIT") + 1  # ended before Duitku is asked whether it was paid after all
    assert rest[:read_again] == ["BEGIN", "SELECT", "COMMIT"]
    reconciliation = rest[read_again : rest.index("COMMIT", read_again) + 1]
    assert reconciliation[0] == "BEGIN" and "UPDATE" in reconciliation and "INSERT" in reconciliation


def test_on_sqlite_every_call_reads_the_database(app, client, pos):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    transaction_id = new_payment(client, pos)
    assert status(client, pos, transaction_id).status_code == 200
    assert app.extensions["partner_key_cache"]._entries == {}
    assert app.extensions["partner_payment_cache"]._entries == {}
    partners.rotate_api_key(pos.partner)
    assert status(client, pos, transaction_id).status_code == 401


# Changes -----------------------------------------------------------------------------------


def test_a_cancel_in_this_process_shows_at_once(client, pos, cached):
    assert client.post(f"{API}/payments/{cached}/cancel", headers=pos.headers).json["status"] == "cancelled"
    assert status(client, pos, cached).json["status"] == "cancelled"


def test_any_payment_update_here_drops_the_cached_statuses(app, client, pos, cached):
    """An UPDATE statement on payments (a transition's) names the partner payments'
    topic in this process, at commit (PostgreSQL's NOTIFYs never carry that topic)."""
    heard = Heard()
    app.extensions["change_feed"].subscribe(heard)
    payment = db.session.get(Payment, payment_id(cached))
    qris_payments.cancel_payment(payment, "test")
    assert any(topics and "partner-payments" in topics for topics in heard.topics)


def test_a_payment_paid_in_another_process_shows_once_heard(app, client, pos, cached, database_uri, sandbox):
    paid_id = payment_id(cached)

    def pay_elsewhere():
        with another_process(database_uri, sandbox):
            payment = db.session.get(Payment, paid_id)
            paying.mark_paid(payment, payment.created_at, kind="callback", actor="duitku")
            commit_and_publish()

    heard_after(app, pay_elsewhere, feed.payment_topic(paid_id))
    assert status(client, pos, cached).json["status"] == "paid"


def test_a_payment_written_outside_the_app_shows_once_heard(app, client, pos, cached, database_uri):
    written_id = payment_id(cached)
    db.session.commit()

    def write_with_sql():
        engine = create_engine(database_uri)
        with engine.begin() as connection:
            connection.execute(text("UPDATE payment SET description = 'Kopi susu' WHERE id = :id"), {"id": written_id})
        engine.dispose()

    heard_after(app, write_with_sql, feed.payment_topic(written_id))
    assert status(client, pos, cached).json["description"] == "Kopi susu"


def test_a_key_changed_in_another_process_stops_working_at_once(app, client, pos, cached, database_uri, sandbox):
    partner_id = pos.partner.id
    new_key = []

    def rotate_elsewhere():
        with another_process(database_uri, sandbox):
            new_key.append(partners.rotate_api_key(db.session.get(Partner, partner_id)))

    heard_after(app, rotate_elsewhere, partners.PARTNERS_TOPIC)
    assert status(client, pos, cached).status_code == 401
    assert status(client, pos, cached, api_key=new_key[0]).status_code == 200


def test_a_partner_switched_off_outside_the_app_is_refused(app, client, pos, cached, database_uri):
    def switch_off():
        engine = create_engine(database_uri)
        with engine.begin() as connection:
            connection.execute(text("UPDATE partner SET active = false WHERE id = :id"), {"id": pos.partner.id})
        engine.dispose()

    heard_after(app, switch_off, partners.PARTNERS_TOPIC)
    assert status(client, pos, cached).status_code == 401


def test_made_up_keys_are_never_kept(app, client, pos, cached):
    kept = dict(app.extensions["partner_key_cache"]._entries)
    for n in range(5):
        assert status(client, pos, cached, api_key=f"wrg_made-up-{n}").status_code == 401
    assert app.extensions["partner_key_cache"]._entries.keys() == kept.keys()


def test_only_a_partners_payment_without_an_order_is_announced_as_a_payment(client, pos, menu, clock):
    """What the partner status cache holds is announced as "payment:<id>"; a payment of
    a share of a table's bill (no order, no partner) is not, nor would a web order's be:
    each NOTIFY makes every process throw away the reads it was about to cache."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL")
    conninfo = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as listener:
        listener.execute(f"LISTEN {CHANNEL}")
        share = bill_splits.split_evenly(make.three_friends_bill(menu), 3, "Rina")[0]
        share_payment = share_payments.confirm_share_cash(share, 100_000, "cashier:sari", clock())
        partner_payment = payment_id(new_payment(client, pos))
        end_transaction()
        heard = []  # in commit order: the share's payment was written first
        for note in listener.notifies(timeout=10):
            heard.append(note.payload)
            if note.payload == f"payment:{partner_payment}":
                break
    assert heard[-1] == f"payment:{partner_payment}"
    assert f"payment:{share_payment.id}" not in heard
