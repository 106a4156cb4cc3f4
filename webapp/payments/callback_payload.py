"""What of a Duitku callback is kept in the payment's event log.

Every callback is recorded, refused ones too, and before it is verified; so what an
unverified sender posts must not decide what is stored. It keeps only Duitku's
documented fields, each cut to its documented length: at most about 2 KB, however
much was posted. A verified callback (signed with our API key) also keeps a few
undocumented fields, since Duitku adds some (`sourceAccount`) that are worth seeing.
"""

from __future__ import annotations

from collections.abc import Mapping

# Duitku's callback fields and their lengths (the Duitku contract; strings it gives no
# size for are Duitku's usual string(255)).
CALLBACK_FIELDS = {
    "merchantCode": 50,
    "amount": 20,  # an integer amount, as sent
    "merchantOrderId": 50,
    "productDetail": 255,
    "additionalParam": 255,
    "paymentCode": 2,
    "resultCode": 2,
    "merchantUserId": 255,
    "reference": 255,
    "signature": 32,  # lowercase hex md5
    "publisherOrderId": 255,
    "spUserHash": 255,
    "settlementDate": 10,  # YYYY-MM-DD
    "issuerCode": 255,
}
MAX_UNDOCUMENTED_FIELDS = 10
UNDOCUMENTED_NAME_LENGTH, UNDOCUMENTED_VALUE_LENGTH = 50, 255


def stored_callback(fields: Mapping[str, str], verified: bool) -> dict[str, str]:
    """The part of a callback's form fields that goes into its `payment_event`."""
    stored = {name: fields[name][:length] for name, length in CALLBACK_FIELDS.items() if name in fields}
    if verified:
        undocumented = [name for name in fields if name not in CALLBACK_FIELDS][:MAX_UNDOCUMENTED_FIELDS]
        stored.update(
            {name[:UNDOCUMENTED_NAME_LENGTH]: fields[name][:UNDOCUMENTED_VALUE_LENGTH] for name in undocumented}
        )
    return stored
