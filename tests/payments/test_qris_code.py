import pytest

from webapp.payments import qris_code
from webapp.payments.qris_code import QrisError


def test_crc_check_value_from_the_contract():
    assert qris_code.crc16(b"123456789") == "29B1"


def sample(amount=50000) -> str:
    return qris_code.build_dynamic(
        amount=amount,
        merchant_name="Warung Makan Sederhana",
        merchant_city="Jakarta",
        bill_number="WRG-000123",
    )


def test_build_and_parse_round_trip():
    text = sample()
    payload = qris_code.parse(text)
    assert payload.is_dynamic
    assert payload.amount == 50000
    assert payload.merchant_name == "Warung Makan Sederhana"
    assert payload.fields["53"] == "360" and payload.fields["58"] == "ID"
    assert payload.template("26")["00"] == "ID.CO.SHOPEE.WWW"
    assert payload.template("51")["00"] == "ID.CO.QRIS.WWW"
    assert payload.template("62")["01"] == "WRG-000123"
    assert text[-8:-4] == "6304"
    assert qris_code.crc16(text[:-4].encode()) == text[-4:]


def test_parse_accepts_lowercase_crc_and_amount_with_cents():
    body = qris_code.encode([("00", "01"), ("01", "12"), ("54", "15000.00"), ("58", "ID")]) + "6304"
    payload = qris_code.parse(body + qris_code.crc16(body.encode()).lower())
    assert payload.amount == 15000


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1] + ("0" if t[-1] != "0" else "1"),  # wrong CRC
        lambda t: t.replace("5405", "5406", 1),  # length no longer fits
        lambda t: t[:-8],  # CRC field missing
        lambda t: "",
        lambda t: "hello world, not a QR at all",
        lambda t: t.replace("Jakarta", "Jakartä"),
        lambda t: "000202" + t[6:],  # bad format indicator
    ],
)
def test_malformed_payloads_are_refused(mangle):
    with pytest.raises(QrisError):
        qris_code.parse(mangle(sample()))


def test_parse_for_payment_checks_amount_and_dynamic():
    assert qris_code.parse_for_payment(sample(50000), 50000).amount == 50000
    with pytest.raises(QrisError, match="differs"):
        qris_code.parse_for_payment(sample(50000), 60000)
    static = qris_code.build([("00", "01"), ("01", "11"), ("58", "ID")])
    with pytest.raises(QrisError, match="static"):
        qris_code.parse_for_payment(static, 50000)


def test_values_longer_than_99_are_refused():
    with pytest.raises(QrisError):
        qris_code.build([("59", "x" * 100)])
