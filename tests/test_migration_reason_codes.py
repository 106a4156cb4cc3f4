"""The migration that stores reasons and payment-event notes as codes, run on a
database holding orders written by the app before it: every row is kept, each old
sentence becomes its code and parameters, and the downgrade gives the sentences back."""

from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from tests.apps import config_for
from webapp import create_app
from webapp.extensions import db

REVISION = "e3b1c0de7a61"
PREVIOUS = (
    ScriptDirectory(str(Path(__file__).resolve().parent.parent / "migrations")).get_revision(REVISION).down_revision
)
NOW = datetime(2026, 11, 22, 5, 0, tzinfo=UTC)

# (attention_reason as the old app wrote it) -> (code, params)
ATTENTION = {
    "QRIS payment received while the order was cancelled: refund or reinstate": (
        "paid_for_closed_order",
        {"order_status": "cancelled"},
    ),
    "QRIS paid after the QR was expired: check for a second payment": (
        "paid_after_qr_closed",
        {"payment_status": "expired"},
    ),
    "callback amount 10000.00 differs from 30000": ("amount_mismatch", {"received": "10000.00", "expected": 30000}),
    "": ("", None),
}
# (from, to, actor, reason) -> (code, params)
CHANGES = {
    (None, "awaiting_payment", "customer", ""): ("", None),
    ("awaiting_payment", "paid", "duitku", "QRIS WRG-20261122-001-ab12cd34"): (
        "qris_paid",
        {"merchant_order_id": "WRG-20261122-001-ab12cd34"},
    ),
    ("awaiting_payment", "paid", "cashier:sari", "tunai diterima 50000, kembalian 20000"): (
        "cash_paid",
        {"tendered": 50000, "change": 20000},
    ),
    ("awaiting_payment", "cancelled", "customer", "dibatalkan pelanggan"): ("", None),
    ("awaiting_payment", "cancelled", "cashier:sari", "QRIS gagal terus, pelanggan pergi"): (
        "note",
        {"text": "QRIS gagal terus, pelanggan pergi"},
    ),
    ("awaiting_payment", "awaiting_payment", "customer", "beralih ke tunai"): ("switched_to_cash", None),
    ("awaiting_payment", "awaiting_payment", "partner:1", "beralih ke QRIS"): ("switched_to_qris", None),
    (
        "cancelled",
        "cancelled",
        "cashier:sari",
        "ditangani: QRIS payment received while the order was cancelled: refund or reinstate",
    ): ("attention_resolved", {"reason": "paid_for_closed_order", "params": {"order_status": "cancelled"}}),
}
# (kind, note) -> (code, params)
EVENTS = {
    ("created", ""): ("", None),
    ("inquiry", "reference DS123"): ("duitku_reference", {"reference": "DS123"}),
    ("inquiry_failed", "Duitku refused the request (400): Minimum Payment 10000 IDR"): (
        "gateway_error",
        {"error": "Duitku refused the request (400): Minimum Payment 10000 IDR"},
    ),
    ("callback", "missing field: signature"): ("missing_field", {"field": "signature"}),
    ("callback", "invalid signature"): ("invalid_signature", None),
    ("callback", "recorded: amount mismatch"): ("amount_mismatch", None),
    ("callback", "recorded: resultCode 01, payment not completed"): ("not_completed", {"result_code": "01"}),
    ("callback", "not confirmed: Duitku unavailable (timed out)"): ("unconfirmed_gateway_down", {"error": "timed out"}),
    ("callback", "already paid: nothing changed"): ("already_paid", None),
    ("status_check", "Duitku unavailable: connection refused"): ("gateway_error", {"error": "connection refused"}),
    ("status_check", "Duitku says EXPIRED"): ("cancelled_by_gateway", {"message": "EXPIRED"}),
    ("status_check", "still pending"): ("still_pending", None),
    ("expired", "QR expired"): ("", None),
    ("expired", "QR expired (Duitku unreachable)"): ("expired_unconfirmed", None),
    ("cancelled", "switched to cash"): ("switched_to_cash", None),
    ("cancelled", "pelanggan pergi"): ("note", {"text": "pelanggan pergi"}),
    ("cash_confirmed", "tunai diterima 50000, kembalian 20000"): (
        "cash_received",
        {"tendered": 50000, "change": 20000},
    ),
    ("callback", "something a later version may write"): ("note", {"text": "something a later version may write"}),
}


def fill_old_database(connection) -> None:
    tables = sa.MetaData()
    tables.reflect(bind=connection)
    order, change, payment, event = (
        tables.tables[name] for name in ("order", "order_status_change", "payment", "payment_event")
    )
    for seq, reason in enumerate(ATTENTION, start=1):
        connection.execute(
            order.insert().values(
                id=seq,
                public_id=f"order-{seq}",
                business_date=date(2026, 11, 22),
                daily_seq=seq,
                customer_name="Rina",
                table_label="5",
                note="",
                payment_method="qris",
                status="cancelled",
                total=30000,
                needs_attention=bool(reason),
                attention_reason=reason,
                created_at=NOW,
                updated_at=NOW,
            )
        )
    for from_status, to_status, actor, reason in CHANGES:
        connection.execute(
            change.insert().values(
                order_id=1, from_status=from_status, to_status=to_status, actor=actor, reason=reason, created_at=NOW
            )
        )
    connection.execute(
        payment.insert().values(
            id=1,
            public_id="payment-1",
            order_id=1,
            provider="duitku",
            merchant_order_id="WRG-20261122-001-ab12cd34",
            amount=30000,
            status="paid",
            failure_reason="",
            payer_issuer_code="",
            payer_issuer_name="",
            created_at=NOW,
            updated_at=NOW,
        )
    )
    for kind, note in EVENTS:
        connection.execute(
            event.insert().values(
                payment_id=1,
                kind=kind,
                actor="duitku",
                flagged=False,
                note=note,
                payload={"amount": "30000"},
                created_at=NOW,
            )
        )


def rows(connection, sql: str, json_columns: tuple[str, ...] = ()) -> list[tuple]:
    query = sa.text(sql).columns(**dict.fromkeys(json_columns, sa.JSON)) if json_columns else sa.text(sql)
    return [tuple(row) for row in connection.execute(query)]


def test_old_sentences_become_codes_with_parameters_and_come_back(scratch_engine_url):
    app = create_app(config_for(scratch_engine_url))
    with app.app_context():
        upgrade(revision=PREVIOUS)
        with db.engine.begin() as connection:
            fill_old_database(connection)
            before = {
                table: rows(connection, f'SELECT * FROM "{table}" ORDER BY id')
                for table in ("order", "order_status_change", "payment_event", "payment")
            }

        upgrade(revision=REVISION)
        with db.engine.connect() as connection:
            attention = rows(
                connection, 'SELECT attention_reason, attention_params FROM "order" ORDER BY id', ("attention_params",)
            )
            changes = rows(
                connection, "SELECT reason, reason_params FROM order_status_change ORDER BY id", ("reason_params",)
            )
            events = rows(
                connection,
                "SELECT note, note_params, payload FROM payment_event ORDER BY id",
                ("note_params", "payload"),
            )
        assert attention == [tuple(pair) for pair in ATTENTION.values()]
        assert changes == [tuple(pair) for pair in CHANGES.values()]
        assert [(note, params) for note, params, _payload in events] == [tuple(pair) for pair in EVENTS.values()]
        assert all(payload == {"amount": "30000"} for _note, _params, payload in events)

        downgrade(revision=PREVIOUS)
        with db.engine.connect() as connection:
            after = {table: rows(connection, f'SELECT * FROM "{table}" ORDER BY id') for table in before}
        db.engine.dispose()
    assert after == before
