"""QRIS payloads: EMVCo merchant-presented QR as TLV text, with a CRC-16 check.

Each field is a two-digit tag, a two-digit length and the value; templates (tags 26-51
and 62) hold TLV fields of their own. Tag 63 closes the payload with the CRC-16/
CCITT-FALSE of everything before its value, as four uppercase hex digits.
"""

from __future__ import annotations

import binascii
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

CRC_TAG = "63"
AMOUNT_TAG = "54"
POINT_OF_INITIATION_TAG = "01"
DYNAMIC = "12"
TEMPLATE_TAGS = {f"{tag:02d}" for tag in range(26, 52)} | {"62"}

Field = tuple[str, "str | list[Field]"]


class QrisError(ValueError):
    """The text is not a well-formed QRIS payload, or not the one expected."""


def crc16(data: bytes) -> str:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) as four uppercase hex digits."""
    return f"{binascii.crc_hqx(data, 0xFFFF):04X}"


def _tlv(tag: str, value: str) -> str:
    if len(tag) != 2 or not tag.isdigit():
        raise QrisError(f"bad tag {tag!r}")
    if len(value) > 99:
        raise QrisError(f"value of tag {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def encode(fields: Iterable[Field]) -> str:
    """TLV-encode fields; a list value is encoded as a nested template."""
    return "".join(_tlv(tag, encode(value) if isinstance(value, list) else value) for tag, value in fields)


def build(fields: Iterable[Field]) -> str:
    """A complete payload: the fields, then tag 63 with the CRC over all before it."""
    body = encode(fields) + CRC_TAG + "04"
    return body + crc16(body.encode("utf-8"))


def decode(text: str) -> dict[str, str]:
    """Split TLV text into {tag: value}; raises QrisError on any malformation."""
    fields: dict[str, str] = {}
    position = 0
    while position < len(text):
        header = text[position : position + 4]
        if len(header) < 4 or not header.isdigit():
            raise QrisError(f"malformed field header at position {position}")
        tag, length = header[:2], int(header[2:])
        value = text[position + 4 : position + 4 + length]
        if len(value) != length:
            raise QrisError(f"field {tag} is cut short")
        if tag in fields:
            raise QrisError(f"field {tag} appears twice")
        fields[tag] = value
        position += 4 + length
    return fields


@dataclass(frozen=True)
class QrisPayload:
    text: str
    fields: dict[str, str]

    def template(self, tag: str) -> dict[str, str]:
        return decode(self.fields.get(tag, ""))

    @property
    def is_dynamic(self) -> bool:
        return self.fields.get(POINT_OF_INITIATION_TAG) == DYNAMIC

    @property
    def amount(self) -> int | None:
        """The amount in whole rupiah (tag 54), or None for a payload without one."""
        raw = self.fields.get(AMOUNT_TAG)
        if raw is None:
            return None
        try:
            amount = Decimal(raw)
        except InvalidOperation as exc:
            raise QrisError(f"amount {raw!r} is not a number") from exc
        if amount != amount.to_integral_value() or amount <= 0:
            raise QrisError(f"amount {raw!r} is not a positive whole rupiah amount")
        return int(amount)

    @property
    def merchant_name(self) -> str:
        return self.fields.get("59", "")


def parse(text: str) -> QrisPayload:
    """Parse and verify a payload: well-formed TLV, format indicator, CRC last and right."""
    if not isinstance(text, str) or not text.isascii() or len(text) < 12:
        raise QrisError("not a QRIS payload")
    fields = decode(text)
    if fields.get("00") != "01":
        raise QrisError("payload format indicator (tag 00) is not 01")
    if not text.endswith(f"{CRC_TAG}04{fields.get(CRC_TAG, '')}") or len(fields.get(CRC_TAG, "")) != 4:
        raise QrisError("CRC (tag 63) is missing or not the last field")
    expected = crc16(text[:-4].encode("ascii"))
    if fields[CRC_TAG].upper() != expected:
        raise QrisError(f"CRC mismatch: payload says {fields[CRC_TAG]}, computed {expected}")
    for tag in TEMPLATE_TAGS & fields.keys():
        decode(fields[tag])
    return QrisPayload(text, fields)


def parse_for_payment(text: str, amount: int) -> QrisPayload:
    """Parse a gateway's qrString and check it is a one-off QR for exactly `amount`."""
    payload = parse(text)
    if not payload.is_dynamic:
        raise QrisError("QR is static (tag 01 is not 12)")
    if payload.amount != amount:
        raise QrisError(f"QR amount {payload.amount} differs from the payment amount {amount}")
    return payload


def build_dynamic(
    *,
    amount: int,
    merchant_name: str,
    merchant_city: str,
    bill_number: str,
    nmid: str = "ID1026000000001",
    acquirer_domain: str = "ID.CO.SHOPEE.WWW",
    merchant_pan: str = "936009180000000001",
    merchant_id: str = "000000000000001",
    postal_code: str = "10110",
    category_code: str = "5812",
) -> str:
    """A dynamic (single-use, fixed-amount) QRIS payload, as a gateway issues it."""
    return build(
        [
            ("00", "01"),
            ("01", DYNAMIC),
            ("26", [("00", acquirer_domain), ("01", merchant_pan), ("02", merchant_id), ("03", "UMI")]),
            ("51", [("00", "ID.CO.QRIS.WWW"), ("02", nmid), ("03", "UMI")]),
            ("52", category_code),
            ("53", "360"),
            ("54", str(amount)),
            ("58", "ID"),
            ("59", merchant_name[:25]),
            ("60", merchant_city[:15]),
            ("61", postal_code),
            ("62", [("01", bill_number[:25]), ("07", "WARUNG01")]),
        ]
    )
