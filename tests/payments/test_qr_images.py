"""QR images at /payments/<id>/qr.png|svg: drawn once per content while the payment is
payable, kept by browsers, and still decodable."""

from datetime import timedelta

import pytest

from webapp.extensions import db
from webapp.models import Payment
from webapp.payments import qr, qris_code


def payable_payments(count: int, clock) -> list[Payment]:
    payments = [
        Payment(
            provider="duitku",
            amount=50000,
            status="pending",
            expires_at=clock() + timedelta(minutes=10),
            qr_string=qris_code.build_dynamic(
                amount=50000, merchant_name="Warung", merchant_city="Jakarta", bill_number=f"WRG{n:012d}"
            ),
        )
        for n in range(count)
    ]
    db.session.add_all(payments)
    db.session.commit()
    return payments


@pytest.fixture
def drawn(monkeypatch) -> list[str]:
    """The payloads whose QR matrix was computed, in order."""
    payloads = []
    make = qr._qr

    def counting(data):
        payloads.append(data)
        return make(data)

    monkeypatch.setattr(qr, "_qr", counting)
    qr.clear_cache()
    return payloads


def image(client, payment, kind="png", **headers):
    return client.get(f"/payments/{payment.public_id}/qr.{kind}", headers=headers)


def test_a_payable_qr_is_drawn_once_however_many_others_are_viewed(client, clock, drawn):
    first, *others = payable_payments(140, clock)
    for payment in [first, *others, first]:
        assert image(client, payment).status_code == 200
    assert drawn.count(first.qr_string) == 1


def test_an_image_is_kept_only_while_its_payment_is_payable(client, clock, drawn):
    (payment,) = payable_payments(1, clock)
    image(client, payment)
    clock.advance(minutes=11)
    image(client, payment)
    image(client, payment)
    assert drawn.count(payment.qr_string) == 3


@pytest.mark.parametrize("kind", ["png", "svg"])
def test_images_are_cached_by_browsers_and_revalidated_by_content(client, clock, kind):
    (payment,) = payable_payments(1, clock)
    response = image(client, payment, kind)
    cache_control = response.cache_control
    assert cache_control.private and cache_control.immutable and cache_control.max_age >= 86400
    assert response.get_etag()[0]
    again = image(client, payment, kind, **{"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
