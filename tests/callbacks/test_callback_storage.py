"""What a Duitku callback leaves in the payment's event log: bounded, whoever sends it."""

import json

from sqlalchemy import select

from tests import factories as make
from tests.duitku_side import callback_form, settle_quietly
from webapp.extensions import db
from webapp.models import PaymentEvent
from webapp.payments.callback_payload import CALLBACK_FIELDS, MAX_UNDOCUMENTED_FIELDS

URL = "/api/v1/webhooks/duitku"
JUNK = {f"junk{n}": "x" * 1000 for n in range(50)}


def last_callback_payload(payment) -> dict:
    db.session.expire_all()
    return db.session.scalars(
        select(PaymentEvent.payload)
        .where(PaymentEvent.payment_id == payment.id, PaymentEvent.kind == "callback")
        .order_by(PaymentEvent.id.desc())
    ).first()


def test_unverified_callback_keeps_only_documented_fields_cut_to_length(client, menu):
    payment = make.qris_payment(menu)
    form = callback_form(payment, signature="0" * 5000, productDetail="p" * 5000, resultCode="00" * 100, **JUNK)
    assert client.post(URL, data=form).status_code == 400
    stored = last_callback_payload(payment)
    assert set(stored) <= set(CALLBACK_FIELDS) and stored["merchantOrderId"] == payment.merchant_order_id
    assert (stored["productDetail"], stored["resultCode"], stored["signature"]) == ("p" * 255, "00", "0" * 32)
    assert len(json.dumps(stored)) < 2000


def test_verified_callback_keeps_a_few_undocumented_fields(client, menu, sandbox, clock):
    payment = make.qris_payment(menu)
    settle_quietly(sandbox, payment, clock())
    form = callback_form(payment, sourceAccount="0812xxxx", **JUNK)
    assert client.post(URL, data=form).status_code == 200
    stored = last_callback_payload(payment)
    undocumented = set(stored) - set(CALLBACK_FIELDS)
    assert "sourceAccount" in undocumented and len(undocumented) == MAX_UNDOCUMENTED_FIELDS
    assert stored["merchantOrderId"] == payment.merchant_order_id and len(json.dumps(stored)) < 5000
