"""The partner API's key lookup, cached per process and kept true by the change feed,
and the status read that runs without a transaction (webapp/partners/accounts.py,
webapp/api/views.py)."""

import pytest
from sqlalchemy import create_engine, text

from tests.db_helpers import end_transaction, postgresql_round_trips
from tests.http_helpers import API, post_qris
from tests.orders.test_live_caches import Heard, another_process, listening
from webapp.extensions import db
from webapp.models import Partner
from webapp.partners import accounts as partners


def status(client, account, transaction_id, api_key=None):
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else account.headers
    return client.get(f"{API}/payments/{transaction_id}", headers=headers)


@pytest.fixture
def cached(app, client, pos):
    """PostgreSQL with the listener connected: a partner payment, and the partner's key
    in the cache (read once)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL")
    transaction_id = post_qris(client, pos).json["transaction_id"]
    end_transaction()
    assert listening(app)
    assert status(client, pos, transaction_id).status_code == 200
    return transaction_id


def test_a_status_read_is_one_statement_without_a_transaction(client, pos, cached):
    with postgresql_round_trips() as seen:
        response = status(client, pos, cached)
    assert response.status_code == 200 and response.json["status"] == "pending"
    assert seen == ["SELECT"]  # the payment; the key was cached, no BEGIN, no ROLLBACK


def test_a_key_changed_in_another_process_stops_working_at_once(app, client, pos, cached, database_uri, sandbox):
    heard = Heard()
    app.extensions["change_feed"].subscribe(heard)
    partner_id = pos.partner.id
    with another_process(database_uri, sandbox):
        new_key = partners.rotate_api_key(db.session.get(Partner, partner_id))
    assert heard.wait_for(frozenset({partners.PARTNERS_TOPIC}))
    assert status(client, pos, cached).status_code == 401
    assert status(client, pos, cached, api_key=new_key).status_code == 200


def test_a_partner_switched_off_outside_the_app_is_refused(app, client, pos, cached, database_uri):
    heard = Heard()
    app.extensions["change_feed"].subscribe(heard)
    engine = create_engine(database_uri)
    with engine.begin() as connection:
        connection.execute(text("UPDATE partner SET active = false WHERE id = :id"), {"id": pos.partner.id})
    engine.dispose()
    assert heard.wait_for(frozenset({partners.PARTNERS_TOPIC}))
    assert status(client, pos, cached).status_code == 401


def test_made_up_keys_are_never_kept(app, client, pos, cached):
    kept = dict(app.extensions["partner_key_cache"]._entries)
    for n in range(5):
        assert status(client, pos, cached, api_key=f"wrg_made-up-{n}").status_code == 401
    assert app.extensions["partner_key_cache"]._entries.keys() == kept.keys()


def test_a_due_reconciliation_still_writes_in_a_transaction(app, clock, client, pos, cached):
    """Past its expiry the read expires the QR, in a transaction of its own."""
    clock.advance(hours=1)  # the cached key has aged out too: it is read again
    with postgresql_round_trips() as seen:
        response = status(client, pos, cached)
    assert response.json["status"] == "expired"
    key_read, payment_read, reconciliation = seen[:3], seen[3], seen[4 : seen.index("COMMIT", 4) + 1]
    assert key_read == ["BEGIN", "SELECT", "COMMIT"] and payment_read == "SELECT"
    assert reconciliation[0] == "BEGIN" and "UPDATE" in reconciliation and "INSERT" in reconciliation


def test_on_sqlite_every_call_reads_the_key(app, client, pos):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    transaction_id = post_qris(client, pos).json["transaction_id"]
    assert status(client, pos, transaction_id).status_code == 200
    assert app.extensions["partner_key_cache"]._entries == {}
    partners.rotate_api_key(pos.partner)
    assert status(client, pos, transaction_id).status_code == 401
